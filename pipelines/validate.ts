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

const WHITESPACE = "' ' || chr(9) || chr(160) || chr(8239)";
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
  const tables = [stg, typ, prob, rejects, rejectScans];
  const dropTables = async () => {
    for (const t of tables) await db.run(`DROP TABLE IF EXISTS ${t}`);
  };
  const stagingPath = path.join(os.tmpdir(), `seuranta-${id}-${Date.now()}.csv`);
  fs.writeFileSync(stagingPath, file.staging);
  try {
    const columnTypes = ["'__row': 'INTEGER'", "'__line': 'INTEGER'"];
    for (let i = 0; i < file.columnCount; i++) columnTypes.push(`'c${i}': 'VARCHAR'`);
    await db.run(
      `CREATE TEMP TABLE ${stg} AS SELECT * FROM read_csv(${sqlString(stagingPath)},
        delim = ${sqlString(file.delimiter)}, quote = '"', escape = '"', header = false, auto_detect = false,
        new_line = '\\n', columns = {${columnTypes.join(", ")}},
        store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${rejectScans}')`,
    );
  } finally {
    fs.rmSync(stagingPath, { force: true });
  }
  await db.run(typedTableSql(file, stg, typ));
  await db.run(`CREATE TEMP TABLE ${prob} AS ${problemsSql(file, typ, options)}`);

  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  for (const reject of await db.all<{ csv_line: string; error_type: string; column_name: string | null }>(
    `SELECT csv_line, error_type, column_name FROM ${rejects} ORDER BY line`,
  )) {
    const [row, line] = reject.csv_line.split(file.delimiter).map(Number);
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

/** SQL that types the staged cells: every column parsed, with the facts the checks need. */
function typedTableSql(file: ReadFile, stg: string, typ: string): string {
  const columns = columnsOf(file.dataset);
  const raw = columns.map((c) => {
    const index = file.match.columnIndex.get(c.name) as number;
    return `nullif(trim(c${index}, ${WHITESPACE}), '') AS raw_${c.name}`;
  });
  const typed: string[] = [];
  for (const c of columns) {
    const r = `raw_${c.name}`;
    if (c.kind === "count") {
      typed.push(`CASE WHEN regexp_full_match(${r}, '[0-9]+') THEN TRY_CAST(${r} AS BIGINT)
        WHEN regexp_full_match(${r}, '[0-9]{1,3}([ \\x{00A0}\\x{202F}][0-9]{3})+')
          THEN TRY_CAST(regexp_replace(${r}, '[^0-9]', '', 'g') AS BIGINT) END AS num_${c.name}`);
      typed.push(
        `regexp_full_match(${r}, '[0-9]{1,3}([ \\x{00A0}\\x{202F}][0-9]{3})+') AS grouped_${c.name}`,
      );
    } else if (c.kind === "category") {
      typed.push(
        `CASE WHEN ${normalisedCategory(r)} IN (${sqlList(c.values ?? [])}) THEN ${normalisedCategory(r)} END AS cat_${c.name}`,
      );
    }
  }
  const kunta = columns.find((c) => c.kind === "kunta") as ColumnInfo;
  const quarter = columns.find((c) => c.kind === "quarter") as ColumnInfo;
  const rk = `raw_${kunta.name}`;
  const rq = `upper(raw_${quarter.name})`;
  const final = columns.map((c) => {
    // rows of a merged municipality sent for quarters after the merger count toward its successor
    if (c.kind === "kunta")
      return `CASE WHEN r.kunta_remapped THEN r.merged_into ELSE r.kunta_sent END AS ${c.name}`;
    if (c.kind === "quarter")
      return `CASE WHEN q_year IS NOT NULL THEN q_year || 'Q' || q_quarter END AS ${c.name}`;
    if (c.kind === "count")
      return `CASE WHEN num_${c.name} <= 2147483647 THEN num_${c.name}::INTEGER END AS ${c.name}`;
    return `cat_${c.name} AS ${c.name}`;
  });
  return `CREATE TEMP TABLE ${typ} AS
    WITH src AS (SELECT __row, __line, ${raw.join(", ")} FROM ${stg}),
    parsed AS (
      SELECT *, ${typed.length ? `${typed.join(",\n      ")},` : ""}
        CASE WHEN regexp_full_match(${rk}, '[0-9]{1,3}') THEN lpad(${rk}, 3, '0')
             WHEN regexp_full_match(upper(${rk}), 'KU[0-9]{3}') THEN right(${rk}, 3) END AS kunta_code_form,
        CASE WHEN regexp_full_match(${rq}, '[0-9]{4}(Q|-Q| Q|/)[1-4]') THEN left(${rq}, 4)::INTEGER
             WHEN regexp_full_match(${rq}, 'Q[1-4]/[0-9]{4}') THEN right(${rq}, 4)::INTEGER END AS q_year,
        CASE WHEN regexp_full_match(${rq}, '[0-9]{4}(Q|-Q| Q|/)[1-4]') THEN right(${rq}, 1)::INTEGER
             WHEN regexp_full_match(${rq}, 'Q[1-4]/[0-9]{4}') THEN substr(${rq}, 2, 1)::INTEGER END AS q_quarter
      FROM src
    ),
    named AS (
      SELECT p.*, n.kunta AS kunta_by_name, coalesce(p.kunta_code_form, n.kunta) AS kunta_sent
      FROM parsed p LEFT JOIN ref_kunta_nimi n ON p.kunta_code_form IS NULL AND n.nimi_avain = lower(nfc_normalize(p.${rk}))
    ),
    resolved AS (
      SELECT m.*,
        (m.kunta_sent IN (SELECT kunta FROM ref_kunta) OR l.vanha_kunta IS NOT NULL) AS kunta_known,
        l.uusi_kunta AS merged_into, l.voimassa AS merged_on,
        (l.vanha_kunta IS NOT NULL AND m.q_year IS NOT NULL
          AND make_date(m.q_year, (m.q_quarter - 1) * 3 + 1, 1) >= l.voimassa) AS kunta_remapped,
        coalesce(l.uusi_kunta, m.kunta_sent) AS kunta_nyt
      FROM named m LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = m.kunta_sent
    )
    SELECT r.*,
      p.vaesto AS population, p.vuosi AS population_year,
      r.q_year AS vuosi, r.q_quarter AS neljannes,
      ${final.join(",\n      ")}
    FROM resolved r ASOF LEFT JOIN ref_vaesto p ON p.kunta = r.kunta_nyt AND r.q_year >= p.vuosi`;
}

interface Check {
  code: ProblemCode;
  column: string | null;
  when: string;
  value: string;
  params?: Record<string, string>;
}

/** Every check of the dataset as one UNION ALL query of problem rows. */
function problemsSql(file: ReadFile, typ: string, options: ValidationOptions): string {
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
      const digits = `(regexp_full_match(${r}, '[0-9]+') OR grouped_${c.name})`;
      const tooBig = `(${digits} AND coalesce(num_${c.name} > 2147483647, true))`;
      const invalid = `${r} IS NOT NULL AND NOT ${digits}`;
      const negative = `regexp_full_match(${r}, '-\\s*[0-9]+([.,][0-9]+)?')`;
      const decimal = `regexp_full_match(${r}, '[0-9]+[.,][0-9]+')`;
      checks.push({
        code: "SEU_VAL_COUNT_NEGATIVE",
        column: c.name,
        when: `${invalid} AND ${negative}`,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_DECIMAL",
        column: c.name,
        when: `${invalid} AND ${decimal}`,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_NOT_NUMBER",
        column: c.name,
        when: `${invalid} AND NOT ${negative} AND NOT ${decimal}`,
        value: r,
      });
      checks.push({
        code: "SEU_VAL_COUNT_GROUPED",
        column: c.name,
        when: `grouped_${c.name} AND NOT ${tooBig}`,
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
  const keyColumns = file.dataset.rowKey;
  const selects = checks.map((check, ord) => {
    const params = check.params
      ? `json_object(${Object.entries(check.params)
          .map(([k, v]) => `'${k}', ${v}`)
          .join(", ")})::VARCHAR`
      : "NULL";
    return `SELECT '${check.code}' AS code, '${catalogue[check.code].severity}' AS severity, ${ord} AS ord,
      __row, __line, ${check.column ? sqlString(check.column) : "NULL"} AS col, (${check.value})::VARCHAR AS value,
      ${params} AS params FROM ${typ} WHERE coalesce(${check.when}, false)`;
  });
  // A key twice in one file: every later row names the first one.
  const keyList = keyColumns.join(", ");
  selects.push(`SELECT 'SEU_ROW_DUPLICATE_KEY', 'error', ${checks.length}, __row, __line, NULL, NULL,
      json_object('key', concat_ws(' / ', ${keyList}), 'first_row', first_row, 'first_line', first_line)::VARCHAR
    FROM (SELECT __row, __line, ${keyList},
            first_value(__row) OVER w AS first_row, first_value(__line) OVER w AS first_line,
            row_number() OVER w AS nth
          FROM ${typ} WHERE ${keyColumns.map((k) => `${k} IS NOT NULL`).join(" AND ")}
          WINDOW w AS (PARTITION BY ${keyList} ORDER BY __line))
    WHERE nth > 1`);
  return selects.join("\nUNION ALL\n");
}
