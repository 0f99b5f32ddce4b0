import fs from "node:fs";
import path from "node:path";
import { recordAudit } from "../core/audit.ts";
import { type Config, dataFolders, todayOf } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { failpoint } from "../core/failpoint.ts";
import { lastEndedQuarter } from "../core/quarter.ts";
import { archiveBytes, sha256, writeFileAtomic } from "./archive.ts";
import { loadIfClean, loadTypedRows, nextLoadId } from "./load.ts";
import { isError, type Problem, problem } from "./problem.ts";
import { expectedLayout, readCsvText } from "./read.ts";
import { type FileReport, renderReportText } from "./report.ts";
import { decodeBytes } from "./sniff.ts";
import { discardStaging, stage, startStaging, validateStaged } from "./validate.ts";

export interface IngestInput {
  /** The name the file was sent with (shown in reports, never used as a path). */
  fileName: string;
  bytes: Uint8Array;
  /** Who sent it: a user's display name, "inbox" or "cli". */
  sender: string;
  /** The token that sent the file (uploads): the analyst's own history and the audit log use it. */
  senderId?: string | null;
  source: "cli" | "inbox" | "upload" | "demo";
  /** Validate only: nothing is archived, loaded or quarantined. */
  dryRun?: boolean;
  /** Current municipality codes the sender may send data for; null or absent = any. */
  allowedKunnat?: readonly string[] | null;
}

export interface IngestContext {
  db: Database;
  config: Config;
  /** The moment the file is taken in (injected by tests). */
  now?: Date;
}

/**
 * Takes one file through the whole pipeline: archive → decode → read → validate → load in one
 * transaction, or reject into quarantine with reports. Never throws for bad input.
 */
export async function ingestBytes(ctx: IngestContext, input: IngestInput): Promise<FileReport> {
  const { db, config } = ctx;
  const now = ctx.now ?? new Date();
  const hash = sha256(input.bytes);
  const folders = dataFolders(config);
  if (!input.dryRun) {
    archiveBytes(folders.archive, hash, input.bytes);
    failpoint("after-archive");
  }
  return db.exclusive(async () => {
    if (!input.dryRun) {
      const previous = await db.one<{ load_id: bigint; dataset: string; rows: number }>(
        `SELECT load_id, dataset, rows FROM loads WHERE sha256 = ? AND status = 'loaded' ORDER BY load_id LIMIT 1`,
        [hash],
      );
      if (previous) {
        return baseReport(input, hash, {
          dataset: previous.dataset,
          status: "unchanged",
          load_id: Number(previous.load_id),
        });
      }
    }
    const report = await validateAndLoad(ctx, input, hash, now);
    if (report.status === "rejected" && !input.dryRun) await recordRejection(ctx, input, report, now);
    return report;
  });
}

function baseReport(input: IngestInput, hash: string, extra: Partial<FileReport>): FileReport {
  return {
    file: input.fileName,
    sha256: hash,
    dataset: null,
    status: "rejected",
    rows: 0,
    keys_replaced: [],
    warnings: [],
    errors: [],
    load_id: null,
    encoding: null,
    ...extra,
  };
}

const split = (problems: Problem[]) => ({
  errors: problems.filter(isError),
  warnings: problems.filter((p) => !isError(p)),
});

/** The first `max` problems by line, and one more that counts the ones left out. */
function firstOf(
  problems: Problem[],
  max: number,
  countCode: "SEU_FILE_TOO_MANY_PROBLEMS" | "SEU_FILE_MORE_WARNINGS",
): Problem[] {
  const sorted = byLine(problems);
  if (sorted.length <= max) return sorted;
  return [...sorted.slice(0, max), problem(countCode, {}, { shown: max, more: sorted.length - max })];
}

/** File-level problems first, then in the order of the file. */
const byLine = (problems: Problem[]) => [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

async function validateAndLoad(
  ctx: IngestContext,
  input: IngestInput,
  hash: string,
  now: Date,
): Promise<FileReport> {
  const { db, config } = ctx;
  const decoded = decodeBytes(input.bytes);
  if (!decoded.ok) return baseReport(input, hash, { errors: [decoded.problem] });
  // DuckDB reads the data records (in another thread) while the scan goes through the text; UTF-8
  // bytes are handed over as they are
  const layout = expectedLayout(decoded.text);
  const early = layout
    ? startStaging(db, layout, decoded.encoding === "utf-8" ? input.bytes : decoded.text)
    : undefined;
  const read = readCsvText(decoded.text);
  if (early && (!read.ok || read.dataRows === 0)) await discardStaging(db, early);
  if (!read.ok) return baseReport(input, hash, { encoding: decoded.encoding, ...split(read.problems) });
  const structural = split(read.problems);
  const base = { dataset: read.dataset.name, encoding: decoded.encoding };
  if (read.dataRows === 0) {
    return baseReport(input, hash, {
      ...base,
      errors: firstOf(structural.errors, config.maxProblems, "SEU_FILE_TOO_MANY_PROBLEMS"),
      warnings: firstOf(structural.warnings, config.maxProblems, "SEU_FILE_MORE_WARNINGS"),
    });
  }

  const options = {
    lastQuarter: lastEndedQuarter(todayOf(config, now)),
    today: todayOf(config, now),
    maxProblems: config.maxProblems,
    allowedKunnat: input.allowedKunnat ?? null,
  };
  const staged = await stage(db, read, options, early);
  try {
    const loaded =
      (warnings: Problem[]) =>
      (loadId: number, keysReplaced: Record<string, string>[]): FileReport =>
        baseReport(input, hash, {
          ...base,
          status: "loaded",
          rows: read.dataRows,
          warnings,
          keys_replaced: keysReplaced,
          load_id: loadId,
        });
    const record = (warnings: Problem[]) => ({
      fileName: input.fileName,
      sha256: hash,
      sender: input.sender,
      senderId: input.senderId ?? null,
      source: input.source,
      receivedAt: now,
      rows: read.dataRows,
      warnings: warnings.length,
      report: loaded(warnings),
    });
    // A file whose structure is sound is most likely clean: it is loaded straight from its typing view.
    // Should a row have a problem after all, that load is undone and the file validated in full below.
    let loadId: number | undefined;
    if (!input.dryRun && read.problems.length === 0 && staged.rejected.length === 0) {
      loadId = await nextLoadId(db);
      const result = await loadIfClean(db, read.dataset, staged.typedView, record([]), loadId);
      if (result) return loaded([])(result.loadId, result.keysReplaced);
    }
    const validation = await validateStaged(db, staged, options);
    const errors = byLine([...structural.errors, ...validation.errors]).slice(0, config.maxProblems + 1);
    const warnings = byLine([...structural.warnings, ...validation.warnings]);
    if (errors.length > 0)
      return baseReport(input, hash, { ...base, errors, warnings, load_id: loadId ?? null });
    if (input.dryRun)
      return baseReport(input, hash, { ...base, status: "valid", rows: read.dataRows, warnings });
    const result = await loadTypedRows(db, read.dataset, validation.typedTable, record(warnings), loadId);
    return loaded(warnings)(result.loadId, result.keysReplaced);
  } finally {
    await staged.dropTables();
  }
}

/** Keeps a rejected file and its reports in quarantine and in the load history. */
async function recordRejection(ctx: IngestContext, input: IngestInput, report: FileReport, now: Date) {
  const { db, config } = ctx;
  const result = await db.inTransaction(async (tx) => {
    // a file that failed loadIfClean brings the load id it took
    const id = report.load_id ?? (await nextLoadId(tx));
    report.load_id = id;
    await tx.run(
      `INSERT INTO loads (load_id, file_name, sha256, dataset, status, sender, sender_id, source, received_at,
         rows, keys_replaced, warnings, errors, report)
       VALUES (?, ?, ?, ?, 'rejected', ?, ?, ?, ?::TIMESTAMPTZ, 0, '[]'::JSON, ?, ?, ?::JSON)`,
      [
        id,
        input.fileName,
        report.sha256,
        report.dataset,
        input.sender,
        input.senderId ?? null,
        input.source,
        now.toISOString(),
        report.warnings.length,
        report.errors.length,
        JSON.stringify(report),
      ],
    );
    await recordAudit(tx, {
      action: "reject",
      actor: input.senderId ?? input.source,
      actorName: input.sender,
      loadId: id,
      at: now,
      detail: { file: input.fileName, dataset: report.dataset, errors: report.errors.length },
    });
    return id;
  });
  const quarantine = dataFolders(config).quarantine;
  // named by load id and content hash only: a sent file name never becomes part of a path (the
  // name is in the reports and the load history)
  const base = path.join(quarantine, `${result}_${report.sha256.slice(0, 16)}.data`);
  fs.mkdirSync(quarantine, { recursive: true });
  writeFileAtomic(base, input.bytes);
  writeFileAtomic(`${base}.report.json`, `${JSON.stringify({ files: [report] }, null, 2)}\n`);
  writeFileAtomic(`${base}.report.txt`, renderReportText({ files: [report] }));
}
