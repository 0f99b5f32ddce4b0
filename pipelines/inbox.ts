import fs from "node:fs";
import path from "node:path";
import { dataFolders } from "../core/config.ts";
import { failpoint } from "../core/failpoint.ts";
import type { Logger } from "../core/log.ts";
import { inboxFiles } from "./files.ts";
import { type IngestContext, ingestBytes } from "./ingest.ts";
import type { FileReport } from "./report.ts";

export interface InboxRun {
  runId: number;
  reports: FileReport[];
}

/**
 * Takes every settled file in the inbox through the pipeline and records the run. A file leaves the
 * inbox only after its outcome is stored (loaded and committed, or quarantined with its reports), so
 * a crash at any point leaves it there for the next run.
 */
export async function processInbox(
  ctx: IngestContext & { log: Logger },
  trigger: string,
  options: { settleMs?: number } = {},
): Promise<InboxRun> {
  const { db, config, log } = ctx;
  const started = new Date();
  const runId = Number(
    (
      await db.withTransaction((tx) =>
        tx.one<{ id: bigint }>(
          `INSERT INTO runs (trigger, started_at, status) VALUES (?, ?::TIMESTAMPTZ, 'running') RETURNING run_id AS id`,
          [trigger, started.toISOString()],
        ),
      )
    )?.id,
  );
  const reports: FileReport[] = [];
  let status = "ok";
  let message: string | null = null;
  try {
    for (const file of inboxFiles(dataFolders(config).inbox, options.settleMs ?? 2000)) {
      const bytes = fs.readFileSync(file);
      const report = await ingestBytes(ctx, {
        fileName: path.basename(file),
        bytes,
        sender: "inbox",
        source: "inbox",
      });
      failpoint("inbox-before-remove");
      fs.rmSync(file, { force: true });
      reports.push(report);
      log.log(report.status === "rejected" ? "warn" : "info", "inbox file processed", {
        runId,
        file: report.file,
        sha256: report.sha256,
        dataset: report.dataset,
        status: report.status,
        rows: report.rows,
        errors: report.errors.length,
        warnings: report.warnings.length,
      });
    }
  } catch (error) {
    status = "failed";
    message = (error as Error).message;
    log.log("error", "inbox run failed", { runId, error: message });
  }
  const count = (s: FileReport["status"]) => reports.filter((r) => r.status === s).length;
  await db.withTransaction((tx) =>
    tx.run(
      `UPDATE runs SET finished_at = ?::TIMESTAMPTZ, status = ?, files = ?, loaded = ?, unchanged = ?, rejected = ?, message = ?
       WHERE run_id = ?`,
      [
        new Date().toISOString(),
        status,
        reports.length,
        count("loaded"),
        count("unchanged"),
        count("rejected"),
        message,
        runId,
      ],
    ),
  );
  log.log("info", "inbox run finished", {
    runId,
    trigger,
    status,
    files: reports.length,
    loaded: count("loaded"),
    rejected: count("rejected"),
    unchanged: count("unchanged"),
    ms: Date.now() - started.getTime(),
  });
  if (status === "failed") throw new Error(`inbox run ${runId} failed: ${message}`);
  return { runId, reports };
}
