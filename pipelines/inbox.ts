import fs from "node:fs";
import path from "node:path";
import { dataFolders } from "../core/config.ts";
import { failpoint } from "../core/failpoint.ts";
import type { Logger } from "../core/log.ts";
import { InboxWatch } from "./files.ts";
import { type IngestContext, ingestBytes } from "./ingest.ts";
import type { FileReport } from "./report.ts";

export interface InboxRun {
  runId: number;
  reports: FileReport[];
  /** Files left for a later run because they may still be being written. */
  waiting: string[];
}

/**
 * Takes every complete file in the inbox through the pipeline and records the run. A file leaves the
 * inbox only after its outcome is stored (loaded and committed, or quarantined with its reports), so
 * a crash at any point leaves it there for the next run. `watch` carries what earlier runs saw (the
 * schedule keeps one); without it every file is seen for the first time (SEURANTA_INBOX_SETTLE_S).
 */
export async function processInbox(
  ctx: IngestContext & { log: Logger },
  trigger: string,
  options: { watch?: InboxWatch } = {},
): Promise<InboxRun> {
  const { db, config, log } = ctx;
  const watch = options.watch ?? new InboxWatch(config.inboxSettleS * 1000);
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
  let waiting: string[] = [];
  let status = "ok";
  let message: string | null = null;
  try {
    const scan = watch.scan(dataFolders(config).inbox);
    waiting = scan.waiting.map((file) => path.basename(file));
    if (waiting.length > 0)
      log.log("info", "inbox files not taken yet: changed within the settle time", {
        runId,
        files: waiting,
        settleSeconds: config.inboxSettleS,
      });
    for (const file of scan.settled) {
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
  return { runId, reports, waiting };
}
