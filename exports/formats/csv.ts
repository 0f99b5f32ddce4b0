import type { Lang } from "../../core/lang.ts";
import { UNSUPPRESSED_NOTICE } from "../metadata.ts";
import { neutralise } from "../neutralise.ts";
import type { Report } from "../report.ts";
import { COLUMNS, type TableRow, tableRows } from "../table.ts";

/** A text cell of the machine CSV: neutralised, quoted (RFC 4180) where it holds `,`, a quote or a line break. */
export function machineText(value: string): string {
  const safe = neutralise(value);
  return /[,"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function cell(row: TableRow, key: keyof TableRow): string {
  const value = row[key];
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return machineText(value.join(" "));
  return machineText(value);
}

/**
 * The report as CSV for machines: UTF-8 without a BOM, `,`, decimal point, LF, the heading row first
 * with snake_case column names. The metadata rides along as five constant columns at the end
 * (data_as_of, definitions_version, suppression_threshold, suppression_applied, release), so that the file
 * reads as one table anywhere. An unsuppressed export has the notice as its first line, before the
 * heading: a reader has to skip it on purpose (DuckDB's read_csv does so by itself).
 */
export async function csvForMachines(report: Report, lang: Lang): Promise<Buffer> {
  const meta = report.metadata;
  const extra = [
    machineText(meta.dataAsOf ?? ""),
    machineText(meta.definitionsVersion),
    String(meta.suppressionThreshold),
    String(meta.suppressionApplied),
    meta.release === null ? "" : String(meta.release),
  ];
  const lines: string[] = [];
  if (!meta.suppressionApplied) lines.push(machineText(UNSUPPRESSED_NOTICE));
  lines.push(
    [
      ...COLUMNS.map((c) => c.key),
      "data_as_of",
      "definitions_version",
      "suppression_threshold",
      "suppression_applied",
      "release",
    ].join(","),
  );
  for (const row of tableRows(report, lang))
    lines.push([...COLUMNS.map((c) => cell(row, c.key)), ...extra].join(","));
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}
