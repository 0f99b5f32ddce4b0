import { sqlList } from "../core/sql.ts";
import type { Check } from "./checks.ts";
import { type ColumnInfo, columnsOf } from "./datasets/dataset.ts";
import type { ReadFile } from "./read.ts";
import { normalisedCategory, WHITESPACE } from "./sql.ts";

/** Whether a column holds a whole number: a count, or a score on a scale. */
const isNumber = (c: ColumnInfo) => c.kind === "count" || c.kind === "score";

/**
 * The column that places a row in time: its quarter, or the date of what it reports (a review), whose
 * quarter then stands for it.
 */
export function whenColumn(columns: readonly ColumnInfo[]): ColumnInfo {
  const when = columns.find((c) => c.kind === "quarter" || c.kind === "date");
  if (!when) throw new Error("a dataset needs a quarter or a date column");
  return when;
}

/** SQL of the quarter lookup: each distinct cell of the time column read as a quarter (and date). */
function quarterLookup(when: ColumnInfo): string {
  const cells = "(SELECT DISTINCT qv AS v FROM pairs WHERE qv IS NOT NULL)";
  if (when.kind === "date")
    return `SELECT v, d AS d_date, year(d) || 'Q' || quarter(d) AS q_canonical, year(d) AS q_year, quarter(d) AS q_quarter
      FROM (
        SELECT v, coalesce(
            CASE WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') THEN TRY_CAST(v AS DATE) END,
            CASE WHEN regexp_full_match(v, '[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4}') THEN try_strptime(v, '%d.%m.%Y')::DATE END
          ) AS d
        FROM ${cells})`;
  return `SELECT v, NULL::DATE AS d_date, q_canonical, left(q_canonical, 4)::INTEGER AS q_year, right(q_canonical, 1)::INTEGER AS q_quarter
      FROM (
        SELECT v, CASE WHEN regexp_full_match(upper(v), '[0-9]{4}(Q|-Q| Q|/)[1-4]') THEN left(v, 4) || 'Q' || right(v, 1)
                       WHEN regexp_full_match(upper(v), 'Q[1-4]/[0-9]{4}') THEN right(v, 4) || 'Q' || substr(v, 2, 1)
                  END AS q_canonical
        FROM ${cells})`;
}

/**
 * What form each count cell has: 'digits', 'grouped' (`1 234`), 'negative', 'decimal' or 'text'.
 * CASE tries the forms in order, so a plain number costs one regular expression.
 */
function countForms(file: ReadFile): string[] {
  return columnsOf(file.dataset)
    .filter(isNumber)
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
    .filter(isNumber)
    .map(
      (c) => `CASE form_${c.name} WHEN 'digits' THEN TRY_CAST(raw_${c.name} AS BIGINT)
        WHEN 'grouped' THEN TRY_CAST(regexp_replace(raw_${c.name}, '[^0-9]', '', 'g') AS BIGINT) END AS num_${c.name}`,
    );
}

/** The temp tables typedSql joins: each distinct municipality and quarter pair, and category tuple. */
export interface TypingLookups {
  place: string;
  category: string;
}

/** The raw cells of the dataset's columns: trimmed if needed, empty as NULL, named raw_<column>. */
function rawCells(file: ReadFile): string[] {
  return columnsOf(file.dataset).map((c) => {
    const index = file.match.columnIndex.get(c.name) as number;
    // trimming is a large share of the typing time, so a file without padded cells skips it
    const cell = file.paddedCells ? `trim(c${index}, ${WHITESPACE})` : `c${index}`;
    return `nullif(${cell}, '') AS raw_${c.name}`;
  });
}

// lookup keys: '' stands for an empty cell (raw cells are never '': empty cells are NULL)
const key = (column: string) => `coalesce(${column}, '')`;

/**
 * Statements that make the lookup tables of typedSql. Municipality, quarter and category cells repeat
 * a few hundred values over a million rows, so each distinct value is parsed once here. They are
 * tables, not parts of the view, so that DuckDB knows how small they are: it then joins the file's
 * rows against them as they stream past, in order, which also lets it insert them in parallel.
 */
export function typingLookupsSql(file: ReadFile, stg: string, lookups: TypingLookups): string[] {
  const columns = columnsOf(file.dataset);
  const kunta = columns.find((c) => c.kind === "kunta") as ColumnInfo;
  const quarter = whenColumn(columns);
  const categories = columns.filter((c) => c.kind === "category");
  const rk = `raw_${kunta.name}`;
  const rq = `raw_${quarter.name}`;
  const src = `(SELECT ${rawCells(file).join(", ")} FROM ${stg})`;
  const statements = [
    `CREATE TEMP TABLE ${lookups.place} AS
    WITH pairs AS (SELECT DISTINCT ${rk} AS kv, ${rq} AS qv FROM ${src}),
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
      ${quarterLookup(quarter)}
    )
    -- one row per (municipality, quarter) cell pair: the municipality resolved, the quarter read and
    -- the population of the same year or the latest earlier one
    SELECT ${key("p.kv")} AS k_kunta, ${key("p.qv")} AS k_quarter,
      k.kunta_code_form, k.kunta_by_name, k.kunta_sent, coalesce(k.kunta_known, false) AS kunta_known,
      k.merged_into, k.merged_on, k.kunta_nyt,
      coalesce(k.merged_from IS NOT NULL AND q.q_canonical >= k.merged_from, false) AS kunta_remapped,
      q.q_canonical, q.q_year, q.q_quarter, q.d_date, v.vaesto AS population, v.vuosi AS population_year
    FROM pairs p
      LEFT JOIN kunta_lookup k ON k.v = p.kv
      LEFT JOIN quarter_lookup q ON q.v = p.qv
      ASOF LEFT JOIN ref_vaesto v ON v.kunta = k.kunta_nyt AND q.q_year >= v.vuosi`,
  ];
  if (categories.length > 0) {
    const tuple = categories.map((c) => `raw_${c.name}`);
    statements.push(
      `CREATE TEMP TABLE ${lookups.category} AS
      SELECT ${tuple.map((r) => `${key(r)} AS k_${r}`).join(", ")},
        ${categories
          .map((c) => {
            const values = sqlList(c.values ?? []);
            const v = `raw_${c.name}`;
            return `CASE WHEN ${v} IN (${values}) THEN ${v}
                     WHEN ${normalisedCategory(v)} IN (${values}) THEN ${normalisedCategory(v)} END AS cat_${c.name}`;
          })
          .join(",\n        ")}
      FROM (SELECT DISTINCT ${tuple.join(", ")} FROM ${src})`,
    );
  }
  return statements;
}

/**
 * SQL (a view) that types the staged cells in one pass: every column parsed, the municipality resolved
 * (code, name, merger) and the population looked up by joining the lookup tables (typingLookupsSql),
 * each check evaluated into a `chk_<n>` flag, and the canonical columns that load.ts stores.
 */
export function typedSql(
  file: ReadFile,
  stg: string,
  checks: readonly Check[],
  lookups: TypingLookups,
): string {
  const columns = columnsOf(file.dataset);
  const kunta = columns.find((c) => c.kind === "kunta") as ColumnInfo;
  const quarter = whenColumn(columns);
  const categories = columns.filter((c) => c.kind === "category");
  const rk = `raw_${kunta.name}`;
  const rq = `raw_${quarter.name}`;
  const final = columns.map((c) => {
    // rows of a merged municipality sent for quarters after the merger count toward its successor
    if (c.kind === "kunta")
      return `CASE WHEN kunta_remapped THEN merged_into ELSE kunta_sent END AS ${c.name}`;
    if (c.kind === "quarter") return `q_canonical AS ${c.name}`;
    if (c.kind === "date") return `d_date AS ${c.name}`;
    if (c.kind === "text") return `raw_${c.name} AS ${c.name}`;
    if (isNumber(c))
      return `CASE WHEN num_${c.name} <= 2147483647 THEN num_${c.name}::INTEGER END AS ${c.name}`;
    return `cat_${c.name} AS ${c.name}`;
  });
  const flags = checks.map((check, i) => `coalesce(${check.when}, false) AS chk_${i}`);
  const categoryTuple = categories.map((c) => `raw_${c.name}`);
  const categoryJoin = categories.length
    ? `LEFT JOIN ${lookups.category} c ON ${categoryTuple.map((r) => `c.k_${r} = ${key(`s.${r}`)}`).join(" AND ")}`
    : "";
  const categoryColumns = categories.map((c) => `c.cat_${c.name}`);
  return `WITH src AS (SELECT __row, __line, ${rawCells(file).join(", ")} FROM ${stg}),
    formed AS (SELECT *${countForms(file)
      .map((f) => `, ${f}`)
      .join("")} FROM src),
    withpop AS (
      SELECT s.*, ${[...countNumbers(file), ...categoryColumns].map((c) => `${c},`).join("\n        ")}
        pl.* EXCLUDE (k_kunta, k_quarter)
      FROM formed s
        LEFT JOIN ${lookups.place} pl ON pl.k_kunta = ${key(`s.${rk}`)} AND pl.k_quarter = ${key(`s.${rq}`)}
        ${categoryJoin}
    ),
    flagged AS (
      SELECT *, q_year AS vuosi, q_quarter AS neljannes, ${final.join(", ")}${flags.length ? `, ${flags.join(", ")}` : ""}
      FROM withpop
    )
    SELECT *, ${flags.length ? checks.map((_, i) => `chk_${i}`).join(" OR ") : "false"} AS any_problem FROM flagged`;
}
