import type { DuckDBValue } from "@duckdb/node-api";
import { type Config, todayOf } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { lastEndedQuarter, quarterIndex, quarterLabel, quarterOfIndex } from "../core/quarter.ts";
import { Params, sqlList } from "../core/sql.ts";
import { datasetByName } from "../pipelines/datasets/index.ts";
import { compileIndicator } from "./compile.ts";
import {
  addsReportedQuarters,
  cellsOf,
  datasetsOf,
  type IndicatorDefinition,
  UNIT_SCALE,
} from "./definition.ts";
import {
  addStoredRows,
  type Ranges,
  SCOPE_TABLES,
  type Scope,
  TOUCHED_AREA_PERIOD,
  TOUCHED_MUNICIPALITY,
  touchedScope,
  WORK_AREAS,
  WORK_DDL,
  WORK_FRAME,
} from "./incremental.ts";
import { KOKO_MAA, LEVEL_NAMES, LEVELS } from "./levels.ts";
import { PERIOD_TYPES, type PeriodType, periodsCovering } from "./periods.ts";
import { type AtomModel, atomModel, atomSql } from "./protect/atoms.ts";
import type { AuditFinding, AuditReport } from "./protect/audit.ts";
import type { Certificate } from "./protect/protect.ts";
import {
  auditStored,
  type ProtectionSummary,
  protectRead,
  readCertificates,
  readForProtection,
  type StepTables,
} from "./protect/step.ts";
import { type Catalogue, loadCatalogue } from "./registry.ts";
import { keepDefinitions } from "./release/definitions.ts";
import { makeRelease } from "./release/make.ts";
import { primarySql, REASON_CODES, STATUSES, type Status } from "./suppress.ts";

/**
 * Computes every indicator of the catalogue for every level, area, period and cell into
 * `indicator_values`, replacing what was there in one transaction. The work is a few set-based
 * statements over all indicators at once (DuckDB does the grouping); see the steps in computeAll.
 */

/** Bumped when the results tables change shape; older tables are dropped (they are derived data). */
const RESULTS_SCHEMA_VERSION = "5";

// Values are stored compactly (small integer codes; strings are what makes writing a million rows
// slow) in indicator_values_data, with small dictionary tables rewritten by every run; the view
// indicator_values gives them back with names. Everything that reads values reads the view.
const RESULTS_DDL = [
  `CREATE TABLE IF NOT EXISTS indicator_values_data (
    ind SMALLINT NOT NULL,              -- indicator_catalog
    cell SMALLINT NOT NULL,             -- indicator_cells: 0 = the total, else a breakdown value
    area_id SMALLINT NOT NULL,          -- indicator_areas: level and area code
    pkey INTEGER NOT NULL,              -- indicator_periods
    numerator DOUBLE,                   -- raw, unrounded, unsuppressed: never shown without publish()
    denominator DOUBLE,
    population_year SMALLINT,           -- the year whose population a per-inhabitant rate used
    reported SMALLINT NOT NULL,         -- member municipalities that reported
    members SMALLINT NOT NULL,
    missing_kunnat VARCHAR[],           -- members that did not (NULL for a single municipality)
    status TINYINT NOT NULL,            -- indicator_codes 'status'
    reason TINYINT,                     -- indicator_codes 'reason'
    shown_parts TINYINT                 -- of a hidden value, the numbers still shown: 1 numerator, 2 denominator
  )`,
  `CREATE TABLE IF NOT EXISTS indicator_catalog (ind SMALLINT, indicator_id VARCHAR, definition_version VARCHAR,
    scale DOUBLE, den_kind VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_cells (ind SMALLINT, cell SMALLINT, category VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_areas (area_id SMALLINT, level VARCHAR, area VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_periods (pkey INTEGER, period_type VARCHAR, period VARCHAR,
    first_quarter VARCHAR, last_quarter VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_codes (kind VARCHAR, code TINYINT, name VARCHAR)`,
  `CREATE OR REPLACE VIEW indicator_values AS
   SELECT c.indicator_id, c.definition_version, cl.category, a.level, a.area, p.period_type, p.period,
     p.first_quarter, p.last_quarter, d.numerator, d.denominator,
     -- the value is worked out here rather than stored: one column less to write per run
     CASE WHEN d.reported = 0 THEN NULL
          WHEN c.den_kind = 'none' THEN d.numerator
          WHEN d.denominator = 0 THEN NULL
          ELSE d.numerator * c.scale / d.denominator END AS value,
     d.population_year::INTEGER AS population_year, d.reported::INTEGER AS reported,
     d.members::INTEGER AS members,
     coalesce(list_sort(d.missing_kunnat), CASE WHEN d.reported = 0 THEN [a.area] ELSE []::VARCHAR[] END) AS missing_kunnat,
     s.name AS status, r.name AS reason, coalesce(d.shown_parts, CASE WHEN s.name = 'suppressed' THEN 0 ELSE 3 END)::INTEGER AS shown_parts
   FROM indicator_values_data d
   JOIN indicator_catalog c ON c.ind = d.ind
   JOIN indicator_cells cl ON cl.ind = d.ind AND cl.cell = d.cell
   JOIN indicator_areas a ON a.area_id = d.area_id
   JOIN indicator_periods p ON p.pkey = d.pkey
   JOIN indicator_codes s ON s.kind = 'status' AND s.code = d.status
   LEFT JOIN indicator_codes r ON r.kind = 'reason' AND r.code = d.reason`,
  // The release's inner cells and protection certificates: what `seuranta audit` checks again.
  `CREATE TABLE IF NOT EXISTS release_cells (atom SMALLINT, kid SMALLINT, qi INTEGER, value DOUBLE, ok BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS release_certificates (id INTEGER, component SMALLINT, kid SMALLINT, qi INTEGER,
    atom SMALLINT, sign TINYINT)`,
  // Recomputes whose release failed the audit and was not published (the previous one stays served).
  `CREATE TABLE IF NOT EXISTS release_rejections (rejected_at TIMESTAMPTZ NOT NULL, trigger VARCHAR NOT NULL,
    state VARCHAR NOT NULL, findings JSON NOT NULL)`,
  ...WORK_DDL,
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

const RESULTS_TABLES = [
  "indicator_values_data",
  "indicator_catalog",
  "indicator_cells",
  "indicator_areas",
  "indicator_periods",
  "indicator_codes",
  "release_cells",
  "release_certificates",
  WORK_FRAME,
  WORK_AREAS,
  "indicator_runs",
];

/** Creates the results tables (dropping ones of an older shape); safe to call at every start. */
export async function ensureResultsTables(db: Database): Promise<void> {
  const stored = await db.one<{ value: string }>(
    `SELECT value FROM meta WHERE key = 'indicator_schema_version'`,
  );
  const present = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN (${sqlList(RESULTS_TABLES)}, 'indicator_values')`,
  );
  if (stored?.value === RESULTS_SCHEMA_VERSION && Number(present?.n) === RESULTS_TABLES.length + 1) return;
  if (stored?.value !== RESULTS_SCHEMA_VERSION) {
    await db.run(`DROP VIEW IF EXISTS indicator_values`);
    await db.run(`DROP TABLE IF EXISTS indicator_values`);
    for (const table of RESULTS_TABLES) await db.run(`DROP TABLE IF EXISTS ${table}`);
    await db.run(`DROP TABLE IF EXISTS release_rejections`);
    await db.run(`DROP SEQUENCE IF EXISTS indicator_run_seq`);
  }
  for (const ddl of RESULTS_DDL) await db.run(ddl);
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('indicator_schema_version', ?)`, [
    RESULTS_SCHEMA_VERSION,
  ]);
}

/** What a recompute did (printed by `seuranta compute`, stored in indicator_runs). */
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
  suppressed: ProtectionSummary;
  threshold: number;
  durationMs: number;
  /** Milliseconds per step, to see where the time goes. */
  steps: Record<string, number>;
  /** The quarters each dataset spans (an incremental run needs the same as the run before it). */
  ranges: Ranges;
  /** What an incremental run computed again; null for a full recompute. */
  scope: Scope | null;
  /** The release this recompute made, or null when no published figure changed. */
  release?: { id: number; changed: number } | null;
}

/** Options of a recompute. */
export interface ComputeOptions {
  catalogue?: Catalogue;
  /** What asked for the run (load, schedule, cli, start): recorded in indicator_runs. */
  trigger?: string;
  /**
   * Compute only what the loads since the previous run touched (incremental.ts), when nothing else
   * changed; recomputeIfStale does, recomputeAll does not unless asked.
   */
  incremental?: boolean;
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
 * load and from the scheduler. Must not be called from inside Database.exclusive/withTransaction.
 */
export async function recomputeAll(
  db: Database,
  config: Config,
  options: ComputeOptions = {},
): Promise<ComputeSummary> {
  const summary = await computeAll(db, config, options);
  if (!summary) throw new Error("recomputeAll: the recompute made no run");
  return summary;
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
  return computeAll(db, config, { incremental: true, ...options }, { ifStale: true });
}

// One recompute at a time per database: a run's temp tables stay on the process's one connection
// between its database sections, while other work (a load) may run in between.
const computing = new WeakMap<Database, Promise<unknown>>();

function oneAtATime<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const next = (computing.get(db) ?? Promise.resolve()).then(fn);
  computing.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

/** Whether the stored results are stale (see recomputeIfStale). */
export async function resultsAreStale(db: Database, config: Config, catalogue?: Catalogue): Promise<boolean> {
  await ensureResultsTables(db);
  const last = await db.one<{ state: string }>(
    `SELECT state FROM indicator_runs ORDER BY run_id DESC LIMIT 1`,
  );
  const state = await currentState(db, catalogue ?? (await loadCatalogue()), config);
  // A release the audit rejected is not tried again until something changes.
  const rejected = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM release_rejections WHERE state = ?`,
    [state],
  );
  // A database upgraded to releases (schema 3) has results but no release yet: the first one is due.
  const releases = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM releases`);
  if (Number(rejected?.n ?? 0) > 0) return false;
  return last?.state !== state || (last !== undefined && Number(releases?.n ?? 0) === 0);
}

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
const KUNTA_LEVEL = LEVELS.findIndex((l) => l.name === "kunta");
const WHOLE_LEVEL = LEVELS.findIndex((l) => l.column === null);
const PTYPE = Object.fromEntries(PERIOD_TYPES.map((t, i) => [t, i])) as Record<PeriodType, number>;
/** A period as one integer: type × PKEY_BASE + index of its last quarter. */
const PKEY_BASE = 100000;

/**
 * The recompute itself, in two database sections (Database.exclusive) with the protection and audit
 * between them, in the worker thread: the first computes the values into temp tables and reads them
 * for protection, the second stores the results and the release. A load arriving meanwhile waits only
 * for a section, not for the protection; its data is in the next run (the run's state, the release's
 * loads and its latest load are those of the first section). With `ifStale`, nothing is done (null)
 * when the stored results are current. Temp tables are built outside the transaction; only the swap of
 * the results is transactional.
 */
async function computeAll(
  db: Database,
  config: Config,
  options: ComputeOptions = {},
  { ifStale = false } = {},
): Promise<ComputeSummary | null> {
  return oneAtATime(db, async () => {
    try {
      return await computeSections(db, config, options, ifStale);
    } finally {
      await db.exclusive(() => dropTempTables(db));
    }
  });
}

async function computeSections(
  db: Database,
  config: Config,
  options: ComputeOptions,
  ifStale: boolean,
): Promise<ComputeSummary | null> {
  const started = new Date();
  const t0 = performance.now();
  const steps: Record<string, number> = {};
  let lap = t0;
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const result = await fn();
    const now = performance.now();
    steps[name] = Math.round(now - lap);
    lap = now;
    return result;
  };
  const catalogue = options.catalogue ?? (await loadCatalogue());
  const defs = catalogue.entries.map((e) => e.definition);
  const threshold = config.suppressionThreshold;
  const lastEndedQi = quarterIndex(lastEndedQuarter(todayOf(config)));
  const first = await db.exclusive(async () => {
    // releases made by an older version with this catalogue get their definitions kept
    if (ifStale) await keepDefinitions(db, catalogue);
    if (ifStale && !(await resultsAreStale(db, config, catalogue))) return null;
    lap = performance.now();
    const state = await step("prepare", async () => {
      await ensureResultsTables(db);
      await buildDefinitionTables(db, catalogue);
      await buildLevelAreas(db);
      await buildPeriodTables(db, defs, lastEndedQi);
      return currentState(db, catalogue, config);
    });
    const ranges = (
      await db.all<{ dataset: string; first_qi: number; last_qi: number }>(
        `SELECT dataset, first_qi, last_qi FROM ind_ranges ORDER BY dataset`,
      )
    ).map((r): [string, number, number] => [r.dataset, r.first_qi, r.last_qi]);
    const scope = options.incremental
      ? await step("scope", () =>
          touchedScope(db, { state, ranges }, { kuntaLevel: KUNTA_LEVEL, pkeyBase: PKEY_BASE }),
        )
      : null;
    const scoped = scope !== null;
    await step("quarters", () => buildQuarterValues(db, defs, scoped));
    await step("municipal_periods", async () => {
      await buildMunicipalPeriods(db, lastEndedQi, threshold);
      if (scoped) await addStoredRows(db, "ind_frame", WORK_FRAME, TOUCHED_MUNICIPALITY("area_id"));
    });
    await step("areas", async () => {
      await buildAreaValues(db, threshold, scoped);
      if (scoped) await addStoredRows(db, "ind_vals", WORK_AREAS, TOUCHED_AREA_PERIOD);
    });
    const model = atomModel(defs);
    await step("cells", async () => {
      await buildAtomGrid(db, model, scoped);
      if (scoped) await addStoredRows(db, "ind_atom_grid", "release_cells", TOUCHED_MUNICIPALITY("kid"));
    });
    await step("previous", () => buildPrevious(db));
    const served = await db.one<{ n: bigint }>("SELECT count(*) AS n FROM release_cells");
    // The served release's cells are numbered by the atoms of the catalogue that wrote them: another
    // catalogue's numbering would read them as other cells, so the two are protected together only
    // when the atoms are the same (README, Privacy: what a catalogue change leaves out).
    const comparable = (await servedAtomModel(db)) === atomSignature(model);
    const read = await readForProtection(
      db,
      stepTables(catalogue, config, model, RELEASE_VALUES_SQL, "ind_atom_grid"),
      // the release being served stays public: the new one is protected and audited together with it
      Number(served?.n ?? 0) > 0 && comparable
        ? {
            tables: stepTables(catalogue, config, model, servedValuesSql(), "release_cells"),
            certificates: "release_certificates",
          }
        : undefined,
    );
    return { state, ranges, scope, read, model };
  });
  if (!first) return null;
  const { state, ranges, scope, model } = first;
  // the protection and audit of the whole release: in the worker thread, outside the database sections
  const protection = await step("protection", () => protectRead(first.read));
  return db.exclusive(async () => {
    const suppressed = protection.summary;
    // The release's own audit decides. The audit together with the release being served (rule 3) is
    // recorded in the run's summary and shown to admins on /tila, but does not refuse a release yet:
    // resent small counts still leave one or two numbers without a joint pattern (README, Privacy).
    const refused: Refusal | null =
      suppressed.audit.findings.length > 0
        ? { findings: suppressed.audit.findings.length, first: suppressed.audit.findings }
        : null;
    if (refused) {
      await recordRejection(db, options.trigger ?? "manual", state, refused);
      throw new ReleaseRejectedError(refused, suppressed);
    }
    await step("hide", () => writeHidden(db, protection));
    const tStore = performance.now();
    const result = await db.inTransaction(async (tx) => {
      await storeResults(tx);
      await storeRelease(tx, protection.certificates, model);
      const counts = await tx.all<{ status: Status; n: bigint }>(
        `SELECT s.name AS status, count(*) AS n FROM indicator_values_data d
         JOIN indicator_codes s ON s.kind = 'status' AND s.code = d.status GROUP BY s.name`,
      );
      const periods = await tx.all<{ type: string; n: bigint }>(
        `SELECT p.type, count(*) AS n FROM ind_periods p
         WHERE p.pkey IN (SELECT DISTINCT pkey FROM indicator_values_data) GROUP BY p.type ORDER BY p.type`,
      );
      const combos = await tx.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM ind_wanted_levels l JOIN ind_wanted_periods p USING (ind)`,
      );
      const byStatus = Object.fromEntries(STATUSES.map((st) => [st, 0])) as Record<Status, number>;
      for (const c of counts) byStatus[c.status] = Number(c.n);
      steps.store = Math.round(performance.now() - tStore);
      // The duration recorded runs up to the commit of the results (the commit itself is not in it).
      const durationMs = performance.now() - t0;
      const summary = {
        trigger: options.trigger ?? "manual",
        indicators: defs.length,
        combinations: Number(combos?.n ?? 0),
        periods: Object.fromEntries(periods.map((p) => [p.type, Number(p.n)])),
        rows: Object.values(byStatus).reduce((x, y) => x + y, 0),
        byStatus,
        suppressed,
        threshold,
        durationMs,
        steps,
        ranges,
        scope,
      };
      const run = await tx.one<{ id: bigint }>(
        `INSERT INTO indicator_runs (trigger, started_at, duration_ms, state, summary)
         VALUES (?, ?::TIMESTAMPTZ, ?, ?, ?::JSON) RETURNING run_id AS id`,
        [summary.trigger, started.toISOString(), durationMs, state, JSON.stringify(summary)],
      );
      const tRelease = performance.now();
      const release = await makeRelease(tx, {
        runId: Number(run?.id),
        catalogue,
        threshold,
        lastLoadId: (JSON.parse(state) as { lastLoadId: number | null }).lastLoadId,
      });
      steps.release = Math.round(performance.now() - tRelease);
      return { runId: Number(run?.id), release, ...summary };
    });
    return result;
  });
}

/** Why a release was refused: how many numbers it gave away, and the first of them. */
interface Refusal {
  findings: number;
  first: AuditFinding[];
}

/** Thrown when a recompute's release fails the disclosure audit: nothing was published. */
export class ReleaseRejectedError extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly protection?: ProtectionSummary,
  ) {
    super(
      `The disclosure audit found ${refusal.findings} hidden numbers an outsider could work out or narrow; ` +
        "the release was not published and the previous one is still served",
    );
    this.name = "ReleaseRejectedError";
  }
}

async function recordRejection(db: Database, trigger: string, state: string, refusal: Refusal) {
  await db.run(`INSERT INTO release_rejections VALUES (?::TIMESTAMPTZ, ?, ?, ?::JSON)`, [
    new Date().toISOString(),
    trigger,
    state,
    JSON.stringify({ ...refusal, first: refusal.first.slice(0, 20) }),
  ]);
}

/** The atoms of a model, as text: two models number their cells alike when these are equal. */
function atomSignature(model: AtomModel): string {
  return JSON.stringify(model.atoms.map((a) => [a.dataset, a.component, a.index, a.pieces]));
}

/**
 * The atoms the served release's cells were written with; null for a release stored before they were
 * kept, whose numbering is not known (and differs when the catalogue has changed since).
 */
async function servedAtomModel(db: Database): Promise<string | null> {
  const row = await db.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'release_atom_model'`);
  return row?.value ?? null;
}

/** Every value of the computed release, in the shape protect/step.ts reads (rid = rowid × 2 + table). */
const RELEASE_VALUES_SQL = (() => {
  const prev = (t: string) => `LEFT JOIN ind_prev p ON p.ind = ${t}.ind AND p.cell = ${t}.cell
    AND p.area_id = ${t}.area_id AND p.pkey = ${t}.pkey
    AND p.numerator IS NOT DISTINCT FROM ${t}.numerator AND p.denominator IS NOT DISTINCT FROM ${t}.denominator`;
  return `SELECT f.rowid * 2 AS rid, f.ind, f.cell, f.area_id, ${KUNTA_LEVEL} AS level, f.ptype, f.last_qi,
      f.numerator, f.denominator, f.reported, f.status,
      (f.ind IN (SELECT ind FROM ind_wanted_levels WHERE level = ${KUNTA_LEVEL}))::INTEGER AS published,
      (p.ind IS NOT NULL)::INTEGER AS forced, 0 AS parts
    FROM ind_frame f ${prev("f")}
    UNION ALL
    SELECT v.rowid * 2 + 1, v.ind, v.cell, v.area_id, la.level, v.ptype, v.last_qi, v.numerator, v.denominator,
      v.reported, v.status, 1, (p.ind IS NOT NULL)::INTEGER, 0
    FROM ind_vals v JOIN (SELECT DISTINCT area_id, level FROM ind_level_areas) la ON la.area_id = v.area_id
    ${prev("v")}`;
})();

/**
 * Every value of the release being served, as stored, in the shape protect/step.ts reads and keyed as
 * this run's definitions, cells and areas (values of definitions since changed are left out).
 */
const servedValuesSql = (
  table = "indicator_values_data",
) => `SELECT (row_number() OVER ())::INTEGER AS rid, m.ind, c.cell, la.area_id, la.level,
    d.pkey // ${PKEY_BASE} AS ptype, d.pkey % ${PKEY_BASE} AS last_qi, d.numerator, d.denominator, d.reported,
    d.status, 1 AS published, 0 AS forced,
    coalesce(d.shown_parts, CASE WHEN d.status = ${STATUSES.indexOf("suppressed")} THEN 0 ELSE 3 END) AS parts
  FROM ${table} d JOIN indicator_catalog oc ON oc.ind = d.ind
  JOIN ind_meta m ON m.indicator_id = oc.indicator_id AND m.version = oc.definition_version
  JOIN indicator_cells ocl ON ocl.ind = d.ind AND ocl.cell = d.cell
  JOIN ind_cells c ON c.ind = m.ind AND c.code = ocl.category
  JOIN indicator_areas oa ON oa.area_id = d.area_id
  JOIN (SELECT DISTINCT area_id, level, level_name, area FROM ind_level_areas) la
    ON la.level_name = oa.level AND la.area = oa.area`;

/** What the protection step needs to know of the catalogue, the engine's codes and the settings. */
function stepTables(
  catalogue: Catalogue,
  config: Config,
  model: ReturnType<typeof atomModel>,
  values: string,
  cells: string,
): StepTables {
  const defs = catalogue.entries.map((e) => e.definition);
  return {
    values,
    cells: `SELECT atom, kid, qi, value, ok FROM ${cells}`,
    areas: "ind_level_areas",
    model,
    overs: defs.map((d) => [
      d.numerator.over,
      d.denominator && "sum" in d.denominator ? d.denominator.over : "none",
    ]),
    cellsPerIndicator: defs.map((d) => cellsOf(d).length),
    addsParts: defs.map(addsReportedQuarters),
    kuntaLevel: KUNTA_LEVEL,
    topLevel: WHOLE_LEVEL,
    quarterType: PTYPE.quarter,
    yearType: PTYPE.year,
    rollingType: PTYPE.rolling4q,
    threshold: config.suppressionThreshold,
    minRange: config.protectionRange,
    suppressedCode: STATUSES.indexOf("suppressed"),
    shownCodes: (["value", "zero", "not_computable"] as const).map((st) => STATUSES.indexOf(st)),
  };
}

/** The inner cells (atoms, protect/atoms.ts) per current municipality and quarter, as ind_atom_grid. */
async function buildAtomGrid(db: Database, model: ReturnType<typeof atomModel>, scoped: boolean) {
  await tempTable(
    db,
    "ind_atom_meta",
    "ind SMALLINT, dataset VARCHAR",
    model.atoms.map((a, i) => [i, a.dataset]),
  );
  await tempTable(
    db,
    "ind_atom_cells",
    "ind SMALLINT, cell SMALLINT",
    model.atoms.map((_, i) => [i, 0]),
  );
  if (model.atoms.length === 0) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ind_atom_grid (atom SMALLINT, kid SMALLINT, qi INTEGER, value DOUBLE, ok BOOLEAN)`,
    );
    return;
  }
  const params = new Params();
  const union = atomSql(model, params).join("\nUNION ALL\n");
  await buildGrid(db, union, params, {
    cells: "ind_atom_cells",
    meta: "ind_atom_meta",
    out: "ind_atom_grid_raw",
    scoped,
  });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_atom_grid AS
     SELECT ind AS atom, kid, qi, num AS value, num_ok AS ok FROM ind_atom_grid_raw`,
  );
}

/**
 * The values the previous release showed (value, zero, 0/0), keyed as this run's: a figure shown
 * before stays shown when its numbers did not change (protect.ts `forced`).
 */
async function buildPrevious(db: Database) {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_prev AS
     SELECT m.ind, c.cell, la.area_id, d.pkey, d.numerator, d.denominator
     FROM indicator_values_data d
     JOIN indicator_catalog oc ON oc.ind = d.ind
     JOIN ind_meta m ON m.indicator_id = oc.indicator_id AND m.version = oc.definition_version
     JOIN indicator_cells ocl ON ocl.ind = d.ind AND ocl.cell = d.cell
     JOIN ind_cells c ON c.ind = m.ind AND c.code = ocl.category
     JOIN indicator_areas oa ON oa.area_id = d.area_id
     JOIN (SELECT DISTINCT area_id, level_name, area FROM ind_level_areas) la
       ON la.level_name = oa.level AND la.area = oa.area
     JOIN indicator_codes s ON s.kind = 'status' AND s.code = d.status
     WHERE s.name IN ('value', 'zero', 'not_computable')`,
  );
}

/**
 * The rows with a hidden number as ind_hidden (tbl, rid, reason, parts) for storeResults: the reason
 * is `secondary` for rows hidden to protect others (NULL keeps the primary reason), parts the numbers
 * the row still shows (bit 0 numerator, bit 1 denominator).
 */
async function writeHidden(
  db: Database,
  protection: { hide: Int32Array; parts: Int8Array; secondary: Uint8Array },
) {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_hidden (tbl TINYINT, rid BIGINT, reason TINYINT, parts TINYINT)`,
  );
  const appender = await db.connection.createAppender("ind_hidden", "main", "temp");
  const reason = REASON_CODES.indexOf("secondary");
  protection.hide.forEach((id, i) => {
    appender.appendTinyInt(id % 2);
    appender.appendBigInt(BigInt(Math.floor(id / 2)));
    if (protection.secondary[i]) appender.appendTinyInt(reason);
    else appender.appendNull();
    appender.appendTinyInt(protection.parts[i] ?? 0);
    appender.endRow();
  });
  appender.closeSync();
}

/** Keeps the release's inner cells and certificates for `seuranta audit` (inside the store transaction). */
async function storeRelease(db: Database, certificates: Certificate[], model: AtomModel) {
  await db.run(`INSERT INTO release_cells SELECT atom, kid, qi, value, ok FROM ind_atom_grid`);
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('release_atom_model', ?)`, [atomSignature(model)]);
  const appender = await db.connection.createAppender("release_certificates");
  certificates.forEach((c, id) => {
    for (let i = 0; i < c.sign.length; i++) {
      appender.appendInteger(id);
      appender.appendSmallInt(c.component);
      appender.appendSmallInt(c.kunta[i] ?? 0);
      appender.appendInteger(c.qi[i] ?? 0);
      appender.appendSmallInt(c.atom[i] ?? 0);
      appender.appendTinyInt(c.sign[i] ?? 0);
      appender.endRow();
    }
  });
  appender.closeSync();
}

/**
 * The disclosure audit of the release being served (`seuranta audit`): the stored values, inner cells
 * and certificates, checked as protect/audit.ts does before publishing. `earlier` names tables holding
 * an earlier release's values (as indicator_values_data), inner cells (as release_cells) and
 * certificates (as release_certificates): the attacker then knows both releases (protect/earlier.ts).
 */
export async function auditLatestRelease(
  db: Database,
  config: Config,
  options: {
    catalogue?: Catalogue;
    firstFinding?: boolean;
    earlier?: { values: string; cells: string; certificates: string };
  } = {},
): Promise<AuditReport> {
  const cat = options.catalogue ?? (await loadCatalogue());
  await ensureResultsTables(db);
  try {
    await buildDefinitionTables(db, cat);
    await buildLevelAreas(db);
    const model = atomModel(cat.entries.map((e) => e.definition));
    const values = servedValuesSql();
    const certificates = await readCertificates(db, "release_certificates");
    const earlier = options.earlier
      ? {
          tables: stepTables(
            cat,
            config,
            model,
            servedValuesSql(options.earlier.values),
            options.earlier.cells,
          ),
          certificates: options.earlier.certificates,
        }
      : undefined;
    return await auditStored(db, stepTables(cat, config, model, values, "release_cells"), certificates, {
      firstFinding: options.firstFinding,
      ...(earlier ? { earlier } : {}),
    });
  } finally {
    await dropTempTables(db);
  }
}

async function dropTempTables(db: Database) {
  for (const t of TEMP_TABLES) await db.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
}

/** Inserts rows into a new temp table through bound parameters. */
async function tempTable(db: Database, name: string, columns: string, rows: unknown[][]): Promise<void> {
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
async function buildDefinitionTables(db: Database, catalogue: Catalogue) {
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
async function buildLevelAreas(db: Database) {
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
async function buildPeriodTables(db: Database, defs: IndicatorDefinition[], lastEndedQi: number) {
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
async function buildQuarterValues(db: Database, defs: IndicatorDefinition[], scoped: boolean) {
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
async function buildMunicipalPeriods(db: Database, lastEndedQi: number, threshold: number) {
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
 * not, and its primary suppression status (suppress.ts). (The value itself is worked out by the view.)
 */
async function buildAreaValues(db: Database, threshold: number, scoped: boolean) {
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

/**
 * Replaces the stored results with the computed ones, secondary suppression applied, and rewrites the
 * dictionaries the view names them by. Runs inside the caller's transaction.
 */
async function storeResults(db: Database) {
  await db.run(`DELETE FROM indicator_values_data`);
  for (const table of RESULTS_TABLES.slice(1, -1)) await db.run(`DELETE FROM ${table}`);
  await db.run(
    `INSERT INTO indicator_catalog SELECT ind, indicator_id, version, scale, den_kind FROM ind_meta`,
  );
  await db.run(`INSERT INTO indicator_cells SELECT ind, cell, code FROM ind_cells`);
  await db.run(`INSERT INTO indicator_areas SELECT DISTINCT area_id, level_name, area FROM ind_level_areas`);
  await db.run(
    `INSERT INTO indicator_periods SELECT pkey, type, label, first_quarter, last_quarter FROM ind_periods`,
  );
  await tempTable(db, "ind_codes", "kind VARCHAR, code TINYINT, name VARCHAR", [
    ...STATUSES.map((s, i) => ["status", i, s]),
    ...REASON_CODES.map((r, i) => ["reason", i, r]),
  ]);
  await db.run(`INSERT INTO indicator_codes SELECT * FROM ind_codes`);
  await db.run(`DROP TABLE ind_codes`);
  // municipalities (ind_frame, suppression table 0) and areas (ind_vals, table 1)
  const suppressed = STATUSES.indexOf("suppressed");
  await db.run(
    `INSERT INTO indicator_values_data
     SELECT v.ind, v.cell, v.area_id, v.pkey, v.numerator, v.denominator, v.population_year,
       v.reported, v.members, NULL,
       CASE WHEN h.rid IS NULL THEN v.status ELSE ${suppressed} END, coalesce(h.reason, v.reason), h.parts
     FROM ind_frame v LEFT JOIN ind_hidden h ON h.tbl = 0 AND h.rid = v.rowid
     WHERE v.ind IN (SELECT ind FROM ind_wanted_levels WHERE level = ${KUNTA_LEVEL})
     UNION ALL
     SELECT v.ind, v.cell, v.area_id, v.pkey, v.numerator, v.denominator, v.population_year,
       v.reported, v.members, v.missing_kunnat,
       CASE WHEN h.rid IS NULL THEN v.status ELSE ${suppressed} END, coalesce(h.reason, v.reason), h.parts
     FROM ind_vals v LEFT JOIN ind_hidden h ON h.tbl = 1 AND h.rid = v.rowid`,
  );
  // the values before protection, for the next incremental run (incremental.ts)
  await db.run(`INSERT INTO ${WORK_FRAME} BY NAME SELECT * FROM ind_frame`);
  await db.run(`INSERT INTO ${WORK_AREAS} BY NAME SELECT * FROM ind_vals`);
}
