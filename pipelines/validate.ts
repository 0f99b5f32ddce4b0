import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../core/db.ts";
import type { ProblemCode } from "../core/errors.ts";
import type { Quarter } from "../core/quarter.ts";
import { checksOf, problemsSql } from "./checks.ts";
import { columnsOf } from "./datasets/dataset.ts";
import { isError, type Problem, problem } from "./problem.ts";
import type { ReadFile } from "./read.ts";
import { sqlString } from "./sql.ts";
import { typedSql } from "./typing.ts";

/**
 * Validation of a file's cells and rows in DuckDB: the staged VARCHAR cells are typed by SQL compiled
 * from the dataset definition, and every check is a query that yields problems with row and line.
 */

export interface ValidationOptions {
  /** The last quarter that may be reported (the last ended quarter). */
  lastQuarter: Quarter;
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

// a literal (not chr() calls) so DuckDB does not build the set again for every row
let tableCounter = 0;

/** Stages a read file into DuckDB and runs every check of its dataset. */
export async function stageAndValidate(
  db: Database,
  file: ReadFile,
  options: ValidationOptions,
): Promise<Validation> {
  const id = `${process.pid}_${++tableCounter}`;
  const stg = `stg_${id}`;
  const typ = `typ_${id}`;
  const prob = `prob_${id}`;
  const rejects = `rej_${id}`;
  const rejectScans = `rejscan_${id}`;
  const full = `typfull_${id}`;
  const bad = `bad_${id}`;
  const dropTables = async () => {
    for (const v of [full, stg]) await db.run(`DROP VIEW IF EXISTS ${v}`);
    for (const t of [`${stg}_cells`, typ, bad, prob, rejects, rejectScans])
      await db.run(`DROP TABLE IF EXISTS ${t}`);
  };
  try {
    await readStaging(db, file, stg, rejects, rejectScans, id);
  } catch (error) {
    if (file.staging.kind === "numbered") throw error;
    // a layout DuckDB reads differently from the scan: fall back to numbered records
    await dropTables();
    return stageAndValidate(
      db,
      { ...file, staging: { kind: "numbered", text: file.numberedStaging() } },
      options,
    );
  }
  const rejected = await db.all<{ csv_line: string; line: bigint; error_type: string }>(
    `SELECT csv_line, line, error_type FROM ${rejects} ORDER BY line`,
  );
  if (rejected.length > 0 && file.staging.kind === "direct") {
    // DuckDB dropped a record the scan took in, so row ids no longer give line numbers: read again
    // with every record numbered.
    await dropTables();
    return stageAndValidate(
      db,
      { ...file, staging: { kind: "numbered", text: file.numberedStaging() } },
      options,
    );
  }
  const checks = checksOf(file, options);
  // The typing is a view; only what is stored (and the flag) is materialised. Files with problems
  // evaluate the view again for their flagged rows, which clean files never pay for.
  await db.run(`CREATE TEMP VIEW ${full} AS ${typedSql(file, stg, checks)}`);
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
  const duplicates = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM (SELECT ${keyList} FROM ${typ} GROUP BY ALL HAVING count(*) > 1)`,
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

/** Reads the staged records into a temp table of VARCHAR cells `c0…cN` (plus row and line numbers). */
async function readStaging(
  db: Database,
  file: ReadFile,
  stg: string,
  rejects: string,
  scans: string,
  id: string,
) {
  const stagingPath = path.join(os.tmpdir(), `seuranta-${id}-${Date.now()}.csv`);
  fs.writeFileSync(stagingPath, file.staging.text);
  try {
    const numbered = file.staging.kind === "numbered";
    const columnTypes = numbered ? ["'__row': 'INTEGER'", "'__line': 'INTEGER'"] : [];
    for (let i = 0; i < file.columnCount; i++) columnTypes.push(`'c${i}': 'VARCHAR'`);
    const options = [
      `delim = ${sqlString(file.delimiter)}`,
      `quote = '"'`,
      `escape = '"'`,
      "header = false",
      "auto_detect = false",
      `columns = {${columnTypes.join(", ")}}`,
      "store_rejects = true",
      `rejects_table = '${rejects}'`,
      `rejects_scan = '${scans}'`,
      file.staging.kind === "numbered" ? "new_line = '\\n'" : `skip = ${file.staging.skipLines}`,
    ];
    // direct: DuckDB keeps the file's order, so a row's id is its position among the data records
    const numbers =
      file.staging.kind === "direct"
        ? `(rowid + ${file.staging.firstRow})::INTEGER AS __row, (rowid + ${file.staging.firstLine})::INTEGER AS __line, `
        : "";
    await db.run(
      `CREATE TEMP TABLE ${stg}_cells AS SELECT * FROM read_csv(${sqlString(stagingPath)}, ${options.join(", ")})`,
    );
    await db.run(`CREATE TEMP VIEW ${stg} AS SELECT ${numbers}* FROM ${stg}_cells`);
  } finally {
    fs.rmSync(stagingPath, { force: true });
  }
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
