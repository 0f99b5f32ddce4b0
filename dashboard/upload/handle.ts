import { type Publication, publicationOf } from "../../indicators/release/publication.ts";
import { ingestBytes } from "../../pipelines/ingest.ts";
import type { FileReport } from "../../pipelines/report.ts";
import type { AppContext } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import type { ReceivedUpload } from "./receive.ts";
import { type KeySummary, loadSummary } from "./summary.ts";

export interface UploadOutcome {
  /** 200 loaded / unchanged / valid, 403 rows of municipalities the analyst may not send, 422 other rejections. */
  status: 200 | 403 | 422;
  report: FileReport;
  summary: KeySummary[];
  /** Where the loaded data's figures are (being prepared, as a rule); null when nothing was loaded. */
  publication: Publication | null;
}

/**
 * Sends an uploaded file through exactly the pipeline the inbox and the CLI use; an analyst's file is
 * checked against their municipalities. The answer comes right after the load's commit: the new figures
 * (recompute, protection, audit, release) are asked for from the publisher, which makes them in the
 * background, and the report says they are being prepared.
 */
export async function handleUpload(
  deps: AppContext,
  principal: Principal,
  upload: ReceivedUpload,
): Promise<UploadOutcome> {
  const report = await ingestBytes(
    { db: deps.db, config: deps.config },
    {
      fileName: upload.fileName,
      bytes: upload.bytes,
      sender: principal.name,
      senderId: principal.tokenId,
      source: "upload",
      dryRun: upload.dryRun,
      // admins run the service and may correct any municipality's data
      allowedKunnat: principal.role === "analyst" ? principal.kunnat : null,
    },
  );
  if (report.status === "loaded") deps.publisher.request("upload");
  const reader = await deps.db.reader();
  const summary = await loadSummary(reader, report);
  const publication =
    report.status === "loaded" && report.load_id !== null
      ? await publicationOf(reader, report.load_id)
      : null;
  const forbidden = report.errors.some((e) => e.code === "SEU_ROW_KUNTA_NOT_ALLOWED");
  const status = report.status !== "rejected" ? 200 : forbidden ? 403 : 422;
  return { status, report, summary, publication };
}
