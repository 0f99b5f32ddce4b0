import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadCatalogue } from "../../indicators/registry.ts";
import { runCli } from "../support/cli.ts";
import { TEST_TODAY } from "../support/env.ts";
import { KT } from "./support.ts";

// `seuranta compute` and `seuranta show` run as the real command, on a database loaded by `ingest`.

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-cli-indicators-"));
  env = { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY };
  fs.writeFileSync(path.join(dir, "kt.csv"), KT);
  const ingest = runCli(["ingest", path.join(dir, "kt.csv")], env);
  expect(ingest.status, ingest.stderr).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("seuranta compute", () => {
  test("--json prints what was computed, what was hidden and how long it took", async () => {
    const count = (await loadCatalogue()).entries.length;
    const result = runCli(["compute", "--json"], env);
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ indicators: count, combinations: count * 12, threshold: 5 });
    expect(summary.suppressed.primary).toBeGreaterThan(0);
    expect(summary.by_status.suppressed).toBe(summary.suppressed.primary + summary.suppressed.secondary);
    expect(summary.duration_ms).toBeGreaterThan(0);
  });

  test("prints the summary in Finnish", async () => {
    const count = (await loadCatalogue()).entries.length;
    const result = runCli(["compute"], env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `Laskettiin ${count} indikaattoria: ${count * 12} indikaattori × taso × jaksotyyppi`,
    );
    expect(result.stdout).toMatch(/Peittoraja 5\./);
  });
});

describe("seuranta show", () => {
  test("--json gives a hidden value as null with the public reason", () => {
    const result = runCli(["show", "kt-ei-tietoa", "--area", "092", "--period", "2024", "--json"], env);
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.values).toHaveLength(1);
    expect(out.values[0]).toMatchObject({
      level: "kunta",
      area: "092",
      area_name: "Vantaa",
      period: "2024",
      value: null,
      numerator: null,
      status: "suppressed",
      symbol: "..",
      // readers are not told whether the numerator is small itself or hidden to protect another
      reason: "confidential",
    });
    expect(out.values[0].reason_text).toMatch(/pienempi kuin 5 tai siitä voisi päätellä pienen luvun/);
  });

  test("prints a county's values with .. for hidden ones and the municipalities that did not report", () => {
    const result = runCli(
      ["show", "kt-tyohon", "--level", "hyvinvointialue", "--area", "04", "--period", "quarter"],
      env,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("kt-tyohon — Kuntouttavasta työtoiminnasta työhön");
    expect(result.stdout).toMatch(
      /Vantaan ja Keravan hyvinvointialue \(04\)\s+2023Q4\s+24,0\s+12\s+50\s+2\/2/,
    );
    // 2024Q2: Kerava missing (shown or hidden, the note says who did not report)
    expect(result.stdout).toMatch(
      /Vantaan ja Keravan hyvinvointialue \(04\)\s+2024Q2\s+.*1\/2\s+.*ei ilmoittanut: 245/,
    );
    expect(result.stdout).toContain(".. = peitetty");
    // Kerava's 2023Q4 (3 of 10 to work) is hidden, saying only that it is hidden to protect privacy
    const kerava = runCli(
      ["show", "kt-tyohon", "--level", "kunta", "--area", "245", "--period", "2023Q4"],
      env,
    );
    expect(kerava.status, kerava.stderr).toBe(0);
    expect(kerava.stdout).toMatch(/Keravan? .*2023Q4\s+\.\.\s+.*Peitetty tietosuojan vuoksi/);
  });

  test("says which population year a rate used when its own year is missing", () => {
    const result = runCli(
      ["show", "kt-asiakkaat-per-1000", "--area", "092", "--period", "2023Q4", "--lang", "en"],
      env,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /Vantaa \(092\)\s+2023Q4\s+4\.1\s+1,000\s+242,819\s+1\/1\s+population 31 Dec 2022/,
    );
  });

  test("refuses an unknown indicator with exit code 1, listing the known ones", () => {
    const result = runCli(["show", "kt-ei-ole"], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Tuntematon indikaattori kt-ei-ole; tunnetut: .*kt-tyohon/);
  });

  test("refuses an area code of another level without --level", () => {
    const result = runCli(["show", "kt-tyohon", "--area", "04"], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Anna --level alueelle 04/);
  });
});
