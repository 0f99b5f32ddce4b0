import type { FastifyBaseLogger } from "fastify";
import { ingestBytes } from "../../pipelines/ingest.ts";
import type { FileReport } from "../../pipelines/report.ts";
import type { AppContext } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import type { ReceivedUpload } from "./receive.ts";
import { type KeySummary, loadSummary } from "./summary.ts";

export interface UploadOutcome {
  /** 200 loaded / unchanged / valid, 403 rows of municipalities the analyst may not send, 422 other rejections. */
  status: number;
  report: FileReport;
  summary: KeySummary[];
}

/**
 * Sends an uploaded file through exactly the pipeline the inbox and the CLI use; an analyst's file is
 * checked against their municipalities, and a load is followed by the recompute before the answer, so
 * the dashboard already shows the new figures when the analyst goes to look.
 */
export async function handleUpload(
  deps: AppContext,
  principal: Principal,
  upload: ReceivedUpload,
  log: FastifyBaseLogger,
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
  if (report.status === "loaded") {
    try {
      await deps.afterLoad("upload");
    } catch (error) {
      // the data is loaded and committed; the analyst gets the report, and the indicators are
      // recomputed at the next load, inbox run or start (recomputeIfStale sees them stale)
      log.error({ err: error, load_id: report.load_id }, "recompute after upload failed");
    }
  }
  const summary = await loadSummary(await deps.db.reader(), report);
  const forbidden = report.errors.some((e) => e.code === "SEU_ROW_KUNTA_NOT_ALLOWED");
  const status = report.status !== "rejected" ? 200 : forbidden ? 403 : 422;
  return { status, report, summary };
}
