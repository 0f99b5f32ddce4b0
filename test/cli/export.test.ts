import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KT_KESKI_UUSIMAA } from "../dashboard/fixture.ts";
import { runCli } from "../support/cli.ts";
import { TEST_TODAY } from "../support/env.ts";

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-cli-export-"));
  env = { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY };
  const file = path.join(dir, "kt.csv");
  fs.writeFileSync(file, KT_KESKI_UUSIMAA);
  const ingest = runCli(["ingest", file], env);
  expect(ingest.status, ingest.stderr).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("seuranta export", () => {
  it("writes a readable XLSX report of the counties for a year", async () => {
    const out = path.join(dir, "report.xlsx");
    const result = runCli(
      ["export", "--level", "hyvinvointialue", "--year", "2024", "--format", "xlsx", "--out", out],
      env,
    );

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("report.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Arvot", "Määritelmät", "Huomautukset"]);
    const rows: unknown[][] = [];
    wb.worksheets[0]?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows[0]?.slice(0, 4)).toEqual(["indikaattori", "luokka", "taso", "aluekoodi"]);
    const keskiUusimaa = rows.find((r) => r[0] === "kt-tyohon" && r[3] === "02" && r[6] === "2024");
    expect(keskiUusimaa?.[2]).toBe("Hyvinvointialue");
    expect(rows.some((r) => r[2] === "Koko maa")).toBe(true);
    expect(rows.some((r) => r[2] === "Kunta")).toBe(false);
  });

  it("--json reports the file and its metadata; --unsuppressed warns", () => {
    const out = path.join(dir, "raw.csv");
    const result = runCli(
      [
        "export",
        "--level",
        "kunta",
        "--from",
        "2024Q1",
        "--to",
        "2024Q1",
        "--format",
        "csv",
        "--out",
        out,
        "--unsuppressed",
        "--json",
      ],
      env,
    );

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("ei ole julkaistavissa");
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ format: "csv", file: out, metadata: { suppressionApplied: false } });
    expect(report.name).toMatch(/^seuranta_kunta_2024Q1_\d{4}-\d{2}-\d{2}_SUOJAAMATON\.csv$/);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^SUPPRESSION NOT APPLIED/);
    expect(fs.readFileSync(out, "utf8")).toContain("kt-tyohon,,kunta,611,Pornainen,quarter,2024Q1,16.7,");
  });

  it.each([
    [["--format", "pdf", "--year", "2024"], "Tuntematon muoto pdf"],
    [["--format", "csv", "--year", "20x4"], "Vuosi 20x4 ei kelpaa"],
    [["--format", "csv"], "Anna vuosi"],
    [["--format", "csv", "--year", "2024", "--level", "maakunta"], "Tuntematon taso maakunta"],
    [["--format", "csv", "--from", "2024Q4", "--to", "2024Q1"], "Alkuneljännes"],
  ])("usage error %j exits 1 with %j", (args, message) => {
    const result = runCli(["export", ...args], env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Käyttö: seuranta export");
  });
});
