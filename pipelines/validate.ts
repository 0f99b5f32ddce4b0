import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../core/db.ts";
import { catalogue, type ProblemCode } from "../core/errors.ts";
import { FIRST_QUARTER, type Quarter, quarterIndex, quarterLabel } from "../core/quarter.ts";
import { type ColumnInfo, columnsOf } from "./datasets/dataset.ts";
import { isError, type Problem, problem } from "./problem.ts";
import type { ReadFile } from "./read.ts";

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
const WHITESPACE = "' \t\u00a0\u202f'";
const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sqlList = (values: readonly string[]) => values.map(sqlString).join(", ");
const normalisedCategory = (expr: string) =>
  `regexp_replace(replace(replace(replace(lower(nfc_normalize(${expr})), 'ä', 'a'), 'ö', 'o'), 'å', 'a'), '[\\s-]+', '_', 'g')`;

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

/**
 * What form each count cell has: 'digits', 'grouped' (`1 234`), 'negative', 'decimal' or 'text'.
 * CASE tries the forms in order, so a plain number costs one regular expression.
 */
function countForms(file: ReadFile): string[] {
  return columnsOf(file.dataset)
    .filter((c) => c.kind === "count")
    .map((c) => {
      const r = `raw_${c.name}`;
      return `CASE WHEN ${r} IS NULL THEN NULL
        WHEN regexp_full_match(${r}, '[0-9]+') THEN 'digits'
        WHEN regexp_full_match(${r}, '[0-9]{1,3}([ \\x{00A0}\\x{202F}][0-9]{3})+') THEN 'grouped'
        WHEN regexp_full_match(${r}, '-\\s*[0-9]+([.,][0-9]+)?') THEN 'negative'
        WHEN regexp_full_match(${r}, '[0-9]+[.,][0-9]+') THEN 'decimal'
        ELSE 'text' END AS form_${c.name}`;
    });
}

/** Parsers of count cells (high cardinality, so evaluated per row): the number a cell holds. */
function countNumbers(file: ReadFile): string[] {
  return columnsOf(file.dataset)
    .filter((c) => c.kind === "count")
    .map(
      (c) => `CASE form_${c.name} WHEN 'digits' THEN TRY_CAST(raw_${c.name} AS BIGINT)
        WHEN 'grouped' THEN TRY_CAST(regexp_replace(raw_${c.name}, '[^0-9]', '', 'g') AS BIGINT) END AS num_${c.name}`,
    );
}

/**
 * SQL (a view) that types the staged cells in one pass: every column parsed, the municipality resolved
 * (code, name, merger), the population looked up, each check evaluated into a `chk_<n>` flag, and
 * the canonical columns that load.ts stores. Municipality, quarter and category cells repeat a few
 * hundred values over a million rows, so each distinct value is parsed once in a small lookup table
 * and joined back by equality.
 */
function typedSql(file: ReadFile, stg: string, checks: readonly Check[]): string {
  const columns = columnsOf(file.dataset);
  const raw = columns.map((c) => {
    const index = file.match.columnIndex.get(c.name) as number;
    // trimming is a large share of the typing time, so a file without padded cells skips it
    const cell = file.paddedCells ? `trim(c${index}, ${WHITESPACE})` : `c${index}`;
    return `nullif(${cell}, '') AS raw_${c.name}`;
  });
  const kunta = columns.find((c) => c.kind === "kunta") as ColumnInfo;
  const quarter = columns.find((c) => c.kind === "quarter") as ColumnInfo;
  const categories = columns.filter((c) => c.kind === "category");
  const rk = `raw_${kunta.name}`;
  const rq = `raw_${quarter.name}`;
  const final = columns.map((c) => {
    // rows of a merged municipality sent for quarters after the merger count toward its successor
    if (c.kind === "kunta")
      return `CASE WHEN kunta_remapped THEN merged_into ELSE kunta_sent END AS ${c.name}`;
    if (c.kind === "quarter") return `q_canonical AS ${c.name}`;
    if (c.kind === "count")
      return `CASE WHEN num_${c.name} <= 2147483647 THEN num_${c.name}::INTEGER END AS ${c.name}`;
    return `cat_${c.name} AS ${c.name}`;
  });
  const flags = checks.map((check, i) => `coalesce(${check.when}, false) AS chk_${i}`);
  // lookup keys: '' stands for an empty cell (raw cells are never '': empty cells are NULL)
  const key = (column: string) => `coalesce(${column}, '')`;
  const categoryTuple = categories.map((c) => `raw_${c.name}`);
  const categoryLookup = categories.length
    ? `cat_lookup AS (
      SELECT ${categoryTuple.map((r) => `${key(r)} AS k_${r}`).join(", ")},
        ${categories
          .map((c) => {
            const values = sqlList(c.values ?? []);
            const v = `raw_${c.name}`;
            return `CASE WHEN ${v} IN (${values}) THEN ${v}
                     WHEN ${normalisedCategory(v)} IN (${values}) THEN ${normalisedCategory(v)} END AS cat_${c.name}`;
          })
          .join(",\n        ")}
      FROM (SELECT DISTINCT ${categoryTuple.join(", ")} FROM src)),`
    : "";
  const categoryJoin = categories.length
    ? `LEFT JOIN cat_lookup c ON ${categoryTuple.map((r) => `c.k_${r} = ${key(`s.${r}`)}`).join(" AND ")}`
    : "";
  const categoryColumns = categories.map((c) => `c.cat_${c.name}`);
  return `WITH src AS (SELECT __row, __line, ${raw.join(", ")} FROM ${stg}),
    pairs AS (SELECT DISTINCT ${rk} AS kv, ${rq} AS qv FROM src),
    kunta_forms AS (
      SELECT v, CASE WHEN regexp_full_match(v, '[0-9]{3}') THEN v
                     WHEN regexp_full_match(v, '[0-9]{1,2}') THEN lpad(v, 3, '0')
                     WHEN regexp_full_match(upper(v), 'KU[0-9]{3}') THEN right(v, 3) END AS kunta_code_form
      FROM (SELECT DISTINCT kv AS v FROM pairs WHERE kv IS NOT NULL)
    ),
    kunta_lookup AS (
      SELECT f.v, f.kunta_code_form, n.kunta AS kunta_by_name, coalesce(f.kunta_code_form, n.kunta) AS kunta_sent,
        (k.kunta IS NOT NULL OR l.vanha_kunta IS NOT NULL) AS kunta_known,
        l.uusi_kunta AS merged_into, l.voimassa AS merged_on,
        -- the first quarter that counts toward the successor, as a label comparable with q_canonical
        CASE WHEN l.voimassa IS NOT NULL THEN year(l.voimassa) || 'Q' || quarter(l.voimassa) END AS merged_from,
        coalesce(l.uusi_kunta, f.kunta_code_form, n.kunta) AS kunta_nyt
      FROM kunta_forms f
        LEFT JOIN ref_kunta_nimi n ON f.kunta_code_form IS NULL AND n.nimi_avain = lower(nfc_normalize(f.v))
        LEFT JOIN ref_kunta k ON k.kunta = coalesce(f.kunta_code_form, n.kunta)
        LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = coalesce(f.kunta_code_form, n.kunta)
    ),
    quarter_lookup AS (
      SELECT v, q_canonical, left(q_canonical, 4)::INTEGER AS q_year, right(q_canonical, 1)::INTEGER AS q_quarter
      FROM (
        SELECT v, CASE WHEN regexp_full_match(upper(v), '[0-9]{4}(Q|-Q| Q|/)[1-4]') THEN left(v, 4) || 'Q' || right(v, 1)
                       WHEN regexp_full_match(upper(v), 'Q[1-4]/[0-9]{4}') THEN right(v, 4) || 'Q' || substr(v, 2, 1)
                  END AS q_canonical
        FROM (SELECT DISTINCT qv AS v FROM pairs WHERE qv IS NOT NULL))
    ),
    -- one row per (municipality, quarter) cell pair: the municipality resolved, the quarter read and
    -- the population of the same year or the latest earlier one
    place_lookup AS (
      SELECT ${key("p.kv")} AS k_kunta, ${key("p.qv")} AS k_quarter,
        k.kunta_code_form, k.kunta_by_name, k.kunta_sent, coalesce(k.kunta_known, false) AS kunta_known,
        k.merged_into, k.merged_on, k.kunta_nyt,
        coalesce(k.merged_from IS NOT NULL AND q.q_canonical >= k.merged_from, false) AS kunta_remapped,
        q.q_canonical, q.q_year, q.q_quarter, v.vaesto AS population, v.vuosi AS population_year
      FROM pairs p
        LEFT JOIN kunta_lookup k ON k.v = p.kv
        LEFT JOIN quarter_lookup q ON q.v = p.qv
        ASOF LEFT JOIN ref_vaesto v ON v.kunta = k.kunta_nyt AND q.q_year >= v.vuosi
    ),
    ${categoryLookup}
    formed AS (SELECT *${countForms(file)
      .map((f) => `, ${f}`)
      .join("")} FROM src),
    withpop AS (
      SELECT s.*, ${[...countNumbers(file), ...categoryColumns].map((c) => `${c},`).join("\n        ")}
        pl.* EXCLUDE (k_kunta, k_quarter)
      FROM formed s
        LEFT JOIN place_lookup pl ON pl.k_kunta = ${key(`s.${rk}`)} AND pl.k_quarter = ${key(`s.${rq}`)}
        ${categoryJoin}
    ),
    flagged AS (
      SELECT *, q_year AS vuosi, q_quarter AS neljannes, ${final.join(", ")}${flags.length ? `, ${flags.join(", ")}` : ""}
      FROM withpop
    )
    SELECT *, ${flags.length ? checks.map((_, i) => `chk_${i}`).join(" OR ") : "false"} AS any_problem FROM flagged`;
}

interface Check {
  code: ProblemCode;
  column: string | null;
  when: string;
  value: string;
  params?: Record<string, string>;
}

/** Every cell and row check of the dataset, compiled from its schema and row checks. */
function checksOf(file: ReadFile, options: ValidationOptions): Check[] {
  const columns = columnsOf(file.dataset);
  const checks: Check[] = [];
  const cellError: string[] = [];
  for (const c of columns) {
    const r = `raw_${c.name}`;
    if (!c.nullable) {
      checks.push({ code: "SEU_VAL_REQUIRED", column: c.name, when: `${r} IS NULL`, value: "NULL" });
      cellError.push(`${r} IS NULL`);
    }
    if (c.kind === "kunta") {
      const unknown = `${r} IS NOT NULL AND (kunta_sent IS NULL OR NOT kunta_known)`;
      checks.push({ code: "SEU_VAL_KUNTA_UNKNOWN", column: c.name, when: unknown, value: r });
      cellError.push(`(${unknown})`);
      checks.push({
        code: "SEU_VAL_KUNTA_CODE_FORM",
        column: c.name,
        when: `kunta_code_form IS NOT NULL AND kunta_code_form <> ${r} AND kunta_known`,
        value: r,
        params: { code: "kunta_code_form" },
      });
      checks.push({
        code: "SEU_VAL_KUNTA_NAME",
        column: c.name,
        when: `kunta_by_name IS NOT NULL`,
        value: r,
        params: { code: "kunta_by_name" },
      });
      checks.push({
        code: "SEU_VAL_KUNTA_MERGED",
        column: c.name,
        when: `kunta_remapped`,
        value: r,
        params: {
          new_code: "merged_into",
          new_name: `(SELECT nimi_fi FROM ref_kunta k WHERE k.kunta = merged_into)`,
          date: `strftime(merged_on, '%-d.%-m.%Y')`,
        },
      });
      if (options.allowedKunnat) {
        const notAllowed = `kunta_known AND kunta_nyt NOT IN (${sqlList(options.allowedKunnat)})`;
        checks.push({
          code: "SEU_ROW_KUNTA_NOT_ALLOWED",
          column: c.name,
          when: notAllowed,
          value: r,
          params: { allowed: sqlString(options.allowedKunnat.join(", ")) },
        });
        cellError.push(`(${notAllowed})`);
      }
    } else if (c.kind === "quarter") {
      const bad = `${r} IS NOT NULL AND q_year IS NULL`;
      checks.push({ code: "SEU_VAL_QUARTER_FORM", column: c.name, when: bad, value: r });
      const index = "(q_year * 4 + q_quarter - 1)";
      const outside = `q_year IS NOT NULL AND (${index} < ${quarterIndex(FIRST_QUARTER)} OR ${index} > ${quarterIndex(options.lastQuarter)})`;
      checks.push({
        code: "SEU_VAL_QUARTER_RANGE",
        column: c.name,
        when: outside,
        value: r,
        params: { last: sqlString(quarterLabel(options.lastQuarter)) },
      });
      cellError.push(`(${bad})`, `(${outside})`);
    } else if (c.kind === "count") {
      // digits (or grouped digits) too large to be any municipality's count are over the population
      const form = `form_${c.name}`;
      const tooBig = `(${form} IN ('digits', 'grouped') AND coalesce(num_${c.name} > 2147483647, true))`;
      const invalid = `${form} IN ('negative', 'decimal', 'text')`;
      const negative = `${form} = 'negative'`;
      const decimal = `${form} = 'decimal'`;
      checks.push({
        code: "SEU_VAL_COUNT_NEGATIVE",
        column: c.name,
        when: negative,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_DECIMAL",
        column: c.name,
        when: decimal,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_NOT_NUMBER",
        column: c.name,
        when: `${form} = 'text'`,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_GROUPED",
        column: c.name,
        when: `${form} = 'grouped' AND NOT ${tooBig}`,
        value: r,
        params: { number: `num_${c.name}::VARCHAR` },
      });
      const over = `(num_${c.name} > population OR ${tooBig}) AND population IS NOT NULL`;
      checks.push({
        code: "SEU_VAL_COUNT_OVER_POPULATION",
        column: c.name,
        when: over,
        value: r,
        params: { kunta: "kunta_nyt", population: "population::VARCHAR", year: "population_year::VARCHAR" },
      });
      cellError.push(`(${invalid})`, `coalesce(${over}, false)`, `coalesce(${tooBig}, false)`);
    } else if (c.kind === "category") {
      const bad = `${r} IS NOT NULL AND cat_${c.name} IS NULL`;
      checks.push({
        code: "SEU_VAL_CATEGORY",
        column: c.name,
        when: bad,
        value: r,
        params: { accepted: sqlString((c.values ?? []).join(", ")) },
      });
      cellError.push(`(${bad})`);
    }
  }
  const rowOk = cellError.length
    ? `NOT (${cellError.map((e) => `coalesce(${e}, false)`).join(" OR ")})`
    : "true";
  for (const check of file.dataset.rowChecks) {
    checks.push({
      code: check.code,
      column: check.column,
      when: `${rowOk} AND (${check.failsWhen})`,
      value: check.value,
      ...(check.params ? { params: check.params } : {}),
    });
  }
  return checks;
}

/** The problems of the flagged rows (`bad`, null when none) and the duplicate keys (from `typ`). */
function problemsSql(file: ReadFile, typ: string, bad: string | null, checks: readonly Check[]): string {
  const keyColumns = file.dataset.rowKey;
  const selects = checks.map((check, ord) => {
    const params = check.params
      ? `json_object(${Object.entries(check.params)
          .map(([k, v]) => `'${k}', ${v}`)
          .join(", ")})::VARCHAR`
      : "NULL";
    return `SELECT '${check.code}' AS code, '${catalogue[check.code].severity}' AS severity, ${ord} AS ord,
      __row, __line, ${check.column ? sqlString(check.column) : "NULL"} AS col, (${check.value})::VARCHAR AS value,
      ${params} AS params FROM ${bad} WHERE chk_${ord}`;
  });
  if (bad === null) selects.length = 0;
  // A key twice in one file: every later row names the first one. Grouping first keeps it cheap.
  const keyList = keyColumns.join(", ");
  const on = keyColumns.map((k) => `t.${k} = d.${k}`).join(" AND ");
  selects.push(`SELECT 'SEU_ROW_DUPLICATE_KEY' AS code, 'error' AS severity, ${checks.length} AS ord, __row, __line,
      NULL::VARCHAR AS col, NULL::VARCHAR AS value,
      json_object('key', concat_ws(' / ', ${keyList}), 'first_row', first_row, 'first_line', first_line)::VARCHAR AS params
    FROM (SELECT t.__row, t.__line, ${keyColumns.map((k) => `t.${k}`).join(", ")},
            first_value(t.__row) OVER w AS first_row, first_value(t.__line) OVER w AS first_line,
            row_number() OVER w AS nth
          FROM ${typ} t JOIN (SELECT ${keyList} FROM ${typ}
              WHERE ${keyColumns.map((k) => `${k} IS NOT NULL`).join(" AND ")}
              GROUP BY ALL HAVING count(*) > 1) d ON ${on}
          WINDOW w AS (PARTITION BY ${keyColumns.map((k) => `t.${k}`).join(", ")} ORDER BY t.__line))
    WHERE nth > 1`);
  return selects.join("\nUNION ALL\n");
}
