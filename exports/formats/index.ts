import type { Lang } from "../../core/lang.ts";
import type { Report } from "../report.ts";
import { csvForMachines } from "./csv.ts";
import { csvForExcel } from "./csv-excel.ts";
import { jsonStat } from "./jsonstat.ts";
import { parquetFile } from "./parquet.ts";

/** One export format: its file name extension, its media type and its writer. */
export interface ExportFormat {
  extension: string;
  contentType: string;
  /** Writes the report; the same report gives the same bytes. */
  write(report: Report, lang: Lang): Promise<Buffer>;
}

// exceljs and apache-arrow are large: their writers are imported when first used, not with this list
const xlsxFile: ExportFormat["write"] = async (report, lang) =>
  (await import("./xlsx.ts")).xlsxFile(report, lang);
const arrowFile: ExportFormat["write"] = async (report, lang) =>
  (await import("./arrow.ts")).arrowFile(report, lang);

/** The formats, by the names DESIGN.md gives them (`--format` and `?format=`). */
export const FORMATS = {
  "csv-excel": { extension: "csv", contentType: "text/csv; charset=utf-8", write: csvForExcel },
  csv: { extension: "csv", contentType: "text/csv; charset=utf-8", write: csvForMachines },
  xlsx: {
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    write: xlsxFile,
  },
  jsonstat: { extension: "json", contentType: "application/json; charset=utf-8", write: jsonStat },
  arrow: { extension: "arrow", contentType: "application/vnd.apache.arrow.file", write: arrowFile },
  parquet: { extension: "parquet", contentType: "application/vnd.apache.parquet", write: parquetFile },
} as const satisfies Record<string, ExportFormat>;

export type FormatName = keyof typeof FORMATS;

/** The format names in the order they are offered. */
export const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];

/** True for a known format name. */
export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
