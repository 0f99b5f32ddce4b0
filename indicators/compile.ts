import type { Params } from "../core/sql.ts";
import { type ColumnInfo, columnsOf, type DatasetDefinition } from "../pipelines/datasets/dataset.ts";
import { datasetByName } from "../pipelines/datasets/index.ts";
import { cellsOf, type IndicatorDefinition, type Measure, measureDataset } from "./definition.ts";

/**
 * Compiles a definition into SQL that gives, per municipality code as sent, quarter and cell, the
 * numerator and denominator and whether each was reported. Identifiers come only from the dataset
 * schemas (checked again here); every value (ids, category values) is a bound parameter.
 */

interface Context {
  dataset: DatasetDefinition;
  columns: Map<string, ColumnInfo>;
  params: Params;
}

/** A column of the dataset, as a qualified identifier; throws for anything the schema lacks. */
function column(ctx: Context, name: string): string {
  if (!ctx.columns.has(name) || !/^[a-z][a-z0-9_]*$/.test(name))
    throw new Error(`${name} is not a column of ${ctx.dataset.name}`);
  return `t.${name}`;
}

/**
 * Columns whose values a file reports separately (the replace key without municipality and quarter),
 * e.g. `kohderyhma` or `suunta`: a measure is reported only when every group it spans is.
 */
function groupColumns(dataset: DatasetDefinition): ColumnInfo[] {
  const byName = new Map(columnsOf(dataset).map((c) => [c.name, c]));
  return dataset.replaceKey
    .map((k) => byName.get(k))
    .filter((c): c is ColumnInfo => c !== undefined && c.kind === "category");
}

/**
 * The groups a measure spans, as conditions (one per combination of the group columns' values that
 * the measure covers; a column pinned by the cell is left out).
 */
function expectedGroups(ctx: Context, measure: Measure, fixed: string | null): string[] {
  let combos: string[][] = [[]];
  for (const g of groupColumns(ctx.dataset)) {
    if (g.name === fixed) continue;
    const values = measure.where?.[g.name] ?? g.values ?? [];
    const col = column(ctx, g.name);
    combos = combos.flatMap((c) => values.map((v) => [...c, `${col} = ${ctx.params.bind(v)}`]));
  }
  return combos.filter((c) => c.length > 0).map((c) => c.join(" AND "));
}

function inList(ctx: Context, name: string, values: readonly string[]): string {
  return `${column(ctx, name)} IN (${values.map((v) => ctx.params.bind(v)).join(", ")})`;
}

/** Aggregates of one measure over the rows of a (kunta, quarter[, cell]) group. */
function measureSql(ctx: Context, measure: Measure, sum: readonly string[], fixed: string | null) {
  const conditions = Object.entries(measure.where ?? {}).map(([name, values]) => inList(ctx, name, values));
  const match = conditions.length > 0 ? conditions.join(" AND ") : "TRUE";
  const value = sum.map((c) => `${column(ctx, c)}::BIGINT`).join(" + ");
  const anyNull = sum.map((c) => `${column(ctx, c)} IS NULL`).join(" OR ");
  // Every group present (a row for it) and no cell of the measure empty. One FILTER count per group
  // is much cheaper than count(DISTINCT …).
  const groups = expectedGroups(ctx, measure, fixed);
  const present =
    groups.length === 0
      ? [`count(*) FILTER (WHERE ${match}) > 0`]
      : groups.map((g) => `count(*) FILTER (WHERE (${match}) AND ${g}) > 0`);
  return {
    value: `sum(${value}) FILTER (WHERE ${match})::DOUBLE`,
    ok: `(${[...present, `count(*) FILTER (WHERE (${match}) AND (${anyNull})) = 0`].join(" AND ")})`,
  };
}

function selectSql(
  ctx: Context,
  def: IndicatorDefinition,
  ind: number,
  cell: { expr: string; groupBy: string | null; filter: string | null },
  numeratorColumns: readonly string[],
) {
  const fixed = def.breakdown?.by === "category" && cell.groupBy ? def.breakdown.column : null;
  const num = measureSql(ctx, def.numerator, numeratorColumns, fixed);
  const den =
    def.denominator && "sum" in def.denominator
      ? measureSql(ctx, def.denominator, def.denominator.sum, fixed)
      : { value: "NULL::DOUBLE", ok: "TRUE" };
  return `SELECT ${ctx.params.bind(ind)}::SMALLINT AS ind, (${cell.expr})::SMALLINT AS cell, t.kunta,
    t.vuosi * 4 + t.neljannes - 1 AS qi,
    ${num.value} AS num, ${num.ok} AS num_ok, ${den.value} AS den, ${den.ok} AS den_ok
  FROM ${ctx.dataset.name} t
  ${cell.filter ? `WHERE ${cell.filter}` : ""}
  GROUP BY t.kunta, t.vuosi, t.neljannes${cell.groupBy ? `, ${cell.groupBy}` : ""}`;
}

function contextOf(name: string, params: Params): Context {
  const dataset = datasetByName(name);
  if (!dataset) throw new Error(`unknown dataset ${name}`);
  return { dataset, columns: new Map(columnsOf(dataset).map((c) => [c.name, c])), params };
}

/**
 * An indicator whose denominator counts in another dataset (definition.ts measureDataset): each measure
 * grouped in its own dataset, joined by municipality and quarter (either may be missing: not reported).
 */
function crossDatasetSql(def: IndicatorDefinition, ind: number, params: Params, den: Measure): string {
  const numCtx = contextOf(def.dataset, params);
  const denCtx = contextOf(measureDataset(def, den), params);
  const num = measureSql(numCtx, def.numerator, def.numerator.sum, null);
  const d = measureSql(denCtx, den, den.sum, null);
  const grouped = (ctx: Context, m: { value: string; ok: string }) =>
    `SELECT t.kunta, t.vuosi * 4 + t.neljannes - 1 AS qi, ${m.value} AS v, ${m.ok} AS ok
     FROM ${ctx.dataset.name} t GROUP BY t.kunta, t.vuosi, t.neljannes`;
  return `SELECT ${params.bind(ind)}::SMALLINT AS ind, 0::SMALLINT AS cell, coalesce(n.kunta, d.kunta) AS kunta,
    coalesce(n.qi, d.qi) AS qi, n.v AS num, coalesce(n.ok, FALSE) AS num_ok, d.v AS den, coalesce(d.ok, FALSE) AS den_ok
  FROM (${grouped(numCtx, num)}) n FULL JOIN (${grouped(denCtx, d)}) d ON d.kunta = n.kunta AND d.qi = n.qi`;
}

/**
 * The SELECTs (to be joined with UNION ALL) giving an indicator's quarterly numerator and denominator
 * per municipality as sent: one for the total, and one for the breakdown by a category column or one
 * per numerator column. `ind` numbers the indicator; cells are numbered as in cellsOf (0 = total).
 */
export function compileIndicator(def: IndicatorDefinition, ind: number, params: Params): string[] {
  const den = def.denominator;
  // a denominator from another dataset goes with no breakdown (definition.ts): the total only
  if (den && "sum" in den && measureDataset(def, den) !== def.dataset)
    return [crossDatasetSql(def, ind, params, den)];
  const ctx = contextOf(def.dataset, params);
  const cells = cellsOf(def);
  const parts = [selectSql(ctx, def, ind, { expr: "0", groupBy: null, filter: null }, def.numerator.sum)];
  const breakdown = def.breakdown;
  if (breakdown?.by === "category") {
    const col = column(ctx, breakdown.column);
    const values = cells.slice(1);
    const index = `CASE ${col} ${values.map((v, i) => `WHEN ${params.bind(v)} THEN ${i + 1}`).join(" ")} END`;
    parts.push(
      selectSql(
        ctx,
        def,
        ind,
        { expr: index, groupBy: col, filter: inList(ctx, breakdown.column, values) },
        def.numerator.sum,
      ),
    );
  } else if (breakdown?.by === "numerator_columns") {
    for (const name of def.numerator.sum)
      parts.push(
        selectSql(ctx, def, ind, { expr: String(cells.indexOf(name)), groupBy: null, filter: null }, [name]),
      );
  }
  return parts;
}
