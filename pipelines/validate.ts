import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../core/db.ts";
import type { ProblemCode } from "../core/errors.ts";
import type { Quarter } from "../core/quarter.ts";
import { sqlString } from "../core/sql.ts";
import { type Check, checksOf, problemsSql } from "./checks.ts";
import { columnsOf } from "./datasets/dataset.ts";
import { isError, type Problem, problem } from "./problem.ts";
import type { ExpectedLayout, ReadFile } from "./read.ts";
import { typedSql, typingLookupsSql } from "./typing.ts";

/**
 * Validation of a file's cells and rows in DuckDB: the staged VARCHAR cells are typed by SQL compiled
 * from the dataset definition, and every check is a query that yields problems with row and line.
 */

export interface ValidationOptions {
  /** The last quarter that may be reported (the last ended quarter). */
  lastQuarter: Quarter;
  /** Today (YYYY-MM-DD): no date after it may be reported. */
  today: string;
  /** How many errors (and, separately, warnings) a report lists before it only counts. */
  maxProblems: number;
  /** Municipalities the sender may send data for (current codes); null = anyone. */
  allowedKunnat: readonly string[] | null;
}

export interface Validation {
  /** Temp table holding the typed rows (canonical columns plus vuosi and neljannes). */
  typedTable: string;
  /**
   * The problems found here that the report lists beside the file's structural problems
   * (`file.problems`): chosen so that both together are the file's first `maxProblems` by line, plus
   * one count problem (SEU_FILE_TOO_MANY_PROBLEMS / SEU_FILE_MORE_WARNINGS) for all that are left out.
   */
  errors: Problem[];
  warnings: Problem[];
  /** Every error of the file, structural ones included, listed or not. */
  errorCount: number;
  dropTables: () => Promise<void>;
}

let tableCounter = 0;

/** The temp tables and views of one staging, by the staging's id. */
function tablesOf(id: string) {
  const stg = `stg_${id}`;
  return {
    stg,
    cells: `${stg}_cells`,
    typ: `typ_${id}`,
    prob: `prob_${id}`,
    rejects: `rej_${id}`,
    rejectScans: `rejscan_${id}`,
    full: `typfull_${id}`,
    bad: `bad_${id}`,
    lookups: { place: `place_${id}`, category: `catlk_${id}` },
  };
}

async function dropTablesOf(db: Database, id: string): Promise<void> {
  const t = tablesOf(id);
  for (const v of [t.full, t.stg]) await db.run(`DROP VIEW IF EXISTS ${v}`);
  const tables = [
    t.cells,
    t.typ,
    t.bad,
    t.prob,
    t.rejects,
    t.rejectScans,
    t.lookups.place,
    t.lookups.category,
  ];
  for (const table of tables) await db.run(`DROP TABLE IF EXISTS ${table}`);
}

/** A direct staging read that DuckDB started before the file's scan ended (startStaging). */
export interface StartedStaging {
  id: string;
  layout: ExpectedLayout;
  /** Settles once DuckDB has read the records: true, or false when it could not read them this way. */
  read: Promise<boolean>;
}

/**
 * Starts DuckDB reading the data records straight from the file, in the layout its header promises,
 * so that DuckDB reads while the scan (readCsvText) goes through the text. `content` is the file's own
 * bytes when they are UTF-8 as they stand (nothing to encode again), otherwise the decoded text.
 * Hand the result to stage, which keeps the read if the scan agrees, or to discardStaging.
 */
export function startStaging(
  db: Database,
  layout: ExpectedLayout,
  content: string | Uint8Array,
): StartedStaging {
  const id = `${process.pid}_${++tableCounter}`;
  const staging = { kind: "direct" as const, skipLines: layout.skipLines };
  const read = readCells(db, id, layout, staging, content).then(
    () => true,
    () => false,
  );
  return { id, layout, read };
}

/** Drops what an early staging read made (for a file that is not validated further). */
export async function discardStaging(db: Database, started: StartedStaging): Promise<void> {
  await started.read;
  await dropTablesOf(db, started.id);
}

/** A file staged in DuckDB, with the view that types its rows and evaluates every check. */
export interface Staged {
  id: string;
  /** The file, its staging as DuckDB read it in the end. */
  file: ReadFile;
  checks: Check[];
  /** The typing view: canonical columns, vuosi and neljannes, `chk_<n>` flags and `any_problem`. */
  typedView: string;
  /** Records DuckDB could not read (ragged or stray quotes), by line. */
  rejected: { csv_line: string; line: bigint; error_type: string }[];
  dropTables: () => Promise<void>;
}

/**
 * Reads a file's data records into DuckDB and defines its typing view. With `early`, a read started by
 * startStaging: kept when the scan found the layout it assumed, else dropped and the file staged anew.
 */
export async function stage(
  db: Database,
  file: ReadFile,
  options: ValidationOptions,
  early?: StartedStaging,
): Promise<Staged> {
  const id = early?.id ?? `${process.pid}_${++tableCounter}`;
  const { stg, rejects, full, lookups } = tablesOf(id);
  const dropTables = () => dropTablesOf(db, id);
  const numbered = (): ReadFile => ({ ...file, staging: { kind: "numbered", text: file.numberedStaging() } });
  if (early) {
    const sameLayout =
      file.staging.kind === "direct" &&
      file.staging.skipLines === early.layout.skipLines &&
      file.delimiter === early.layout.delimiter &&
      file.columnCount === early.layout.columnCount;
    const read = await early.read;
    if (!read || !sameLayout) {
      await dropTables();
      // read as the scan says; a direct read DuckDB could not do goes to numbered records at once
      return stage(db, sameLayout ? numbered() : file, options);
    }
  } else {
    try {
      await readCells(db, id, file, file.staging, file.staging.text);
    } catch (error) {
      if (file.staging.kind === "numbered") throw error;
      // a layout DuckDB reads differently from the scan: fall back to numbered records
      await dropTables();
      return stage(db, numbered(), options);
    }
  }
  await numberRows(db, id, file.staging);
  const rejected = await db.all<{ csv_line: string; line: bigint; error_type: string }>(
    `SELECT csv_line, line, error_type FROM ${rejects} ORDER BY line`,
  );
  if (rejected.length > 0 && file.staging.kind === "direct") {
    // DuckDB dropped a record the scan took in, so row ids no longer give line numbers: read again
    // with every record numbered.
    await dropTables();
    return stage(db, numbered(), options);
  }
  const checks = checksOf(file, options);
  // The typing is a view; only what is stored (and the flag) is materialised. Files with problems
  // evaluate the view again for their flagged rows, which clean files never pay for.
  for (const statement of typingLookupsSql(file, stg, lookups)) await db.run(statement);
  await db.run(`CREATE TEMP VIEW ${full} AS ${typedSql(file, stg, checks, lookups)}`);
  return { id, file, checks, typedView: full, rejected, dropTables };
}

/** Runs every check of a staged file: the problems its report lists, and the typed rows to load. */
export async function validateStaged(
  db: Database,
  staged: Staged,
  options: ValidationOptions,
): Promise<Validation> {
  const { file, checks, rejected, dropTables } = staged;
  const { typ, prob, full, bad } = tablesOf(staged.id);
  const stored = [
    "__row",
    "__line",
    "vuosi",
    "neljannes",
    ...columnsOf(file.dataset).map((c) => c.name),
    "any_problem",
  ];
  await db.run(`CREATE TEMP TABLE ${typ} AS SELECT ${stored.join(", ")} FROM ${full}`);
  const flagged = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${typ} WHERE any_problem`);
  const keyList = file.dataset.rowKey.join(", ");
  // Whether any key may repeat, from one hash per row (grouping a million rows by several text
  // columns took longer): equal keys have equal hashes, so no repeat is missed; a collision only
  // makes problemsSql look for repeats and find none.
  const duplicates = await db.one<{ n: number }>(
    `SELECT (count(*) - count(DISTINCT hash(${keyList})))::INTEGER AS n FROM ${typ}`,
  );
  if ((flagged?.n ?? 0) > 0)
    await db.run(`CREATE TEMP TABLE ${bad} AS SELECT * FROM ${full} WHERE any_problem`);
  await db.run(
    (flagged?.n ?? 0) + (duplicates?.n ?? 0) > 0
      ? `CREATE TEMP TABLE ${prob} AS ${problemsSql(file, typ, (flagged?.n ?? 0) > 0 ? bad : null, checks)}`
      : `CREATE TEMP TABLE ${prob} (code VARCHAR, severity VARCHAR, ord INTEGER, __row INTEGER, __line INTEGER,
           col VARCHAR, value VARCHAR, params VARCHAR)`,
  );

  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  for (const reject of rejected) {
    const [row, line] =
      file.staging.kind === "numbered"
        ? reject.csv_line.split(file.delimiter).map(Number)
        : [null, Number(reject.line)];
    const code: ProblemCode =
      reject.error_type === "UNQUOTED VALUE" ? "SEU_CSV_STRAY_QUOTE" : "SEU_CSV_RAGGED_ROW";
    errors.push(
      problem(code, { row, line }, { found: "?", expected: file.columnCount, delimiter: file.delimiter }),
    );
  }
  const counts = await db.one<{ errors: bigint; warnings: bigint }>(
    `SELECT count(*) FILTER (severity = 'error') AS errors, count(*) FILTER (severity = 'warning') AS warnings FROM ${prob}`,
  );
  const structuralErrors = file.problems.filter(isError);
  const structuralWarnings = file.problems.filter((p) => !isError(p));
  const errorCount = Number(counts?.errors ?? 0n) + errors.length + structuralErrors.length;
  const warningCount = Number(counts?.warnings ?? 0n) + structuralWarnings.length;
  for (const severity of ["error", "warning"] as const) {
    const rows = await db.all<{
      code: ProblemCode;
      row: number;
      line: number;
      col: string | null;
      value: string | null;
      params: string | null;
    }>(
      `SELECT code, __row AS row, __line AS line, col, value, params FROM ${prob}
       WHERE severity = ? ORDER BY __line, ord LIMIT ?`,
      [severity, options.maxProblems],
    );
    const target = severity === "error" ? errors : warnings;
    for (const r of rows) {
      const params = r.params ? (JSON.parse(r.params) as Record<string, unknown>) : {};
      if (r.code === "SEU_VAL_KUNTA_UNKNOWN") params.suggestion = await suggestKunta(db, r.value);
      target.push(problem(r.code, { row: r.row, line: r.line, column: r.col, value: r.value }, params));
    }
  }
  const max = options.maxProblems;
  const listedErrors = firstByLine(structuralErrors, errors, max);
  const listedWarnings = firstByLine(structuralWarnings, warnings, max);
  if (errorCount > max) {
    listedErrors.push(problem("SEU_FILE_TOO_MANY_PROBLEMS", {}, { shown: max, more: errorCount - max }));
  }
  if (warningCount > max) {
    listedWarnings.push(problem("SEU_FILE_MORE_WARNINGS", {}, { shown: max, more: warningCount - max }));
  }
  return { typedTable: typ, errors: listedErrors, warnings: listedWarnings, errorCount, dropTables };
}

/**
 * Reads the staged records into a temp table of VARCHAR cells `c0…cN` (direct: the data records of
 * `content` after `skipLines` lines; numbered: the numbered records, row and line numbers first).
 */
async function readCells(
  db: Database,
  id: string,
  shape: { delimiter: string; columnCount: number },
  staging: { kind: "direct"; skipLines: number } | { kind: "numbered" },
  content: string | Uint8Array,
) {
  const { cells, rejects, rejectScans } = tablesOf(id);
  const stagingPath = path.join(os.tmpdir(), `seuranta-${id}-${Date.now()}.csv`);
  fs.writeFileSync(stagingPath, content);
  try {
    const numbered = staging.kind === "numbered";
    const columnTypes = numbered ? ["'__row': 'INTEGER'", "'__line': 'INTEGER'"] : [];
    for (let i = 0; i < shape.columnCount; i++) columnTypes.push(`'c${i}': 'VARCHAR'`);
    const options = [
      `delim = ${sqlString(shape.delimiter)}`,
      `quote = '"'`,
      `escape = '"'`,
      "header = false",
      "auto_detect = false",
      `columns = {${columnTypes.join(", ")}}`,
      "store_rejects = true",
      `rejects_table = '${rejects}'`,
      `rejects_scan = '${rejectScans}'`,
      staging.kind === "numbered" ? "new_line = '\\n'" : `skip = ${staging.skipLines}`,
    ];
    await db.run(
      `CREATE TEMP TABLE ${cells} AS SELECT * FROM read_csv(${sqlString(stagingPath)}, ${options.join(", ")})`,
    );
  } finally {
    fs.rmSync(stagingPath, { force: true });
  }
}

/** The staged cells with their Excel row and line numbers, as the view `stg_<id>`. */
async function numberRows(db: Database, id: string, staging: ReadFile["staging"]) {
  const { stg, cells } = tablesOf(id);
  // direct: DuckDB keeps the file's order, so a row's id is its position among the data records
  const numbers =
    staging.kind === "direct"
      ? `(rowid + ${staging.firstRow})::INTEGER AS __row, (rowid + ${staging.firstLine})::INTEGER AS __line, `
      : "";
  await db.run(`CREATE TEMP VIEW ${stg} AS SELECT ${numbers}* FROM ${cells}`);
}

/** Of `own`, those that are among the first `max` of `structural` and `own` together, by line. */
function firstByLine(structural: readonly Problem[], own: readonly Problem[], max: number): Problem[] {
  const byLine = (a: { p: Problem }, b: { p: Problem }) => (a.p.line ?? 0) - (b.p.line ?? 0);
  return [...structural.map((p) => ({ p, own: false })), ...[...own].map((p) => ({ p, own: true }))]
    .sort(byLine)
    .slice(0, max)
    .filter((x) => x.own)
    .map((x) => x.p);
}

/** A "did you mean" for an unknown municipality: same letters without accents, or a close name. */
async function suggestKunta(db: Database, value: string | null): Promise<string> {
  if (!value || /^\d+$/.test(value)) return "";
  const best = await db.one<{ nimi: string; kunta: string; score: number }>(
    `SELECT nimi, kunta, greatest(
        CASE WHEN strip_accents(nimi_avain) = strip_accents(lower(?)) THEN 1.0 ELSE 0 END,
        jaro_winkler_similarity(nimi_avain, lower(?))) AS score
     FROM ref_kunta_nimi ORDER BY score DESC, nimi LIMIT 1`,
    [value, value],
  );
  return best && best.score >= 0.88 ? ` Tarkoititko ${best.nimi} (${best.kunta})?` : "";
}
