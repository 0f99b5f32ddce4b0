import type { Queryable } from "../core/db.ts";
import type { Lang } from "../core/lang.ts";
import type { ReleasePin } from "../indicators/read.ts";
import type { Catalogue } from "../indicators/registry.ts";
import type { Release } from "../indicators/release/figures.ts";
import { exportFileName } from "./filename.ts";
import { FORMATS, type FormatName } from "./formats/index.ts";
import { collectReport, type ExportSelection, type Report } from "./report.ts";

/** A written export: its file name, media type and bytes, with the report it was written from. */
export interface ExportFile {
  name: string;
  contentType: string;
  body: Buffer;
  report: Report;
}

/**
 * Collects a report for the selection and writes it in a format; what the CLI, the API and the
 * reports page all call. `unsuppressed` must only be passed for an admin (the caller checks).
 */
export async function writeExport(
  db: Queryable,
  request: {
    selection: ExportSelection;
    format: FormatName;
    lang?: Lang;
    threshold: number;
    unsuppressed?: boolean;
    catalogue?: Catalogue;
    /** A release's figures instead of the latest (see collectReport). */
    release?: { pin: ReleasePin; release: Release };
  },
): Promise<ExportFile> {
  const report = await collectReport(db, request.selection, {
    threshold: request.threshold,
    unsuppressed: request.unsuppressed,
    catalogue: request.catalogue,
    release: request.release,
  });
  const format = FORMATS[request.format];
  return {
    name: exportFileName(report, request.format),
    contentType: format.contentType,
    body: await format.write(report, request.lang ?? "fi"),
    report,
  };
}
