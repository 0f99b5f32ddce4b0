import { type Config, todayOf } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { lastEndedQuarter, quarterIndex } from "../core/quarter.ts";
import { datasetByName } from "../pipelines/datasets/index.ts";
import { compileIndicator, Params } from "./compile.ts";
import { type IndicatorDefinition, UNIT_SCALE } from "./definition.ts";
import { KOKO_MAA, LEVELS } from "./levels.ts";
import { type Period, periodsCovering, populationYearOf } from "./periods.ts";
import { type Catalogue, loadCatalogue } from "./registry.ts";
import { applySuppression, STATUSES, type Status } from "./suppress.ts";

/**
 * Computes every indicator of the catalogue for every level, area, period and cell into
 * `indicator_values`, replacing what was there in one transaction. The work is a few set-based
 * statements over all indicators at once (DuckDB does the grouping); see the steps in computeAll.
 */

/** Bumped when the results tables change shape; older tables are dropped (they are derived data). */
const RESULTS_SCHEMA_VERSION = "1";

const RESULTS_DDL = [
  `CREATE TABLE IF NOT EXISTS indicator_values (
    indicator_id VARCHAR NOT NULL,
    definition_version VARCHAR NOT NULL,
    category VARCHAR NOT NULL,          -- '' = the total; else a breakdown value
    level VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    period_type VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    first_quarter VARCHAR NOT NULL,
    last_quarter VARCHAR NOT NULL,
    numerator DOUBLE,                   -- raw, unrounded, unsuppressed: never shown without publish()
    denominator DOUBLE,
    value DOUBLE,
    population_year INTEGER,            -- the year whose population a per-inhabitant rate used
    reported INTEGER NOT NULL,          -- member municipalities that reported
    members INTEGER NOT NULL,
    missing_kunnat VARCHAR[] NOT NULL,  -- member municipalities that did not
    status VARCHAR NOT NULL,
    reason VARCHAR
  )`,
  `CREATE SEQUENCE IF NOT EXISTS indicator_run_seq START 1`,
  `CREATE TABLE IF NOT EXISTS indicator_runs (
    run_id BIGINT PRIMARY KEY DEFAULT nextval('indicator_run_seq'),
    trigger VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    duration_ms DOUBLE NOT NULL,
    state VARCHAR NOT NULL,
    summary JSON NOT NULL
  )`,
];

/** Creates the results tables (dropping ones of an older shape); safe to call at every start. */
export async function ensureResultsTables(db: Database): Promise<void> {
  const stored = await db.one<{ value: string }>(
    `SELECT value FROM meta WHERE key = 'indicator_schema_version'`,
  );
  if (stored?.value !== RESULTS_SCHEMA_VERSION) {
    await db.run(`DROP TABLE IF EXISTS indicator_values`);
    await db.run(`DROP TABLE IF EXISTS indicator_runs`);
    await db.run(`DROP SEQUENCE IF EXISTS indicator_run_seq`);
  }
  for (const ddl of RESULTS_DDL) await db.run(ddl);
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('indicator_schema_version', ?)`, [
    RESULTS_SCHEMA_VERSION,
  ]);
}

export interface ComputeSummary {
  runId: number;
  trigger: string;
  indicators: number;
  /** Indicator × level × period type combinations computed. */
  combinations: number;
  /** Distinct periods computed, by type. */
  periods: Record<string, number>;
  rows: number;
  byStatus: Record<Status, number>;
  suppressed: { primary: number; secondary: number; rounds: number };
  threshold: number;
  durationMs: number;
}

export interface ComputeOptions {
  catalogue?: Catalogue;
  /** What asked for the run (load, schedule, cli, start): recorded in indicator_runs. */
  trigger?: string;
}

/**
 * What the stored results depend on: definitions (versions), threshold, loaded data, reference data and
 * the last ended quarter (it decides which years are complete). Equal state = results are current.
 */
async function currentState(db: Database, catalogue: Catalogue, config: Config): Promise<string> {
  const lastLoad = await db.one<{ id: bigint | null }>(
    `SELECT max(load_id) AS id FROM loads WHERE status = 'loaded'`,
  );
  const reference = await db.one<{ value: string }>(
    `SELECT value FROM meta WHERE key = 'reference_fingerprint'`,
  );
  return JSON.stringify({
    versions: Object.fromEntries(catalogue.entries.map((e) => [e.definition.id, e.version])),
    threshold: config.suppressionThreshold,
    lastLoadId: lastLoad?.id === null || lastLoad?.id === undefined ? null : Number(lastLoad.id),
    reference: reference?.value ?? null,
    lastEndedQuarter: quarterIndex(lastEndedQuarter(todayOf(config))),
  });
}

/**
 * Recomputes everything, queued behind other database work (loads); call after every successful
 * load and from the scheduler. Must not be called from inside Database.exclusive/withTransaction
 * (use computeAll there).
 */
export function recomputeAll(
  db: Database,
  config: Config,
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  return db.exclusive(() => computeAll(db, config, options));
}

/**
 * Recomputes only when the stored results are stale (a load, a changed definition or threshold, new
 * reference data, a new year ended); returns null when they were current. Queued like recomputeAll.
 */
export function recomputeIfStale(
  db: Database,
  config: Config,
  options: ComputeOptions = {},
): Promise<ComputeSummary | null> {
  return db.exclusive(async () => {
    const catalogue = options.catalogue ?? (await loadCatalogue());
    await ensureResultsTables(db);
    const last = await db.one<{ state: string }>(
      `SELECT state FROM indicator_runs ORDER BY run_id DESC LIMIT 1`,
    );
    if (last?.state === (await currentState(db, catalogue, config))) return null;
    return computeAll(db, config, { ...options, catalogue });
  });
}

/** Whether the stored results are stale (see recomputeIfStale). */
export async function resultsAreStale(db: Database, config: Config, catalogue?: Catalogue): Promise<boolean> {
  const cat = catalogue ?? (await loadCatalogue());
  await ensureResultsTables(db);
  const last = await db.one<{ state: string }>(
    `SELECT state FROM indicator_runs ORDER BY run_id DESC LIMIT 1`,
  );
  return last?.state !== (await currentState(db, cat, config));
}

const TEMP_TABLES = [
  "ind_meta",
  "ind_cells",
  "ind_wanted_levels",
  "ind_wanted_periods",
  "ind_periods",
  "ind_period_quarters",
  "ind_level_areas",
  "ind_pop",
  "ind_q",
  "ind_frame",
  "ind_vals",
];

/**
 * The recompute itself, without queueing: for use inside Database.exclusive (recomputeAll wraps it).
 * Temp tables are built outside the transaction; only the swap of the results is transactional.
 */
export async function computeAll(
  db: Database,
  config: Config,
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  const started = new Date();
  const t0 = performance.now();
  const catalogue = options.catalogue ?? (await loadCatalogue());
  const defs = catalogue.entries.map((e) => e.definition);
  const threshold = config.suppressionThreshold;
  await ensureResultsTables(db);
  const state = await currentState(db, catalogue, config);
  try {
    await buildDefinitionTables(db, catalogue);
    await buildPeriodTables(db, defs, quarterIndex(lastEndedQuarter(todayOf(config))));
    await buildLevelAreas(db);
    await buildQuarterValues(db, defs);
    await buildMunicipalPeriods(db);
    await buildAreaValues(db);
    const suppressed = await applySuppression(
      db,
      { values: "ind_vals", levelAreas: "ind_level_areas" },
      threshold,
    );
    const summary = await db.inTransaction(async (tx) => {
      await tx.run(`DELETE FROM indicator_values`);
      await tx.run(
        `INSERT INTO indicator_values
         SELECT v.indicator_id, m.version, v.cell, v.level, v.area, v.period_type, v.period,
           ${quarterLabelSql("v.first_qi")}, ${quarterLabelSql("v.last_qi")},
           v.numerator, v.denominator,
           CASE WHEN v.reported = 0 THEN NULL
                WHEN v.den_kind = 'none' THEN v.numerator
                WHEN v.denominator = 0 THEN NULL
                ELSE v.numerator * v.scale / v.denominator END,
           v.population_year, v.reported, v.members, v.missing_kunnat, v.status, v.reason
         FROM ind_vals v JOIN ind_meta m ON m.indicator_id = v.indicator_id`,
      );
      const counts = await tx.all<{ status: Status; n: bigint }>(
        `SELECT status, count(*) AS n FROM ind_vals GROUP BY status`,
      );
      const periods = await tx.all<{ period_type: string; n: bigint }>(
        `SELECT period_type, count(DISTINCT period) AS n FROM ind_vals GROUP BY period_type ORDER BY period_type`,
      );
      const combos = await tx.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM ind_wanted_levels l JOIN ind_wanted_periods p USING (indicator_id)`,
      );
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
      for (const c of counts) byStatus[c.status] = Number(c.n);
      const partial = {
        trigger: options.trigger ?? "manual",
        indicators: defs.length,
        combinations: Number(combos?.n ?? 0),
        periods: Object.fromEntries(periods.map((p) => [p.period_type, Number(p.n)])),
        rows: Object.values(byStatus).reduce((a, b) => a + b, 0),
        byStatus,
        suppressed,
        threshold,
      };
      const durationMs = performance.now() - t0;
      const run = await tx.one<{ id: bigint }>(
        `INSERT INTO indicator_runs (trigger, started_at, duration_ms, state, summary)
         VALUES (?, ?::TIMESTAMPTZ, ?, ?, ?::JSON) RETURNING run_id AS id`,
        [
          partial.trigger,
          started.toISOString(),
          durationMs,
          state,
          JSON.stringify({ ...partial, durationMs }),
        ],
      );
      return { runId: Number(run?.id), ...partial, durationMs };
    });
    return summary;
  } finally {
    for (const t of TEMP_TABLES) await db.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}

/** SQL text of a quarter label ('2024Q1') from a quarter index expression. */
function quarterLabelSql(expr: string): string {
  return `((${expr}) // 4)::VARCHAR || 'Q' || ((${expr}) % 4 + 1)::VARCHAR`;
}

/** Inserts rows into a new temp table through bound parameters. */
async function tempTable(db: Database, name: string, columns: string, rows: unknown[][]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns})`);
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const params = new Params();
    const values = rows
      .slice(i, i + chunk)
      .map((row) => `(${row.map((v) => params.bind(v as never)).join(", ")})`)
      .join(", ");
    await db.run(`INSERT INTO ${name} VALUES ${values}`, params.values);
  }
}

/** What the SQL needs to know of each definition, as small tables. */
async function buildDefinitionTables(db: Database, catalogue: Catalogue) {
  await tempTable(
    db,
    "ind_meta",
    `indicator_id VARCHAR, version VARCHAR, dataset VARCHAR, scale DOUBLE, num_over VARCHAR,
     den_kind VARCHAR, den_over VARCHAR, time_additive BOOLEAN`,
    catalogue.entries.map(({ definition: d, version }) => {
      const den = d.denominator;
      const denKind = den === null ? "none" : "sum" in den ? "measure" : "population";
      const denOver = den && "sum" in den ? den.over : null;
      // A year is recoverable from its quarters only where the numerator or denominator adds them up.
      const additive = d.numerator.over !== "stock" || (denOver !== null && denOver !== "stock");
      return [d.id, version, d.dataset, UNIT_SCALE[d.unit], d.numerator.over, denKind, denOver, additive];
    }),
  );
  const defs = catalogue.entries.map((e) => e.definition);
  await tempTable(
    db,
    "ind_cells",
    "indicator_id VARCHAR, cell VARCHAR",
    defs.flatMap((d) => ["", ...Object.keys(d.breakdown?.labels ?? {})].map((c) => [d.id, c])),
  );
  await tempTable(
    db,
    "ind_wanted_levels",
    "indicator_id VARCHAR, level VARCHAR",
    defs.flatMap((d) => d.levels.map((l) => [d.id, l])),
  );
  await tempTable(
    db,
    "ind_wanted_periods",
    "indicator_id VARCHAR, period_type VARCHAR",
    defs.flatMap((d) => d.periods.map((p) => [d.id, p])),
  );
}

/** Periods over the quarters each dataset has data for, and which quarters each period spans. */
async function buildPeriodTables(db: Database, defs: IndicatorDefinition[], lastEndedQi: number) {
  const rows: unknown[][] = [];
  for (const name of new Set(defs.map((d) => d.dataset))) {
    const dataset = datasetByName(name);
    if (!dataset) throw new Error(`unknown dataset ${name}`);
    const range = await db.one<{ lo: number | null; hi: number | null }>(
      `SELECT min(vuosi * 4 + neljannes - 1) AS lo, max(vuosi * 4 + neljannes - 1) AS hi FROM ${dataset.name}`,
    );
    if (range?.lo === null || range?.lo === undefined || range.hi === null) continue;
    for (const p of periodsCovering({ firstQi: range.lo, lastQi: range.hi }, lastEndedQi))
      rows.push(periodRow(name, p));
  }
  await tempTable(
    db,
    "ind_periods",
    `dataset VARCHAR, period_type VARCHAR, period VARCHAR, first_qi INTEGER, last_qi INTEGER,
     n_q INTEGER, pop_year INTEGER`,
    rows,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_period_quarters AS
     SELECT dataset, period_type, period, first_qi, last_qi, n_q, unnest(range(first_qi, last_qi + 1)) AS qi
     FROM ind_periods`,
  );
  // Population of each municipality for each year a period asks for: that year, else the latest
  // earlier one (ref_vaesto lacks 2023).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_pop AS
     SELECT a.kunta, a.target_year, v.vuosi, v.vaesto
     FROM (SELECT k.kunta, y.target_year FROM ref_kunta k
           CROSS JOIN (SELECT DISTINCT pop_year AS target_year FROM ind_periods) y) a
     ASOF LEFT JOIN ref_vaesto v ON a.kunta = v.kunta AND a.target_year >= v.vuosi`,
  );
}

function periodRow(dataset: string, p: Period): unknown[] {
  return [dataset, p.type, p.label, p.firstQi, p.lastQi, p.lastQi - p.firstQi + 1, populationYearOf(p)];
}

/** Each municipality's area at every level: the grouping columns of the municipality key. */
async function buildLevelAreas(db: Database) {
  const params = new Params();
  const parts = LEVELS.map((level) => {
    if (level.column !== null && !/^[a-z][a-z0-9_]*$/.test(level.column))
      throw new Error(`level ${level.name}: bad column ${level.column}`);
    const area = level.column === null ? params.bind(KOKO_MAA) : level.column;
    return `SELECT kunta, ${params.bind(level.name)}::VARCHAR AS level, ${area}::VARCHAR AS area FROM ref_kunta`;
  });
  await db.run(`CREATE OR REPLACE TEMP TABLE ind_level_areas AS ${parts.join(" UNION ALL ")}`, params.values);
}

/**
 * Quarterly numerator and denominator per current municipality: the compiled queries of every
 * indicator, with a merged municipality's rows (old code, quarters before the merger) added to its
 * successor's. A successor's quarter counts as reported only when every municipality it then
 * consisted of reported.
 */
async function buildQuarterValues(db: Database, defs: IndicatorDefinition[]) {
  const params = new Params();
  const union = defs.flatMap((d) => compileIndicator(d, params)).join("\nUNION ALL\n");
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_q AS
     WITH sent AS (${union}),
     mapped AS (
       SELECT s.indicator_id, s.cell, coalesce(l.uusi_kunta, s.kunta) AS kunta, s.qi,
         sum(s.num) AS num, sum(s.den) AS den, bool_and(s.num_ok) AS num_ok, bool_and(s.den_ok) AS den_ok,
         count(*) AS parts
       FROM sent s LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = s.kunta
       GROUP BY 1, 2, 3, 4
     ),
     expected AS (
       SELECT m.indicator_id, m.cell, m.kunta, m.qi,
         1 + count(x.vanha_kunta) AS parts
       FROM mapped m LEFT JOIN ref_kuntaliitos x
         ON x.uusi_kunta = m.kunta AND m.qi < year(x.voimassa) * 4 + quarter(x.voimassa) - 1
       GROUP BY 1, 2, 3, 4
     )
     SELECT m.indicator_id, m.cell, m.kunta, m.qi, m.num, m.den,
       m.num_ok AND m.parts = e.parts AS num_ok, m.den_ok AND m.parts = e.parts AS den_ok
     FROM mapped m JOIN expected e USING (indicator_id, cell, kunta, qi)`,
    params.values,
  );
}

/** The aggregate of one measure over a period's quarters, by its `over` kind. */
function overSql(kind: string, col: string, ok: string) {
  return {
    value: `CASE ${kind}
      WHEN 'flow' THEN sum(q.${col}) FILTER (WHERE q.${ok})
      WHEN 'stock' THEN max(q.${col}) FILTER (WHERE q.${ok} AND q.qi = p.last_qi)
      ELSE avg(q.${col}) FILTER (WHERE q.${ok}) END`,
    // flow: every quarter reported; stock: the last quarter reported; mean: at least one reported
    ok: `CASE ${kind}
      WHEN 'flow' THEN count(*) FILTER (WHERE q.${ok}) = p.n_q
      WHEN 'stock' THEN count(*) FILTER (WHERE q.${ok} AND q.qi = p.last_qi) = 1
      ELSE count(*) FILTER (WHERE q.${ok}) > 0 END`,
  };
}

/**
 * Every municipality × period × cell of every indicator, reported or not: numerator and denominator
 * over the period (population for per-inhabitant rates) and whether the municipality counts.
 */
async function buildMunicipalPeriods(db: Database) {
  const num = overSql("m.num_over", "num", "num_ok");
  const den = overSql("m.den_over", "den", "den_ok");
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_frame AS
     WITH agg AS (
       SELECT q.indicator_id, q.cell, q.kunta, p.period,
         ${num.value} AS num, ${num.ok} AS num_ok, ${den.value} AS den, ${den.ok} AS den_ok
       FROM ind_q q
       JOIN ind_meta m ON m.indicator_id = q.indicator_id
       JOIN ind_period_quarters p ON p.dataset = m.dataset AND p.qi = q.qi
       JOIN ind_wanted_periods w ON w.indicator_id = q.indicator_id AND w.period_type = p.period_type
       GROUP BY q.indicator_id, q.cell, q.kunta, p.period, m.num_over, m.den_over, p.last_qi, p.n_q
     )
     SELECT c.indicator_id, c.cell, k.kunta, p.period_type, p.period, p.first_qi, p.last_qi,
       a.num,
       CASE WHEN m.den_kind = 'population' THEN pop.vaesto::DOUBLE ELSE a.den END AS den,
       CASE WHEN m.den_kind = 'population' THEN pop.vuosi END AS population_year,
       coalesce(a.num_ok, FALSE) AND CASE m.den_kind
         WHEN 'measure' THEN coalesce(a.den_ok, FALSE)
         WHEN 'population' THEN pop.vaesto IS NOT NULL
         ELSE TRUE END AS ok
     FROM ind_cells c
     JOIN ind_meta m ON m.indicator_id = c.indicator_id
     JOIN ind_wanted_periods w ON w.indicator_id = c.indicator_id
     JOIN ind_periods p ON p.dataset = m.dataset AND p.period_type = w.period_type
     CROSS JOIN (SELECT kunta FROM ref_kunta) k
     LEFT JOIN agg a ON a.indicator_id = c.indicator_id AND a.cell = c.cell AND a.kunta = k.kunta
       AND a.period = p.period
     LEFT JOIN ind_pop pop ON pop.kunta = k.kunta AND pop.target_year = p.pop_year`,
  );
}

/**
 * Sums municipal numerators and denominators of the reporting municipalities into every area of every
 * level the indicator has (never averages of rates), with how many members reported and which did not.
 */
async function buildAreaValues(db: Database) {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_vals AS
     SELECT f.indicator_id, f.cell, la.level, la.area, f.period_type, f.period, f.first_qi, f.last_qi,
       f.last_qi // 4 AS year,
       sum(f.num) FILTER (WHERE f.ok) AS numerator,
       sum(f.den) FILTER (WHERE f.ok) AS denominator,
       count(*) FILTER (WHERE f.ok)::INTEGER AS reported,
       count(*)::INTEGER AS members,
       coalesce(list(f.kunta ORDER BY f.kunta) FILTER (WHERE NOT f.ok), []::VARCHAR[]) AS missing_kunnat,
       max(f.population_year) FILTER (WHERE f.ok) AS population_year,
       any_value(m.den_kind) AS den_kind, any_value(m.time_additive) AS time_additive,
       any_value(m.scale) AS scale,
       NULL::VARCHAR AS status, NULL::VARCHAR AS reason
     FROM ind_frame f
     JOIN ind_level_areas la ON la.kunta = f.kunta
     JOIN ind_wanted_levels w ON w.indicator_id = f.indicator_id AND w.level = la.level
     JOIN ind_meta m ON m.indicator_id = f.indicator_id
     GROUP BY f.indicator_id, f.cell, la.level, la.area, f.period_type, f.period, f.first_qi, f.last_qi`,
  );
}
