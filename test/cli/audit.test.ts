import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { KT } from "../indicators/support.ts";
import { runCli } from "../support/cli.ts";
import { TEST_TODAY } from "../support/env.ts";
import { auditUnderLegacyRule } from "../support/legacy-audit.ts";

// `seuranta audit` as the real command: on a protected release, and on one the old rule produced.

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-cli-audit-"));
  env = { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY };
  fs.writeFileSync(path.join(dir, "kt.csv"), KT);
  const ingest = runCli(["ingest", path.join(dir, "kt.csv")], env);
  expect(ingest.status, ingest.stderr).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("seuranta audit", () => {
  test("finds nothing in a protected release and reports the hidden shares by level, exit 0", () => {
    const result = runCli(["audit", "--json"], env);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, min_range: 2, findings: [] });
    expect(report.hidden_numbers).toBeGreaterThan(0);
    const levels = report.information_loss.map((r: { level: string }) => r.level);
    expect(levels).toEqual(expect.arrayContaining(["kunta", "hyvinvointialue", "koko_maa"]));
  });

  test("prints the result in Finnish", () => {
    const result = runCli(["audit"], env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Yhtään peitettyä lukua ei voi laskea julkaistuista/);
    expect(result.stdout).toMatch(/hyvinvointialue/);
  });

  test("exits 2 naming the findings when the release served leaks (as the old rule's did)", async () => {
    const config = loadConfig(env);
    const db = await Database.open(config.dbPath);
    try {
      await auditUnderLegacyRule(db, config);
    } finally {
      await db.close();
    }
    const result = runCli(["audit", "--json"], env);
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
