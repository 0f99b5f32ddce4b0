import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dataFolders } from "../../core/config.ts";
import { memoryLogger } from "../../core/log.ts";
import { TULO_LUOKAT } from "../../pipelines/datasets/tiimi.ts";
import { type InboxRun, processInbox } from "../../pipelines/inbox.ts";
import { InboxScheduler } from "../../pipelines/scheduler.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const GOOD = "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;7\n";
const BROKEN = "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;-7\n";

let env: TestEnv;
let inbox: string;

/** Each test of the block gets a fresh real DuckDB file and an empty inbox, with these settings. */
function useInbox(settings: Record<string, string>) {
  beforeEach(async () => {
    env = await makeTestEnv(settings);
    inbox = dataFolders(env.config).inbox;
    fs.mkdirSync(inbox, { recursive: true });
  });
  afterEach(() => env.close());
}

const ctx = () => ({ db: env.db, config: env.config, log: memoryLogger() });

describe("the inbox", () => {
  // these files are written whole before each run: no settle time needed
  useInbox({ SEURANTA_INBOX_SETTLE_S: "0" });

  it("a loaded file leaves the inbox and its bytes stay in the archive", async () => {
    fs.writeFileSync(path.join(inbox, "tiimi.csv"), GOOD);

    const run = await processInbox(ctx(), "test");

    expect(run.reports.map((r) => r.status)).toEqual(["loaded"]);
    expect(fs.readdirSync(inbox)).toEqual([]);
    expect(fs.readdirSync(dataFolders(env.config).archive)).toEqual([`${run.reports[0]?.sha256}.csv`]);
  });

  it("a rejected file moves to quarantine with a JSON and a text report beside it", async () => {
    fs.writeFileSync(path.join(inbox, "rikki.csv"), BROKEN);

    await processInbox(ctx(), "test");

    const quarantined = fs.readdirSync(dataFolders(env.config).quarantine).sort();
    expect(quarantined).toHaveLength(3);
    const json = quarantined.find((f) => f.endsWith(".report.json")) as string;
    const text = quarantined.find((f) => f.endsWith(".report.txt")) as string;
    const report = JSON.parse(fs.readFileSync(path.join(dataFolders(env.config).quarantine, json), "utf8"));
    expect(report.files[0].errors[0].code).toBe("SEU_VAL_COUNT_NEGATIVE");
    expect(fs.readFileSync(path.join(dataFolders(env.config).quarantine, text), "utf8")).toContain("HYLÄTTY");
    expect(fs.readdirSync(inbox)).toEqual([]);
  });

  it("every run is recorded with its counts", async () => {
    fs.writeFileSync(path.join(inbox, "a.csv"), GOOD);
    fs.writeFileSync(path.join(inbox, "b.csv"), BROKEN);

    const run = await processInbox(ctx(), "test");

    const row = await env.db.one(
      `SELECT trigger, status, files, loaded, rejected FROM runs WHERE run_id = ?`,
      [run.runId],
    );
    expect(row).toEqual({ trigger: "test", status: "ok", files: 2, loaded: 1, rejected: 1 });
  });
});

describe("the schedule", () => {
  useInbox({ SEURANTA_INBOX_SETTLE_S: "0" });

  it("a tick that comes while a run is going is skipped, logged and recorded", async () => {
    fs.writeFileSync(path.join(inbox, "a.csv"), GOOD);
    const log = memoryLogger();
    const scheduler = new InboxScheduler(
      { db: env.db, config: env.config, log },
      { schedule: "*/5 * * * *" },
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
      { schedule: "*/5 * * * *", afterLoad: async (run) => void loadedRuns.push(run.runId) },
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

/** A tiimi file of `rows` rows for Jyväskylä (179), all in 2024. */
function tiimiFile(rows: number): string {
  const lines = ["kunta;vuosineljannes;suunta;luokka;lukumaara"];
  for (let i = 0; i < rows; i++) lines.push(`179;2024Q${(i % 4) + 1};tulo;${TULO_LUOKAT[i % 13]};${100 + i}`);
  return `${lines.join("\n")}\n`;
}

/** Waits (polling) until `check` holds; fails after `ms`, which only bounds a hang and measures nothing. */
async function until(check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await sleep(50);
  }
}

const quarantined = () => {
  const folder = dataFolders(env.config).quarantine;
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
};

describe("the inbox takes only whole files", () => {
  // every second, and a settle time longer than the writer's pause below
  useInbox({ SEURANTA_INBOX_CRON: "* * * * * *", SEURANTA_INBOX_SETTLE_S: "5" });

  it("a file written in two halves with a pause longer than the schedule is loaded once, whole, and nothing goes to quarantine", async () => {
    const text = tiimiFile(52);
    // the first half ends two fields short inside a row: taken alone it is rejected as cut off
    expect(text.slice(0, 700).split("\n").at(-1)).toBe("179;2024Q3;tulo");
    const log = memoryLogger();
    const loaded: InboxRun[] = [];
    const scheduler = new InboxScheduler(
      { db: env.db, config: env.config, log },
      { schedule: env.config.inboxSchedule, afterLoad: async (run) => void loaded.push(run) },
    );
    scheduler.start();
    const waitingSeen = () => log.lines.filter((l) => l.msg.startsWith("inbox files not taken yet")).length;
    try {
      const fd = fs.openSync(path.join(inbox, "tiimi_2024.csv"), "w");
      fs.writeSync(fd, text.slice(0, 700));
      await until(() => waitingSeen() > 0);
      const scansBefore = waitingSeen();
      await sleep(2500); // longer than the schedule (1 s), shorter than the settle time (5 s)
      expect(waitingSeen()).toBeGreaterThan(scansBefore); // scans ran during the pause and left the half alone
      expect(fs.readFileSync(path.join(inbox, "tiimi_2024.csv"), "utf8")).toBe(text.slice(0, 700));
      fs.writeSync(fd, text.slice(700));
      fs.closeSync(fd);

      await until(() => loaded.length > 0);
    } finally {
      await scheduler.stop();
    }

    expect(loaded.flatMap((run) => run.reports.map((r) => [r.file, r.status, r.rows]))).toEqual([
      ["tiimi_2024.csv", "loaded", 52],
    ]);
    const loads = await env.db.all(`SELECT file_name, status FROM loads`);
    expect(loads).toEqual([{ file_name: "tiimi_2024.csv", status: "loaded" }]);
    expect(await env.db.one(`SELECT count(*)::INT AS n FROM tiimi`)).toEqual({ n: 52 });
    expect(quarantined()).toEqual([]);
    expect(fs.readdirSync(inbox)).toEqual([]);
  });

  it("names that programs use while writing are never taken", async () => {
    const names = ["tiimi.csv.part", "~$tiimi.csv", "tiimi.csv.tmp", ".tiimi.csv", "tiimi.csv.filepart"];
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const name of names) {
      fs.writeFileSync(path.join(inbox, name), GOOD);
      fs.utimesSync(path.join(inbox, name), anHourAgo, anHourAgo);
    }

    const first = await processInbox(ctx(), "test");
    const second = await processInbox(ctx(), "test");

    expect([...first.reports, ...second.reports]).toEqual([]);
    expect([...first.waiting, ...second.waiting]).toEqual([]);
    expect(fs.readdirSync(inbox).sort()).toEqual([...names].sort());
  });

  it("a file renamed into place, last written longer ago than the settle time, is taken at once", async () => {
    const partial = path.join(inbox, "tiimi.csv.part");
    fs.writeFileSync(partial, GOOD);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(partial, aMinuteAgo, aMinuteAgo);
    fs.renameSync(partial, path.join(inbox, "tiimi.csv"));

    const run = await processInbox(ctx(), "test");

    expect(run.reports.map((r) => [r.file, r.status])).toEqual([["tiimi.csv", "loaded"]]);
  });

  it("a file changed within the settle time when first seen waits for a later run", async () => {
    fs.writeFileSync(path.join(inbox, "tiimi.csv"), GOOD);

    const run = await processInbox(ctx(), "test");

    expect(run.reports).toEqual([]);
    expect(run.waiting).toEqual(["tiimi.csv"]);
    expect(fs.readdirSync(inbox)).toEqual(["tiimi.csv"]);
  });
});
