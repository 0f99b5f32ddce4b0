import type { DuckDBValue } from "@duckdb/node-api";
import type { Database } from "../core/db.ts";
import { quarterLabel, quarterOfIndex } from "../core/quarter.ts";
import { Params } from "../core/sql.ts";
import { datasetByName } from "../pipelines/datasets/index.ts";
import { compileIndicator } from "./compile.ts";
import {
  addsReportedQuarters,
  cellsOf,
  datasetsOf,
  type IndicatorDefinition,
  UNIT_SCALE,
} from "./definition.ts";
import { SCOPE_TABLES } from "./incremental.ts";
import { KOKO_MAA, LEVEL_NAMES, LEVELS } from "./levels.ts";
import { PERIOD_TYPES, type PeriodType, periodsCovering } from "./periods.ts";
import type { Catalogue } from "./registry.ts";
import { primarySql } from "./suppress/primary.ts";

/**
 * The run's values as temp tables: definitions, areas and periods as small integer keys, the quarter
 * values compiled from the definitions, then municipal periods and area values with primary suppression.
 */

const TEMP_TABLES = [
  "ind_meta",
  "ind_cells",
  "ind_wanted_levels",
  "ind_wanted_periods",
  "ind_ranges",
  "ind_periods",
  "ind_level_areas",
  "ind_pop",
  "ind_grid",
  "ind_frame",
  "ind_vals",
  "ind_hidden",
  "ind_codes",
  "ind_atom_meta",
  "ind_atom_cells",
  "ind_atom_grid_raw",
  "ind_atom_grid",
  "ind_prev",
  ...SCOPE_TABLES,
];

// Inside the computation levels, period types, indicators and cells are small integers (joins and
// groupings on them are much cheaper than on text); names and labels are joined back when storing.
export const KUNTA_LEVEL = LEVELS.findIndex((l) => l.name === "kunta");
export const WHOLE_LEVEL = LEVELS.findIndex((l) => l.column === null);
export const PTYPE = Object.fromEntries(PERIOD_TYPES.map((t, i) => [t, i])) as Record<PeriodType, number>;
/** A period as one integer: type × PKEY_BASE + index of its last quarter. */
export const PKEY_BASE = 100000;

export async function dropTempTables(db: Database) {
  for (const t of TEMP_TABLES) await db.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
}

/** Inserts rows into a new temp table through bound parameters. */
export async function tempTable(
  db: Database,
  name: string,
  columns: string,
  rows: unknown[][],
): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns})`);
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const params = new Params();
    const values = rows
      .slice(i, i + chunk)
      .map((row) => `(${row.map((v) => params.bind(v as DuckDBValue)).join(", ")})`)
      .join(", ");
    await db.run(`INSERT INTO ${name} VALUES ${values}`, params.values);
  }
}

/** What the SQL needs to know of each definition, as small tables keyed by the indicator's index. */
export async function buildDefinitionTables(db: Database, catalogue: Catalogue) {
  const entries = catalogue.entries;
  await tempTable(
    db,
    "ind_meta",
    `ind SMALLINT, indicator_id VARCHAR, version VARCHAR, dataset VARCHAR, scale DOUBLE,
     num_over VARCHAR, den_kind VARCHAR, den_over VARCHAR, adds_parts BOOLEAN, cells SMALLINT`,
    entries.map(({ definition: d, version }, ind) => {
      const den = d.denominator;
      const denKind = den === null ? "none" : "sum" in den ? "measure" : "population";
      const denOver = den && "sum" in den ? den.over : null;
      const row: unknown[] = [ind, d.id, version, d.dataset, UNIT_SCALE[d.unit], d.numerator.over];
      return [...row, denKind, denOver, addsReportedQuarters(d), cellsOf(d).length];
    }),
  );
  await tempTable(
    db,
    "ind_cells",
    "ind SMALLINT, cell SMALLINT, code VARCHAR",
    entries.flatMap(({ definition: d }, ind) => cellsOf(d).map((code, cell) => [ind, cell, code])),
  );
  await tempTable(
    db,
    "ind_wanted_levels",
    "ind SMALLINT, level TINYINT",
    entries.flatMap(({ definition: d }, ind) => d.levels.map((l) => [ind, LEVEL_NAMES.indexOf(l)])),
  );
  await tempTable(
    db,
    "ind_wanted_periods",
    "ind SMALLINT, ptype TINYINT",
    entries.flatMap(({ definition: d }, ind) => d.periods.map((p) => [ind, PTYPE[p]])),
  );
}

/**
 * Each municipality's area at every level (the grouping columns of the municipality key), with every
 * area numbered in level and code order; `kid` is the number of the municipality itself.
 */
export async function buildLevelAreas(db: Database) {
  const params = new Params();
  const parts = LEVELS.map((level, i) => {
    if (level.column !== null && !/^[a-z][a-z0-9_]*$/.test(level.column))
      throw new Error(`level ${level.name}: bad column ${level.column}`);
    const area = level.column === null ? params.bind(KOKO_MAA) : level.column;
    return `SELECT kunta, ${i}::TINYINT AS level, ${params.bind(level.name)} AS level_name, ${area}::VARCHAR AS area FROM ref_kunta`;
  });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_level_areas AS
     WITH raw AS (${parts.join(" UNION ALL ")}),
     ids AS (SELECT level, area, (row_number() OVER (ORDER BY level, area) - 1)::SMALLINT AS area_id
             FROM (SELECT DISTINCT level, area FROM raw))
     SELECT raw.kunta, k.area_id AS kid, raw.level, raw.level_name, raw.area, ids.area_id
     FROM raw JOIN ids USING (level, area)
     JOIN ids k ON k.level = ${KUNTA_LEVEL} AND k.area = raw.kunta`,
    params.values,
  );
}

/**
 * The quarters each dataset holds data for (up to the last ended quarter), and every period over
 * them with its label (periods.ts names periods; the SQL only uses their integer keys).
 */
export async function buildPeriodTables(db: Database, defs: IndicatorDefinition[], lastEndedQi: number) {
  const ranges: unknown[][] = [];
  for (const name of new Set(defs.flatMap(datasetsOf))) {
    const dataset = datasetByName(name);
    if (!dataset) throw new Error(`unknown dataset ${name}`);
    const range = await db.one<{ lo: number | null; hi: number | null }>(
      `SELECT min(vuosi * 4 + neljannes - 1) AS lo, max(vuosi * 4 + neljannes - 1) AS hi FROM ${dataset.name}`,
    );
    if (range?.lo === null || range?.lo === undefined || range.hi === null) continue;
    ranges.push([name, range.lo, Math.min(range.hi, lastEndedQi)]);
  }
  await tempTable(db, "ind_ranges", "dataset VARCHAR, first_qi INTEGER, last_qi INTEGER", ranges);
  const lo = Math.min(...ranges.map((r) => r[1] as number));
  const hi = Math.max(...ranges.map((r) => r[2] as number));
  const periods = ranges.length === 0 ? [] : periodsCovering({ firstQi: lo, lastQi: hi }, lastEndedQi);
  await tempTable(
    db,
    "ind_periods",
    `pkey INTEGER, type VARCHAR, label VARCHAR, first_quarter VARCHAR, last_quarter VARCHAR`,
    periods.map((p) => [
      PTYPE[p.type] * PKEY_BASE + p.lastQi,
      p.type,
      p.label,
      quarterLabel(quarterOfIndex(p.firstQi)),
      quarterLabel(quarterOfIndex(p.lastQi)),
    ]),
  );
  // Population of each municipality for each year a period may ask for: that year, else the latest
  // earlier one (ref_vaesto lacks 2023).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_pop AS
     SELECT la.kid, a.target_year, v.vuosi, v.vaesto
     FROM (SELECT k.kunta, y.target_year FROM ref_kunta k
           CROSS JOIN (SELECT DISTINCT (pkey % ${PKEY_BASE}) // 4 AS target_year FROM ind_periods) y) a
     ASOF LEFT JOIN ref_vaesto v ON a.kunta = v.kunta AND a.target_year >= v.vuosi
     JOIN ind_level_areas la ON la.kunta = a.kunta AND la.level = ${KUNTA_LEVEL}`,
  );
}

/**
 * Quarterly numerator and denominator per current municipality: the compiled queries of every
 * indicator, with a merged municipality's rows (old code, quarters before the merger) added to its
 * successor's. A successor's quarter counts as reported only when every municipality it then
 * consisted of reported. Then the same on a dense grid: every municipality × quarter of the
 * dataset's range × cell, reported or not.
 */
export async function buildQuarterValues(db: Database, defs: IndicatorDefinition[], scoped: boolean) {
  const params = new Params();
  const union = defs.flatMap((d, ind) => compileIndicator(d, ind, params)).join("\nUNION ALL\n");
  await buildGrid(db, union, params, { cells: "ind_cells", meta: "ind_meta", out: "ind_grid", scoped });
}

/**
 * The dense grid of `out` from compiled SELECTs (compile.ts shape: ind, cell, kunta, qi, num, num_ok,
 * den, den_ok): merged municipalities added to their successors, then every municipality × quarter of
 * the dataset's range × cell of `cells` (ind, cell), datasets from `meta` (ind, dataset). `scoped`: only
 * the municipalities of an incremental run's scope (incremental.ts ind_scope_kids, ind_scope_kunnat).
 */
export async function buildGrid(
  db: Database,
  union: string,
  params: Params,
  tables: { cells: string; meta: string; out: string; scoped?: boolean },
): Promise<void> {
  const sent = tables.scoped
    ? `SELECT * FROM (${union}) WHERE kunta IN (SELECT kunta FROM ind_scope_kunnat)`
    : union;
  const kunnat = tables.scoped ? "AND kid IN (SELECT kid FROM ind_scope_kids)" : "";
  // Only municipalities in the merger table need their constituents added up; the rest pass through.
  const merging = `(SELECT vanha_kunta FROM ref_kuntaliitos UNION SELECT uusi_kunta FROM ref_kuntaliitos)`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${tables.out} AS
     WITH sent AS (${sent}),
     mapped AS (
       SELECT s.ind, s.cell, coalesce(l.uusi_kunta, s.kunta) AS kunta, s.qi,
         sum(s.num) AS num, sum(s.den) AS den, bool_and(s.num_ok) AS num_ok, bool_and(s.den_ok) AS den_ok,
         count(*) AS parts
       FROM sent s LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = s.kunta
       WHERE s.kunta IN ${merging}
       GROUP BY 1, 2, 3, 4
     ),
     expected AS (
       SELECT m.ind, m.cell, m.kunta, m.qi, 1 + count(x.vanha_kunta) AS parts
       FROM mapped m LEFT JOIN ref_kuntaliitos x
         ON x.uusi_kunta = m.kunta AND m.qi < year(x.voimassa) * 4 + quarter(x.voimassa) - 1
       GROUP BY 1, 2, 3, 4
     ),
     q AS (
       SELECT ind, cell, kunta, qi, num, den, num_ok, den_ok FROM sent WHERE kunta NOT IN ${merging}
       UNION ALL
       SELECT m.ind, m.cell, m.kunta, m.qi, m.num, m.den,
         m.num_ok AND m.parts = e.parts, m.den_ok AND m.parts = e.parts
       FROM mapped m JOIN expected e USING (ind, cell, kunta, qi)
     )
     SELECT c.ind, c.cell, k.kid, r.qi, q.num, coalesce(q.num_ok, FALSE) AS num_ok,
       q.den, coalesce(q.den_ok, FALSE) AS den_ok
     FROM ${tables.cells} c
     JOIN ${tables.meta} m ON m.ind = c.ind
     JOIN (SELECT dataset, unnest(range(first_qi, last_qi + 1)) AS qi FROM ind_ranges) r ON r.dataset = m.dataset
     CROSS JOIN (SELECT kunta, kid FROM ind_level_areas WHERE level = ${KUNTA_LEVEL} ${kunnat}) k
     LEFT JOIN q ON q.ind = c.ind AND q.cell = c.cell AND q.kunta = k.kunta AND q.qi = r.qi`,
    params.values,
  );
}

/** A measure over a period by its `over` kind: its value and whether the municipality counts. */
function overSql(kind: string, v: { sum: string; avg: string; last: string; n: string; lastOk: string }) {
  return {
    value: `CASE ${kind} WHEN 'flow' THEN ${v.sum} WHEN 'stock' THEN ${v.last} ELSE ${v.avg} END`,
    // flow: all four quarters reported; stock: the last quarter reported; mean: at least one reported
    ok: `coalesce(CASE ${kind} WHEN 'flow' THEN ${v.n} = 4 WHEN 'stock' THEN ${v.lastOk} ELSE ${v.n} > 0 END, FALSE)`,
  };
}

/**
 * Every municipality × period × cell of every indicator, reported or not: numerator and denominator
 * over the period (population for per-inhabitant rates) and whether the municipality counts.
 * Quarters are the grid itself, four-quarter runs a window over it, years a grouping of it.
 */
export async function buildMunicipalPeriods(db: Database, lastEndedQi: number, threshold: number) {
  const primary = primarySql({
    numerator: "numerator",
    denominator: "denominator",
    reported: "reported",
    denKind: "den_kind",
  });
  const measure = (kind: string, col: "num" | "den", windowed: boolean) => {
    const ok = `${col}_ok`;
    if (windowed)
      return overSql(kind, {
        sum: `sum(${col}) FILTER (WHERE ${ok}) OVER w`,
        avg: `avg(${col}) FILTER (WHERE ${ok}) OVER w`,
        last: `CASE WHEN ${ok} THEN ${col} END`,
        n: `count(*) FILTER (WHERE ${ok}) OVER w`,
        lastOk: ok,
      });
    return overSql(kind, {
      sum: `sum(${col}) FILTER (WHERE ${ok})`,
      avg: `avg(${col}) FILTER (WHERE ${ok})`,
      last: `max(${col}) FILTER (WHERE ${ok} AND qi % 4 = 3)`,
      n: `count(*) FILTER (WHERE ${ok})`,
      lastOk: `bool_or(${ok} AND qi % 4 = 3)`,
    });
  };
  const wanted = (alias: string, ptype: number) =>
    `${alias}.ind IN (SELECT ind FROM ind_wanted_periods WHERE ptype = ${ptype})`;
  const rn = measure("m.num_over", "num", true);
  const rd = measure("m.den_over", "den", true);
  const yn = measure("m.num_over", "num", false);
  const yd = measure("m.den_over", "den", false);
  // The quarters a municipality reported of a period (both numbers of the quarter): what an area adds up
  // of a municipality that missed a quarter (definition.ts addsReportedQuarters).
  const usable = `(g.num_ok AND (g.den_ok OR m.den_kind <> 'measure'))`;
  const parts = (window: string) =>
    `sum(g.num) FILTER (WHERE ${usable}) ${window} AS part_num,
     sum(g.den) FILTER (WHERE ${usable}) ${window} AS part_den,
     count(*) FILTER (WHERE ${usable}) ${window} AS part_n`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_frame AS
     WITH periods AS (
       SELECT g.ind, g.cell, g.kid, ${PTYPE.quarter} AS ptype, g.qi AS last_qi,
         g.num, g.num_ok, g.den, g.den_ok,
         CASE WHEN ${usable} THEN g.num END AS part_num, CASE WHEN ${usable} THEN g.den END AS part_den,
         ${usable}::INTEGER AS part_n
       FROM ind_grid g JOIN ind_meta m ON m.ind = g.ind WHERE ${wanted("g", PTYPE.quarter)}
       UNION ALL
       SELECT ind, cell, kid, ${PTYPE.rolling4q}, last_qi, num, num_ok, den, den_ok, part_num, part_den, part_n
       FROM (
         SELECT g.ind, g.cell, g.kid, g.qi AS last_qi, count(*) OVER w AS quarters,
           ${rn.value} AS num, ${rn.ok} AS num_ok, ${rd.value} AS den, ${rd.ok} AS den_ok, ${parts("OVER w")}
         FROM ind_grid g JOIN ind_meta m ON m.ind = g.ind
         WHERE ${wanted("g", PTYPE.rolling4q)}
         WINDOW w AS (PARTITION BY g.ind, g.cell, g.kid ORDER BY g.qi ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
       ) WHERE quarters = 4
       UNION ALL
       SELECT g.ind, g.cell, g.kid, ${PTYPE.year}, (g.qi // 4) * 4 + 3,
         ${yn.value}, ${yn.ok}, ${yd.value}, ${yd.ok}, ${parts("")}
       FROM ind_grid g JOIN ind_meta m ON m.ind = g.ind
       WHERE ${wanted("g", PTYPE.year)} AND (g.qi // 4) * 4 + 3 <= ${lastEndedQi}
       GROUP BY g.ind, g.cell, g.kid, g.qi // 4, m.num_over, m.den_over
     )
     , counted AS (
       SELECT p.ind, p.cell, p.kid, p.ptype, p.last_qi, m.den_kind,
         p.num::DOUBLE AS num,
         CASE m.den_kind WHEN 'population' THEN pop.vaesto::DOUBLE WHEN 'measure' THEN p.den::DOUBLE END AS den,
         CASE WHEN m.den_kind = 'population' THEN pop.vuosi END AS pop_year,
         p.num_ok AND CASE m.den_kind
           WHEN 'measure' THEN p.den_ok
           WHEN 'population' THEN pop.vaesto IS NOT NULL
           ELSE TRUE END AS ok,
         CASE WHEN m.adds_parts THEN p.part_num::DOUBLE END AS part_num,
         -- a population counts for the share of the period's quarters reported (person-years)
         CASE WHEN NOT m.adds_parts THEN NULL
           WHEN m.den_kind = 'population' THEN pop.vaesto::DOUBLE * p.part_n / CASE p.ptype WHEN ${PTYPE.quarter} THEN 1 ELSE 4 END
           ELSE p.part_den::DOUBLE END AS part_den
       FROM periods p
       JOIN ind_meta m ON m.ind = p.ind
       LEFT JOIN ind_pop pop ON pop.kid = p.kid AND pop.target_year = p.last_qi // 4
     ),
     -- the municipality level's values, in the shape of every level's (see buildAreaValues)
     valued AS (
       SELECT ind, cell, kid AS area_id, ptype, last_qi, ptype * ${PKEY_BASE} + last_qi AS pkey,
         CASE WHEN ok THEN num END AS numerator, CASE WHEN ok THEN den END AS denominator,
         ok::INTEGER AS reported, 1 AS members, CASE WHEN ok THEN pop_year END AS population_year, den_kind,
         part_num, part_den
       FROM counted
     )
     SELECT ind, cell, area_id, ptype, last_qi, pkey, numerator, denominator, reported, members, population_year,
       ${primary.status} AS status, ${primary.reason} AS reason, part_num, part_den
     FROM valued`,
    { threshold },
  );
}

/**
 * Sums municipal numerators and denominators of the reporting municipalities into every area of every
 * level the indicator has (never averages of rates), with how many members reported and which did
 * not, and its primary suppression status (suppress/primary.ts). (The value itself is worked out by the view.)
 */
export async function buildAreaValues(db: Database, threshold: number, scoped: boolean) {
  const primary = primarySql({
    numerator: "a.numerator",
    denominator: "a.denominator",
    reported: "a.reported",
    denKind: "m.den_kind",
  });
  // Sums of flows add every quarter reported (addsReportedQuarters: part_* is set); the rest add up the
  // municipalities that reported the whole period. `reported` counts those, and the others are named.
  // An area no member reported the whole period of is missing: what some sent of it is not published as
  // its numbers (protection leaves unreported rows out).
  const whenReported = (sum: string) => `CASE WHEN sum(f.reported) > 0 THEN ${sum} END`;
  const sums = `${whenReported("sum(coalesce(f.part_num, f.numerator))")},
    ${whenReported("sum(coalesce(f.part_den, f.denominator))")},
    sum(f.reported)::INTEGER, count(*)::INTEGER,
    coalesce(list(la.kunta) FILTER (WHERE f.reported = 0), []::VARCHAR[]), max(f.population_year)`;
  // an incremental run adds up only the areas containing its municipalities, for the periods touched
  const inScope = scoped
    ? "AND f.pkey IN (SELECT pkey FROM ind_scope_pkeys) AND la.area_id IN (SELECT area_id FROM ind_scope_areas)"
    : "";
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_vals AS
     WITH all_levels AS (
       SELECT f.ind, f.cell, la.area_id, f.ptype, f.last_qi, f.pkey, ${sums}
       FROM ind_frame f
       JOIN ind_level_areas la ON la.kid = f.area_id AND la.level NOT IN (${KUNTA_LEVEL}, ${WHOLE_LEVEL})
       JOIN ind_wanted_levels w ON w.ind = f.ind AND w.level = la.level
       WHERE TRUE ${inScope}
       GROUP BY f.ind, f.cell, la.area_id, f.ptype, f.last_qi, f.pkey
       UNION ALL
       -- the whole country has every municipality: no join needed to find its members
       SELECT f.ind, f.cell, any_value(la.area_id), f.ptype, f.last_qi, f.pkey, ${sums}
       FROM ind_frame f
       JOIN ind_level_areas la ON la.kid = f.area_id AND la.level = ${WHOLE_LEVEL}
       WHERE f.ind IN (SELECT ind FROM ind_wanted_levels WHERE level = ${WHOLE_LEVEL}) ${inScope}
       GROUP BY f.ind, f.cell, f.ptype, f.last_qi, f.pkey
     )
     SELECT a.*, ${primary.status} AS status, ${primary.reason} AS reason
     FROM all_levels a (ind, cell, area_id, ptype, last_qi, pkey, numerator, denominator, reported, members,
       missing_kunnat, population_year)
     JOIN ind_meta m ON m.ind = a.ind`,
    { threshold },
  );
}
