import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvForMachines } from "../../exports/formats/csv.ts";
import { csvForExcel } from "../../exports/formats/csv-excel.ts";
import { xlsxFile } from "../../exports/formats/xlsx.ts";
import { neutralise } from "../../exports/neutralise.ts";
import { collectReport, parseSelection, type Report } from "../../exports/report.ts";
import { useKeskiUusimaaApp } from "../dashboard/fixture.ts";
import { withDuckDbFile } from "./support.ts";

const fixture = useKeskiUusimaaApp();
const PAYLOADS = ['=HYPERLINK("http://example.com","x")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"];

/** The fixture's report with formulas in the area names and a definition title. */
async function poisonedReport(): Promise<Report> {
  const parsed = parseSelection({ level: "kunta", from: "2024Q1", to: "2024Q1" }, { year: 2025, quarter: 3 });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const report = await collectReport(await fixture.env().db.reader(), parsed.selection, { threshold: 5 });
  const rows = report.rows.map((v, i) => {
    const payload = PAYLOADS[i % PAYLOADS.length] ?? "=1";
    return { ...v, areaName: { fi: payload, sv: payload, en: payload } };
  });
  const [first, ...rest] = report.definitions;
  if (!first) throw new Error("no definitions");
  const definitions = [
    {
      ...first,
      definition: { ...first.definition, title: { ...first.definition.title, fi: "=cmd|' /C calc'!A0" } },
    },
    ...rest,
  ];
  return { ...report, rows, definitions };
}

const dangerous = (text: string) => /^[=+\-@\t\r]/.test(text);

describe("CSV injection (OWASP): text cells are neutralised", () => {
  it.each(PAYLOADS)("neutralise(%j) starts with an apostrophe", (payload) => {
    expect(neutralise(payload)).toBe(`'${payload}`);
  });

  it("no cell of either CSV begins with = + - @ tab or CR; the payloads are kept after an apostrophe", async () => {
    const report = await poisonedReport();
    for (const [write, name] of [
      [csvForMachines, "m.csv"],
      [csvForExcel, "e.csv"],
    ] as const) {
      const body = await write(report, "fi");
      const cells = await withDuckDbFile(body, name, async (file, all) =>
        (await all(`SELECT * FROM read_csv('${file}', all_varchar = true)`)).flatMap((r) => Object.values(r)),
      );
      const texts = cells.filter((c): c is string => typeof c === "string");
      expect(texts.filter(dangerous), name).toEqual([]);
      for (const payload of PAYLOADS) expect(texts, name).toContain(`'${payload}`);
      // the metadata lines above the table too
      expect(body.toString("utf8").split(/\r?\n/).filter(dangerous), name).toEqual([]);
    }
  });

  it("no text cell of the workbook begins with = + - @ tab or CR", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsxFile(await poisonedReport(), "fi")) as unknown as ArrayBuffer);
    const texts: string[] = [];
    for (const sheet of wb.worksheets)
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          expect(typeof cell.value === "object" && cell.value !== null, "no formula or rich cells").toBe(
            false,
          );
          if (typeof cell.value === "string") texts.push(cell.value);
        });
      });
    expect(texts.filter(dangerous)).toEqual([]);
    // XML turns a CR into a line feed when the file is read
    for (const payload of PAYLOADS) expect(texts).toContain(`'${payload.replace("\r", "\n")}`);
    expect(texts).toContain("'=cmd|' /C calc'!A0");
  });
});
