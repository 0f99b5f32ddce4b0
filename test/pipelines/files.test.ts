import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InboxWatch } from "../../pipelines/files.ts";

const SETTLE_MS = 10_000;
const HEADER = "kunta;vuosineljannes;suunta;luokka;lukumaara\n";

let inbox: string;
let file: string;
beforeEach(() => {
  inbox = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-inbox-"));
  file = path.join(inbox, "tiimi.csv");
});
afterEach(() => fs.rmSync(inbox, { recursive: true, force: true }));

// the looks are given their time (`now`) so that the settle time passes without waiting for it
describe("the inbox watch", () => {
  it("takes a file once its size and modification time have stayed the same for the settle time", () => {
    fs.writeFileSync(file, `${HEADER}179;2024Q1;tulo;kela;7\n`);
    const watch = new InboxWatch(SETTLE_MS);
    const t = Date.now();

    expect(watch.scan(inbox, t)).toEqual({ settled: [], waiting: [file] });
    expect(watch.scan(inbox, t + SETTLE_MS - 1).settled).toEqual([]);
    expect(watch.scan(inbox, t + SETTLE_MS)).toEqual({ settled: [file], waiting: [] });
  });

  it("starts the settle time again when a file grows between looks", () => {
    fs.writeFileSync(file, HEADER);
    const watch = new InboxWatch(SETTLE_MS);
    const t = Date.now();
    watch.scan(inbox, t);
    fs.appendFileSync(file, "179;2024Q1;tulo;kela;7\n");

    expect(watch.scan(inbox, t + SETTLE_MS).settled).toEqual([]);
    expect(watch.scan(inbox, t + 2 * SETTLE_MS - 1).settled).toEqual([]);
    expect(watch.scan(inbox, t + 2 * SETTLE_MS).settled).toEqual([file]);
  });

  it("starts the settle time again when a copy sets a file's modification time back after it was first seen", () => {
    fs.writeFileSync(file, `${HEADER}179;2024Q1;tulo;kela;7\n`);
    const watch = new InboxWatch(SETTLE_MS);
    const t = Date.now();
    watch.scan(inbox, t);
    const lastYear = new Date(t - 365 * 86_400_000);
    fs.utimesSync(file, lastYear, lastYear); // as robocopy or cp -p do, keeping the original's time

    expect(watch.scan(inbox, t + 1).settled).toEqual([]);
    expect(watch.scan(inbox, t + 1 + SETTLE_MS).settled).toEqual([file]);
  });

  it("gives the complete files oldest first", () => {
    const older = path.join(inbox, "b.csv");
    const newer = path.join(inbox, "a.csv");
    fs.writeFileSync(older, HEADER);
    fs.writeFileSync(newer, HEADER);
    const t = Date.now();
    fs.utimesSync(older, new Date(t - 120_000), new Date(t - 120_000));
    fs.utimesSync(newer, new Date(t - 60_000), new Date(t - 60_000));

    expect(new InboxWatch(SETTLE_MS).scan(inbox, t).settled).toEqual([older, newer]);
  });
});
