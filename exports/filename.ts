import type { FormatName } from "./formats/index.ts";
import { FORMATS } from "./formats/index.ts";
import { periodLabel, type Report } from "./report.ts";

/**
 * The file name says what and when: `seuranta_<levels>_<period>_<data as of>_julkaisu-<release>.<ext>`,
 * e.g. `seuranta_hyvinvointialue_2024_2025-11-20_julkaisu-3.xlsx`. The date is the last load's, never today's, so the
 * same data gives the same name; an unsuppressed file says so in its name too, and the Excel CSV
 * differs from the machine CSV by `_excel`.
 */
export function exportFileName(report: Report, format: FormatName): string {
  const levels = report.selection.levels.length > 0 ? report.selection.levels.join("-") : "koko_maa";
  const parts = [
    "seuranta",
    levels,
    periodLabel(report.selection),
    report.metadata.dataAsOfDate ?? "ei-aineistoa",
  ];
  if (report.metadata.release !== null) parts.push(`julkaisu-${report.metadata.release}`);
  if (!report.metadata.suppressionApplied) parts.push("SUOJAAMATON");
  if (format === "csv-excel") parts.push("excel");
  return `${parts.join("_")}.${FORMATS[format].extension}`;
}
