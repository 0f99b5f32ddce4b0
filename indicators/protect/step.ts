import type { Database } from "../../core/db.ts";
import type { AuditReport } from "./audit.ts";
import {
  type CertificateColumns,
  certificateColumns,
  certificatesOf,
  certificatesWithRanges,
} from "./certificate-columns.ts";
import type { ProtectionSummary, ProtectJob, ReleaseColumns, StepSettings, StoredColumns } from "./job.ts";
import { offThread } from "./off-thread.ts";
import type { Certificate } from "./protect.ts";
import { mergeOutcomes, mergeReports, splitAuditJob, splitProtectJob } from "./split.ts";

export type { ProtectionSummary } from "./job.ts";

/**
 * The protection step of a recompute and the audit of a stored release, on DuckDB tables: reads the
 * values and inner cells into typed arrays here (the process's one connection), then protects and
 * audits them in a worker thread (job.ts, off-thread.ts), and hands back which rows to hide. The SQL
 * names come from the callers (protection-tables.ts), never from input.
 */

/** Reads a query's INTEGER/DOUBLE columns into typed arrays, chunk by chunk (no per-value objects). */
export async function readColumns(db: Database, sql: string, types: ("int" | "double")[]) {
  const result = await db.connection.run(sql);
  const chunks = await result.fetchAllChunks();
  const n = chunks.reduce((sum, c) => sum + c.rowCount, 0);
  const out = types.map((t) => (t === "int" ? new Int32Array(n) : new Float64Array(n)));
  let offset = 0;
  for (const chunk of chunks) {
    types.forEach((_, i) => {
      const items = (chunk.getColumnVector(i) as unknown as { items: Int32Array | Float64Array }).items;
      out[i]?.set(items.subarray(0, chunk.rowCount), offset);
    });
    offset += chunk.rowCount;
  }
  return out;
}

/** Where the values, the inner cells and the areas are, with the settings of job.ts. */
export interface StepTables extends StepSettings {
  /**
   * SQL giving per value: rid (any integer id), ind, cell, area_id, level, ptype, last_qi, numerator,
   * denominator, reported, status (STATUSES code), published (1/0), forced (1/0), kept (the numbers
   * to keep hidden: bit 0 numerator, bit 1 denominator), parts (the numbers a hidden row shows: bits
   * as kept).
   */
  values: string;
  /** SQL giving per inner cell: atom (global index into model.atoms), kid, qi, value, ok (1/0). */
  cells: string;
  /** Table of (kunta, kid, level, area_id). */
  areas: string;
}

/** The settings of a StepTables, without its SQL (what the worker thread needs). */
function settingsOf({
  values: _values,
  cells: _cells,
  areas: _areas,
  ...settings
}: StepTables): StepSettings {
  return settings;
}

/** The columns of tables.values: name in SQL, type, name in ReleaseColumns. */
const VALUE_COLUMNS: [string, "int" | "double", keyof ReleaseColumns["values"]][] = [
  ["rid", "int", "rid"],
  ["ind", "int", "ind"],
  ["cell", "int", "cell"],
  ["area_id", "int", "area"],
  ["level", "int", "level"],
  ["ptype", "int", "ptype"],
  ["last_qi", "int", "lastQi"],
  ["numerator", "double", "numerator"],
  ["denominator", "double", "denominator"],
  ["reported", "int", "reported"],
  ["status", "int", "status"],
  ["published", "int", "published"],
  ["forced", "int", "forced"],
  ["kept", "int", "kept"],
  ["parts", "int", "parts"],
];

/** The values, areas and inner cells of a release, read into typed arrays. */
async function readRelease(db: Database, tables: StepTables): Promise<ReleaseColumns> {
  const int = "int" as const;
  const values = await readColumns(
    db,
    `SELECT ${VALUE_COLUMNS.map(([column, type]) =>
      type === int ? `${column}::INTEGER` : `coalesce(${column}, 0)::DOUBLE`,
    )} FROM (${tables.values})
     -- a fixed order: the same data always gets the same protection (a release repeats the last)
     ORDER BY level, ind, cell, area_id, ptype, last_qi`,
    VALUE_COLUMNS.map(([, type]) => type),
  );
  const [kid, areaLevel, areaId] = await readColumns(
    db,
    `SELECT kid::INTEGER, level::INTEGER, area_id::INTEGER FROM ${tables.areas}`,
    [int, int, int],
  );
  const [atom, cellKid, qi, value, ok] = await readColumns(
    db,
    `SELECT atom::INTEGER, kid::INTEGER, qi::INTEGER, coalesce(value, 0)::DOUBLE, ok::INTEGER FROM (${tables.cells})`,
    [int, int, int, "double", int],
  );
  const i32 = (a: Int32Array | Float64Array | undefined) => a as Int32Array;
  const f64 = (a: Int32Array | Float64Array | undefined) => a as Float64Array;
  return {
    values: Object.fromEntries(
      VALUE_COLUMNS.map(([, , name], i) => [name, values[i]]),
    ) as ReleaseColumns["values"],
    areas: { kid: i32(kid), level: i32(areaLevel), areaId: i32(areaId) },
    cells: { atom: i32(atom), kid: i32(cellKid), qi: i32(qi), value: f64(value), ok: i32(ok) },
  };
}

/** The certificates of a stored release (table of id, component, kid, qi, atom, sign) as columns. */
async function readCertificateColumns(db: Database, table: string): Promise<CertificateColumns> {
  const [id, component, kid, qi, atom, sign] = (await readColumns(
    db,
    `SELECT id::INTEGER, component::INTEGER, kid::INTEGER, qi::INTEGER, atom::INTEGER, sign::INTEGER
     FROM ${table} ORDER BY id`,
    ["int", "int", "int", "int", "int", "int"],
  )) as Int32Array[];
  const column = (a: Int32Array | undefined) => a ?? new Int32Array(0);
  return {
    id: column(id),
    component: column(component),
    kid: column(kid),
    qi: column(qi),
    atom: column(atom),
    sign: column(sign),
  };
}

/** The certificates of a stored release (table of id, component, kid, qi, atom, sign), their ranges unset. */
export async function readCertificates(db: Database, table: string): Promise<Certificate[]> {
  return certificatesOf(await readCertificateColumns(db, table));
}

/** A stored release: its tables for readRelease, and the table of its certificates. */
export interface StoredRelease {
  tables: StepTables;
  certificates: string;
}

async function readStored(db: Database, stored: StoredRelease): Promise<StoredColumns> {
  return {
    settings: settingsOf(stored.tables),
    columns: await readRelease(db, stored.tables),
    certificates: await readCertificateColumns(db, stored.certificates),
  };
}

/** A computed release read for protection (readForProtection), to protect with protectRead. */
export interface ReadRelease {
  job: ProtectJob;
  /** Milliseconds the reads took. */
  readMs: number;
}

/**
 * Reads a computed release for its protection, with the release being served (`served`, as stored):
 * the only part of protectRelease that needs the database.
 */
export async function readForProtection(
  db: Database,
  tables: StepTables,
  served?: StoredRelease,
): Promise<ReadRelease> {
  const started = performance.now();
  const columns = await readRelease(db, tables);
  const servedColumns = served ? await readStored(db, served) : undefined;
  return {
    job: { settings: settingsOf(tables), columns, ...(servedColumns ? { served: servedColumns } : {}) },
    readMs: Math.round(performance.now() - started),
  };
}

/** What protecting a release gives (protectRelease, protectRead). */
export interface Protection {
  /** Rows with a hidden number (by rid), which numbers they still show, and whether hidden for others. */
  hide: Int32Array;
  parts: Int8Array;
  secondary: Uint8Array;
  certificates: Certificate[];
  summary: ProtectionSummary;
}

/**
 * Protects and audits a release read by readForProtection in worker threads, without the database
 * (job.ts protectColumns): split by component among up to `threads` of them (split.ts). Its arrays
 * move to the workers: `read` cannot be used again.
 */
export async function protectRead(read: ReadRelease, threads = 1): Promise<Protection> {
  const started = performance.now();
  const jobs = splitProtectJob(read.job, threads);
  const outcome = mergeOutcomes(await Promise.all(jobs.map((job, slot) => offThread("protect", job, slot))));
  const { summary } = outcome;
  // the worker's own steps, and the time the job took here beyond them (start, moving the arrays)
  const inWorker = Object.values(summary.ms).reduce((sum, x) => sum + x, 0);
  const thread = Math.max(0, Math.round(performance.now() - started) - inWorker);
  return {
    ...outcome,
    certificates: certificatesWithRanges(outcome.certificates),
    summary: { ...summary, ms: { read: read.readMs, ...summary.ms, thread } },
  };
}

/**
 * Protects and audits a computed release: the rows to hide (secondary) by rid, and the report. With
 * `served` (the release being served, as stored), the new release is protected and audited together
 * with everything that one published (earlier.ts). The reads are done here, the rest in the worker thread.
 */
export async function protectRelease(
  db: Database,
  tables: StepTables,
  served?: StoredRelease,
  threads = 1,
): Promise<Protection> {
  return protectRead(await readForProtection(db, tables, served), threads);
}

/**
 * Audits a stored release (statuses as published) with its certificates, and with an earlier one's,
 * split by component among up to `threads` worker threads.
 */
export async function auditStored(
  db: Database,
  tables: StepTables,
  certificates: Certificate[],
  options: { firstFinding?: boolean; earlier?: StoredRelease; threads?: number } = {},
): Promise<AuditReport> {
  const release = {
    settings: settingsOf(tables),
    columns: await readRelease(db, tables),
    certificates: certificateColumns(certificates),
  };
  const earlier = options.earlier ? await readStored(db, options.earlier) : undefined;
  const jobs = splitAuditJob(
    {
      release,
      ...(options.firstFinding !== undefined ? { firstFinding: options.firstFinding } : {}),
      ...(earlier ? { earlier } : {}),
    },
    options.threads ?? 1,
  );
  return mergeReports(await Promise.all(jobs.map((job, slot) => offThread("audit", job, slot))));
}
