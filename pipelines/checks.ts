import { catalogue, type ProblemCode } from "../core/errors.ts";
import { FIRST_QUARTER, quarterIndex, quarterLabel } from "../core/quarter.ts";
import { sqlList, sqlString } from "../core/sql.ts";
import { columnsOf } from "./datasets/dataset.ts";
import type { ReadFile } from "./read.ts";
import type { ValidationOptions } from "./validate.ts";

/**
 * The checks of a dataset, compiled from its schema (cell kinds) and its row checks: each is a SQL
 * condition over the typed view (typing.ts) that is true when a row has that problem.
 */

export interface Check {
  code: ProblemCode;
  column: string | null;
  when: string;
  value: string;
  params?: Record<string, string>;
}

/** A YYYY-MM-DD day as Finns write it: 14.3.2025. */
const finnishDate = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return `${d}.${m}.${y}`;
};

/** Every cell and row check of the dataset, compiled from its schema and row checks. */
export function checksOf(file: ReadFile, options: ValidationOptions): Check[] {
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
    } else if (c.kind === "date") {
      const bad = `${r} IS NOT NULL AND d_date IS NULL`;
      checks.push({ code: "SEU_VAL_DATE_FORM", column: c.name, when: bad, value: r });
      const outside = `d_date IS NOT NULL AND (d_date < DATE '2000-01-01' OR d_date > DATE ${sqlString(options.today)})`;
      checks.push({
        code: "SEU_VAL_DATE_RANGE",
        column: c.name,
        when: outside,
        value: r,
        params: { today: sqlString(finnishDate(options.today)) },
      });
      cellError.push(`(${bad})`, `(${outside})`);
    } else if (c.kind === "score") {
      const [lo, hi] = c.range ?? [1, 5];
      const bad = `${r} IS NOT NULL AND coalesce(form_${c.name} <> 'digits' OR num_${c.name} NOT BETWEEN ${lo} AND ${hi}, true)`;
      checks.push({
        code: "SEU_VAL_SCORE",
        column: c.name,
        when: bad,
        value: r,
        params: { low: `'${lo}'`, high: `'${hi}'` },
      });
      cellError.push(`(${bad})`);
    } else if (c.kind === "text") {
      const bad = `length(${r}) > ${c.maxLength ?? 100}`;
      checks.push({
        code: "SEU_VAL_TEXT_LONG",
        column: c.name,
        when: bad,
        value: r,
        params: { max: `'${c.maxLength ?? 100}'` },
      });
      cellError.push(`(${bad})`);
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
export function problemsSql(
  file: ReadFile,
  typ: string,
  bad: string | null,
  checks: readonly Check[],
): string {
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
