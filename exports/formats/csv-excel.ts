import type { Lang } from "../../core/lang.ts";
import { STATUS_TEXT } from "../../indicators/format.ts";
import { metadataLines } from "../metadata.ts";
import { neutralise } from "../neutralise.ts";
import type { Report } from "../report.ts";
import {
  COLUMNS,
  type Column,
  kuntaName,
  levelTitle,
  selectionText,
  type TableRow,
  tableRows,
  unitText,
} from "../table.ts";

/** A text cell for Excel: neutralised, quoted where it holds `;`, a quote or a line break. */
export function excelText(value: string): string {
  const safe = neutralise(value);
  return /[;"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A number for Finnish Excel: decimal comma, no thousands separator. */
function excelNumber(n: number | null, decimals: number): string {
  return n === null ? "" : n.toFixed(decimals).replace(".", ",");
}

/** One cell of a row as Excel reads it: names and words in the language, numbers with a decimal comma. */
function excelCell(row: TableRow, key: keyof TableRow, lang: Lang): string {
  switch (key) {
    // a hidden value is its symbol, never an empty cell that could pass for a zero or a gap
    case "value":
      return row.value === null ? excelText(row.symbol) : excelNumber(row.value, row.decimals);
    case "numerator":
    case "denominator":
      return excelNumber(row[key], 0);
    case "reported":
    case "members":
    case "decimals":
      return String(row[key]);
    case "level":
      return excelText(levelTitle(row.level, lang));
    case "unit":
      return excelText(unitText(row.unit, lang));
    case "status":
      return excelText(STATUS_TEXT[row.status][lang]);
    case "missing_kunnat":
      return excelText(row.missing_kunnat.join(" "));
    default:
      return excelText(String(row[key]));
  }
}

/**
 * The report as CSV for Finnish Excel: UTF-8 with a BOM, `;`, decimal comma, CRLF. The metadata comes
 * first as `label;value` lines (an unsuppressed export's first line is the notice), then an empty
 * line, then the table with its heading row; Excel shows the metadata above the table and DuckDB's
 * read_csv finds the table by itself (it skips the lines above the header).
 */
export async function csvForExcel(report: Report, lang: Lang): Promise<Buffer> {
  const lines = metadataLines(report.metadata, lang, {
    selection: selectionText(report, lang),
    kuntaName: kuntaName(report, lang),
  }).map(([label, value]) => (value === "" ? excelText(label) : `${excelText(label)};${excelText(value)}`));
  lines.push("", ...excelTable(tableRows(report, lang), COLUMNS, lang));
  return excelFile(lines);
}

/** The heading row and a line per row, of the columns given (a page download writes fewer). */
export function excelTable(rows: TableRow[], columns: readonly Column[], lang: Lang): string[] {
  return [
    columns.map((c) => excelText(c.label[lang])).join(";"),
    ...rows.map((row) => columns.map((c) => excelCell(row, c.key, lang)).join(";")),
  ];
}

/** Lines as a CSV file for Excel: UTF-8 with a BOM, CRLF. */
export function excelFile(lines: string[]): Buffer {
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}
