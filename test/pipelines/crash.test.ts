import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { runCli } from "../support/cli.ts";
import { TEST_TODAY } from "../support/env.ts";

const HEADER = "kunta;vuosineljannes;suunta;luokka;lukumaara\n";
const FIRST = `${HEADER}179;2024Q1;tulo;kela;7\n179;2024Q1;tulo;jarjesto;5\n`;
const REVISION = `${HEADER}179;2024Q1;tulo;kela;9\n`;

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-crash-"));
  // the files are written whole before each run: no settle time to wait for
  env = { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY, SEURANTA_INBOX_SETTLE_S: "0" };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tiimiRows(): Promise<{ luokka: string; lukumaara: number }[]> {
  const db = await Database.open(loadConfig(env).dbPath);
  try {
    return await db.all(`SELECT luokka, lukumaara FROM tiimi WHERE lukumaara > 0 ORDER BY luokka`);
  } finally {
    await db.close();
  }
}

async function loadCount(): Promise<number> {
  const db = await Database.open(loadConfig(env).dbPath);
  try {
    const row = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM loads WHERE status = 'loaded'`);
    return Number(row?.n);
  } finally {
    await db.close();
  }
}

function dropInInbox(name: string, text: string) {
  fs.mkdirSync(path.join(dir, "inbox"), { recursive: true });
  fs.writeFileSync(path.join(dir, "inbox", name), text);
}

describe("a crash during a load", () => {
  it("killed inside the load transaction leaves the earlier data and the file in the inbox", async () => {
    dropInInbox("first.csv", FIRST);
    expect(runCli(["inbox"], env).status).toBe(0);
    dropInInbox("revision.csv", REVISION);

    const crashed = runCli(["inbox"], { ...env, SEURANTA_FAILPOINT: "load-before-commit" });

    expect(crashed.signal).toBe("SIGKILL");
    expect(await tiimiRows()).toEqual([
      { luokka: "jarjesto", lukumaara: 5 },
      { luokka: "kela", lukumaara: 7 },
    ]);
    expect(await loadCount()).toBe(1);
    expect(fs.existsSync(path.join(dir, "inbox", "revision.csv"))).toBe(true);
  });

  it("the next run after a crash loads the file that was left in the inbox", async () => {
    dropInInbox("first.csv", FIRST);
    runCli(["inbox"], { ...env, SEURANTA_FAILPOINT: "load-before-commit" });

    const rerun = runCli(["inbox", "--json"], env);

    expect(rerun.status).toBe(0);
    expect(JSON.parse(rerun.stdout).files[0].status).toBe("loaded");
    expect(await tiimiRows()).toHaveLength(2);
    expect(fs.readdirSync(path.join(dir, "inbox"))).toEqual([]);
  });

  it("killed after the commit but before the inbox is cleared, the next run finds the file unchanged", async () => {
    dropInInbox("first.csv", FIRST);
    const crashed = runCli(["inbox"], { ...env, SEURANTA_FAILPOINT: "inbox-before-remove" });
    expect(crashed.signal).toBe("SIGKILL");

    const rerun = runCli(["inbox", "--json"], env);

    expect(JSON.parse(rerun.stdout).files[0].status).toBe("unchanged");
    expect(await loadCount()).toBe(1);
    expect(fs.readdirSync(path.join(dir, "inbox"))).toEqual([]);
  });

  it("killed right after archiving, the raw bytes are kept and nothing is loaded", async () => {
    const file = path.join(dir, "first.csv");
    fs.writeFileSync(file, FIRST);

    const crashed = runCli(["ingest", file], { ...env, SEURANTA_FAILPOINT: "after-archive" });

    expect(crashed.signal).toBe("SIGKILL");
    const archived = fs.readdirSync(path.join(dir, "archive"));
    expect(archived).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, "archive", archived[0] as string), "utf8")).toBe(FIRST);
    expect(await loadCount()).toBe(0);
  });
});
