import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { FileReport } from "../../pipelines/report.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { expectWellFormed } from "./csv.ts";

// Files written by a real spreadsheet program (LibreOffice Calc 7.4.7.2) from the filled templates of
// data/templates: test/fixtures/libreoffice/README.md says which command wrote which file.

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "libreoffice");
const TEMPLATES = path.join(import.meta.dirname, "..", "..", "data", "templates");

type Dataset = "kuntouttava" | "vammaispalvelut" | "tiimi";
type Place = {
  code: string;
  row: number | null;
  line: number | null;
  column: string | null;
  value: string | null;
};

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const template = (dataset: Dataset) =>
  fs.readFileSync(path.join(TEMPLATES, `${dataset}_esimerkki.csv`), "utf8");

/** The same content as a canonical file (UTF-8 with BOM, `;`), with an edit typed in Calc applied. */
function edited(dataset: Dataset, from: string, to: string): string {
  const text = template(dataset);
  expect(text).toContain(from);
  return text.replaceAll(from, to);
}

const NBSP = "\u00a0";

interface Case {
  /** What Calc was given and how it saved it (a test name prefix). */
  saved: string;
  file: string;
  dataset: Dataset;
  rows: number;
  /** The encoding the reader must find. */
  encoding: string;
  /** Every warning the report may carry, with its place; none unless the edit in Calc calls for it. */
  warnings: Place[];
  /** The canonical file whose stored rows the fixture must reproduce. */
  same: { as: string; text: () => string };
}

const asTemplate = (dataset: Dataset) => ({ as: "the template", text: () => template(dataset) });

// The templates hold only ASCII, so Calc's Windows-1252 and UTF-8 files of them are the same bytes, and
// the reader rightly calls them UTF-8.
const plain: Case[] = (["kuntouttava", "vammaispalvelut", "tiimi"] as const).flatMap((dataset) => {
  const rows = { kuntouttava: 2, vammaispalvelut: 3, tiimi: 10 }[dataset];
  return [
    {
      saved: `a ${dataset} workbook saved by LibreOffice Calc as Windows-1252 CSV with ;`,
      file: `${dataset}-windows1252-puolipiste.csv`,
      encoding: "utf-8",
    },
    {
      saved: `a ${dataset} workbook saved by LibreOffice Calc as UTF-16 ("Unicode") text with tabs`,
      file: `${dataset}-utf16-sarkain.txt`,
      encoding: "utf-16le",
    },
    {
      saved: `a ${dataset} workbook saved by LibreOffice Calc as UTF-8 CSV with ,`,
      file: `${dataset}-utf8-pilkku.csv`,
      encoding: "utf-8",
    },
  ].map((c) => ({ ...c, dataset, rows, warnings: [], same: asTemplate(dataset) }));
});

const edits: Case[] = [
  {
    saved: 'a tiimi workbook saved by LibreOffice Calc with "quote all text cells"',
    file: "tiimi-lainausmerkit-utf8-puolipiste.csv",
    dataset: "tiimi",
    rows: 10,
    encoding: "utf-8",
    warnings: [],
    same: asTemplate("tiimi"),
  },
  {
    saved: "a kuntouttava workbook with a title row typed above the header, saved as Windows-1252",
    file: "kuntouttava-otsikkorivi-windows1252.csv",
    dataset: "kuntouttava",
    rows: 2,
    encoding: "windows-1252",
    // the title row is Excel's row 1, so the header it pushed down is row 2
    warnings: [{ code: "SEU_CSV_LINES_ABOVE_HEADER", row: 2, line: 2, column: null, value: null }],
    same: asTemplate("kuntouttava"),
  },
  {
    saved: "a tiimi workbook with a Yhteensä row of =SUM() typed under the data, saved as Windows-1252",
    file: "tiimi-yhteensa-windows1252.csv",
    dataset: "tiimi",
    rows: 10,
    encoding: "windows-1252",
    warnings: [{ code: "SEU_CSV_TOTAL_ROW_IGNORED", row: 12, line: 12, column: null, value: "Yhteensä" }],
    same: asTemplate("tiimi"),
  },
  {
    saved:
      "a vammaispalvelut workbook with a Yhteensä row of =SUM() typed under the data, saved as UTF-8 with ,",
    file: "vammaispalvelut-yhteensa-utf8-pilkku.csv",
    dataset: "vammaispalvelut",
    rows: 3,
    encoding: "utf-8",
    warnings: [{ code: "SEU_CSV_TOTAL_ROW_IGNORED", row: 5, line: 5, column: null, value: "Yhteensä" }],
    same: asTemplate("vammaispalvelut"),
  },
  {
    saved:
      "a kuntouttava workbook with 1234 in a cell formatted with the Finnish thousands separator, saved as Windows-1252",
    file: "kuntouttava-tuhaterotin-windows1252.csv",
    dataset: "kuntouttava",
    rows: 2,
    encoding: "windows-1252",
    // Calc writes the cell as shown: 1, a no-break space (byte 0xA0), 234
    warnings: [{ code: "SEU_VAL_COUNT_GROUPED", row: 2, line: 2, column: "asiakkaat", value: `1${NBSP}234` }],
    same: {
      as: "the template with 1234",
      text: () => edited("kuntouttava", "529;2024Q1;64;", "529;2024Q1;1234;"),
    },
  },
  {
    saved:
      "a kuntouttava workbook with 1234 in a cell formatted with the Finnish thousands separator, saved as UTF-8 with ,",
    file: "kuntouttava-tuhaterotin-utf8-pilkku.csv",
    dataset: "kuntouttava",
    rows: 2,
    encoding: "utf-8",
    // Calc writes the cell as shown: 1, a no-break space (bytes C2 A0), 234
    warnings: [{ code: "SEU_VAL_COUNT_GROUPED", row: 2, line: 2, column: "asiakkaat", value: `1${NBSP}234` }],
    same: {
      as: "the template with 1234",
      text: () => edited("kuntouttava", "529;2024Q1;64;", "529;2024Q1;1234;"),
    },
  },
  {
    saved:
      "a tiimi template for Helsinki (091) opened in LibreOffice Calc, which made the code the number 91",
    file: "tiimi-etunolla-windows1252.csv",
    dataset: "tiimi",
    rows: 10,
    encoding: "utf-8",
    warnings: Array.from({ length: 10 }, (_, i) => ({
      code: "SEU_VAL_KUNTA_CODE_FORM",
      row: i + 2,
      line: i + 2,
      column: "kunta",
      value: "91",
    })),
    same: { as: "the template for 091", text: () => edited("tiimi", "\n529;", "\n091;") },
  },
];

let checker: Promise<TestEnv> | undefined;
afterAll(async () => {
  await (await checker)?.close();
});

/** A dry run through the real pipeline (one database for all of them: a dry run stores nothing). */
async function check(name: string, bytes: Uint8Array): Promise<FileReport> {
  checker ??= makeTestEnv();
  const report = await (await checker).ingest(name, bytes, { dryRun: true });
  expectWellFormed(report);
  return report;
}

/** Loads a file into a new database and returns the dataset's stored rows (without the load id). */
async function storedRows(dataset: Dataset, name: string, content: string | Uint8Array): Promise<unknown[]> {
  const env = await makeTestEnv();
  try {
    const report = await env.ingest(name, content);
    expectWellFormed(report);
    expect(report).toMatchObject({ status: "loaded", dataset });
    const rows = await env.db.all(`SELECT * EXCLUDE (load_id) FROM ${dataset} ORDER BY ALL`);
    return JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
  } finally {
    await env.close();
  }
}

const warningPlaces = (report: FileReport): Place[] =>
  report.warnings.map(({ code, row, line, column, value }) => ({ code, row, line, column, value }));

const describeWarnings = (c: Case) =>
  c.warnings.length === 0 ? "no warnings" : `only ${[...new Set(c.warnings.map((w) => w.code))].join(", ")}`;

describe.each([...plain, ...edits])("$file", (c) => {
  test(`${c.saved} is read as ${c.encoding} and valid: ${c.dataset}, ${c.rows} rows, ${describeWarnings(c)}`, async () => {
    const report = await check(c.file, fixture(c.file));
    expect(report).toMatchObject({ status: "valid", dataset: c.dataset, rows: c.rows, encoding: c.encoding });
    expect(warningPlaces(report)).toEqual(c.warnings);
  });

  test(`${c.saved} loads the same rows as ${c.same.as}`, async () => {
    const expected = await storedRows(c.dataset, `${c.dataset}_esimerkki.csv`, c.same.text());
    expect(expected.length).toBeGreaterThan(0);
    expect(await storedRows(c.dataset, c.file, fixture(c.file))).toEqual(expected);
  });
});

describe("workbooks are not CSV", () => {
  test.each(["kuntouttava", "vammaispalvelut", "tiimi"] as const)(
    "a %s workbook saved by LibreOffice Calc as .xlsx is rejected as an Excel workbook",
    async (dataset) => {
      const report = await check(`${dataset}.xlsx`, fixture(`${dataset}.xlsx`));
      expect(report).toMatchObject({ status: "rejected", dataset: null, rows: 0, warnings: [] });
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ code: "SEU_FILE_BINARY", row: null, line: null });
      expect(report.errors[0]?.message).toContain("Excel-työkirja (.xlsx)");
    },
  );

  test("a workbook saved by LibreOffice Calc as Excel 97 .xls is rejected as a legacy Excel workbook", async () => {
    const report = await check("kuntouttava.xls", fixture("kuntouttava.xls"));
    expect(report).toMatchObject({ status: "rejected", dataset: null, rows: 0, warnings: [] });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: "SEU_FILE_BINARY" });
    expect(report.errors[0]?.message).toContain("(.xls)");
  });

  test("a workbook saved in LibreOffice Calc's own .ods format is rejected as a binary file", async () => {
    const report = await check("kuntouttava.ods", fixture("kuntouttava.ods"));
    expect(report).toMatchObject({ status: "rejected", dataset: null, rows: 0, warnings: [] });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ code: "SEU_FILE_BINARY" });
  });

  test("an .ods workbook is named as such and the fix says how to save CSV from LibreOffice", async () => {
    const report = await check("kuntouttava.ods", fixture("kuntouttava.ods"));
    expect(report.errors[0]?.message).toContain("OpenDocument-laskentataulukko (.ods)");
    expect(report.errors[0]?.message).toContain("LibreOffice Calcissa");
  });
});
