import { type Config, todayOf } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { lastEndedQuarter, quarterIndex } from "../core/quarter.ts";
import {
  addStoredRows,
  type Ranges,
  type Scope,
  TOUCHED_AREA_PERIOD,
  TOUCHED_MUNICIPALITY,
  touchedScope,
  WORK_AREAS,
  WORK_FRAME,
} from "./incremental.ts";
import { atomModel } from "./protect/atoms.ts";
import { type Refusal, refusalOf } from "./protect/refusal.ts";
import { type ProtectionSummary, protectRead, readForProtection } from "./protect/step.ts";
import {
  atomSignature,
  buildAtomGrid,
  buildPrevious,
  RELEASE_VALUES_SQL,
  servedAtomModel,
  servedValuesSql,
  stepTables,
  storeRelease,
  writeHidden,
} from "./protection-tables.ts";
import { type Catalogue, loadCatalogue } from "./registry.ts";
import { keepDefinitions } from "./release/definitions.ts";
import { makeRelease } from "./release/make.ts";
import { ensureResultsTables, storeResults } from "./results.ts";
import { STATUSES, type Status } from "./suppress/status.ts";
import {
  buildAreaValues,
  buildDefinitionTables,
  buildLevelAreas,
  buildMunicipalPeriods,
  buildPeriodTables,
  buildQuarterValues,
  dropTempTables,
  KUNTA_LEVEL,
  PKEY_BASE,
} from "./value-tables.ts";

/**
 * Computes every indicator of the catalogue for every level, area, period and cell into
 * `indicator_values`, replacing what was there in one transaction. The work is a few set-based
 * statements over all indicators at once (DuckDB does the grouping); see the steps in computeAll.
 */

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
  const protection = await step("protection", () => protectRead(first.read, config.protectionThreads));
  return db.exclusive(async () => {
    const suppressed = protection.summary;
    // its own audit and the audit together with the release being served decide (refusal.ts)
    const refused = refusalOf(suppressed);
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
