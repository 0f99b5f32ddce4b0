import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dataFolders } from "../../core/config.ts";
import { memoryLogger } from "../../core/log.ts";
import { processInbox } from "../../pipelines/inbox.ts";
import { InboxScheduler } from "../../pipelines/scheduler.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const GOOD = "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;7\n";
const BROKEN = "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;-7\n";

let env: TestEnv;
let inbox: string;
beforeEach(async () => {
  env = await makeTestEnv();
  inbox = dataFolders(env.config).inbox;
  fs.mkdirSync(inbox, { recursive: true });
});
afterEach(() => env.close());

const ctx = () => ({ db: env.db, config: env.config, log: memoryLogger() });

describe("the inbox", () => {
  it("a loaded file leaves the inbox and its bytes stay in the archive", async () => {
    fs.writeFileSync(path.join(inbox, "tiimi.csv"), GOOD);

    const run = await processInbox(ctx(), "test", { settleMs: 0 });

    expect(run.reports.map((r) => r.status)).toEqual(["loaded"]);
    expect(fs.readdirSync(inbox)).toEqual([]);
    expect(fs.readdirSync(dataFolders(env.config).archive)).toEqual([`${run.reports[0]?.sha256}.csv`]);
  });

  it("a rejected file moves to quarantine with a JSON and a text report beside it", async () => {
    fs.writeFileSync(path.join(inbox, "rikki.csv"), BROKEN);

    await processInbox(ctx(), "test", { settleMs: 0 });

    const quarantined = fs.readdirSync(dataFolders(env.config).quarantine).sort();
    expect(quarantined).toHaveLength(3);
    const json = quarantined.find((f) => f.endsWith(".report.json")) as string;
    const text = quarantined.find((f) => f.endsWith(".report.txt")) as string;
    const report = JSON.parse(fs.readFileSync(path.join(dataFolders(env.config).quarantine, json), "utf8"));
    expect(report.files[0].errors[0].code).toBe("SEU_VAL_COUNT_NEGATIVE");
    expect(fs.readFileSync(path.join(dataFolders(env.config).quarantine, text), "utf8")).toContain("HYLÄTTY");
    expect(fs.readdirSync(inbox)).toEqual([]);
  });

  it("a file still being copied (changed just now) waits for the next run", async () => {
    fs.writeFileSync(path.join(inbox, "tiimi.csv"), GOOD);

    const run = await processInbox(ctx(), "test", { settleMs: 60_000 });

    expect(run.reports).toEqual([]);
    expect(fs.readdirSync(inbox)).toEqual(["tiimi.csv"]);
  });

  it("every run is recorded with its counts", async () => {
    fs.writeFileSync(path.join(inbox, "a.csv"), GOOD);
    fs.writeFileSync(path.join(inbox, "b.csv"), BROKEN);

    const run = await processInbox(ctx(), "test", { settleMs: 0 });

    const row = await env.db.one(
      `SELECT trigger, status, files, loaded, rejected FROM runs WHERE run_id = ?`,
      [run.runId],
    );
    expect(row).toEqual({ trigger: "test", status: "ok", files: 2, loaded: 1, rejected: 1 });
  });
});

describe("the schedule", () => {
  it("a tick that comes while a run is going is skipped, logged and recorded", async () => {
    fs.writeFileSync(path.join(inbox, "a.csv"), GOOD);
    const log = memoryLogger();
    const scheduler = new InboxScheduler(
      { db: env.db, config: env.config, log },
      { schedule: "*/5 * * * *", settleMs: 0 },
    );

    const [first, second] = await Promise.all([scheduler.tick("first"), scheduler.tick("second")]);

    expect(first?.reports).toHaveLength(1);
    expect(second).toBeNull();
    expect(log.lines.some((l) => l.msg.includes("skipped"))).toBe(true);
    const skipped = await env.db.all(`SELECT trigger FROM runs WHERE status = 'skipped'`);
    expect(skipped).toEqual([{ trigger: "second" }]);
  });

  it("recomputes after a run that loaded something", async () => {
    fs.writeFileSync(path.join(inbox, "a.csv"), GOOD);
    const loadedRuns: number[] = [];
    const scheduler = new InboxScheduler(
      { db: env.db, config: env.config, log: memoryLogger() },
      { schedule: "*/5 * * * *", settleMs: 0, afterLoad: async (run) => void loadedRuns.push(run.runId) },
    );

    const run = await scheduler.tick("test");
    await scheduler.tick("again");

    expect(loadedRuns).toEqual([run?.runId]);
  });

  it("an invalid cron expression is refused at start", () => {
    expect(
      () =>
        new InboxScheduler(
          { db: env.db, config: env.config, log: memoryLogger() },
          { schedule: "every five" },
        ),
    ).toThrow(/SEURANTA_INBOX_CRON/);
  });
});
