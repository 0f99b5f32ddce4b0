import type { Database } from "../core/db.ts";
import { datasetByName } from "../pipelines/datasets/index.ts";

/**
 * The incremental recompute: after loads, only the figures whose inputs they touched are computed again
 * (the municipalities' own rows, and every area containing them for the periods containing the quarters),
 * the rest is taken from the previous run's stored work tables. Protection and audit still run over the
 * whole release (compute.ts). The result equals a full recompute (test/indicators/incremental.test.ts).
 */

/** The previous run's municipal rows and area sums before protection, kept for the next incremental run. */
export const WORK_FRAME = "indicator_work_frame";
export const WORK_AREAS = "indicator_work_areas";

/** The shapes of ind_frame and ind_vals (value-tables.ts), as stored. */
export const WORK_DDL = [
  `CREATE TABLE IF NOT EXISTS ${WORK_FRAME} (ind SMALLINT, cell SMALLINT, area_id SMALLINT, ptype INTEGER,
    last_qi BIGINT, pkey BIGINT, numerator DOUBLE, denominator DOUBLE, reported INTEGER, members INTEGER,
    population_year INTEGER, status INTEGER, reason INTEGER, part_num DOUBLE, part_den DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS ${WORK_AREAS} (ind SMALLINT, cell SMALLINT, area_id SMALLINT, ptype INTEGER,
    last_qi BIGINT, pkey BIGINT, numerator DOUBLE, denominator DOUBLE, reported INTEGER, members INTEGER,
    missing_kunnat VARCHAR[], population_year INTEGER, status INTEGER, reason INTEGER)`,
];

/** What an incremental run covers (kept in the run's summary). */
export interface Scope {
  /** Loads since the previous run. */
  loads: number;
  /** Municipalities whose rows were computed again. */
  municipalities: number;
  /** Areas (every level) and periods whose sums were computed again. */
  areas: number;
  periods: number;
}

/** The quarters each dataset spans, as the previous run stored them in its summary. */
export type Ranges = [string, number, number][];

/** The temp tables of a scope (dropped with the recompute's others). */
export const SCOPE_TABLES = [
  "ind_scope_keys",
  "ind_scope_kids",
  "ind_scope_kunnat",
  "ind_scope_areas",
  "ind_scope_pkeys",
];

/** Where a municipality's rows are replaced (ind_frame, ind_atom_grid: the column naming the municipality). */
export const TOUCHED_MUNICIPALITY = (column: string) => `${column} IN (SELECT kid FROM ind_scope_kids)`;
/** Where an area's sums are replaced (ind_vals). */
export const TOUCHED_AREA_PERIOD =
  "area_id IN (SELECT area_id FROM ind_scope_areas) AND pkey IN (SELECT pkey FROM ind_scope_pkeys)";

/** Everything of the state (compute.ts currentState) but the loads: when it changed, all is recomputed. */
function withoutLoads(state: string): string {
  const parsed = JSON.parse(state) as Record<string, unknown>;
  delete parsed.lastLoadId;
  return JSON.stringify(parsed);
}

/**
 * Finds what the loads since the previous run touched and writes it to the temp tables of SCOPE_TABLES,
 * or returns null when only a full recompute is right: no previous run or no stored work tables, or
 * anything but the loads changed since (definitions, threshold, reference data, the last ended quarter,
 * the quarters a dataset spans), or a load of a municipality the key does not know. Needs the
 * recompute's ind_level_areas and ind_periods; `kuntaLevel` and `pkeyBase` are compute.ts's codes.
 */
export async function touchedScope(
  db: Database,
  current: { state: string; ranges: Ranges },
  codes: { kuntaLevel: number; pkeyBase: number },
): Promise<Scope | null> {
  const previous = await db.one<{ state: string; summary: string }>(
    `SELECT state, summary::VARCHAR AS summary FROM indicator_runs ORDER BY run_id DESC LIMIT 1`,
  );
  if (!previous || withoutLoads(previous.state) !== withoutLoads(current.state)) return null;
  const previousRanges = (JSON.parse(previous.summary) as { ranges?: Ranges }).ranges;
  if (JSON.stringify(previousRanges) !== JSON.stringify(current.ranges)) return null;
  const stored = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${WORK_FRAME}`);
  if (Number(stored?.n ?? 0) === 0) return null;
  const since = (JSON.parse(previous.state) as { lastLoadId: number | null }).lastLoadId ?? 0;

  const loads = await db.all<{ load_id: bigint; dataset: string | null; keys_replaced: string }>(
    `SELECT load_id, dataset, keys_replaced::VARCHAR AS keys_replaced FROM loads
     WHERE status = 'loaded' AND load_id > ? ORDER BY load_id`,
    [since],
  );
  // the municipality-quarters each load wrote, and those it replaced (the same keys, as a rule)
  const keys: { kunta: string; quarter: string }[] = [];
  for (const load of loads) {
    const dataset = load.dataset ? datasetByName(load.dataset) : undefined;
    if (!dataset) return null;
    keys.push(
      // a dataset keyed otherwise (ips: unit and date) names no municipality-quarter it replaced
      ...(JSON.parse(load.keys_replaced) as { kunta?: string; vuosineljannes?: string }[]).flatMap((k) =>
        k.kunta !== undefined && k.vuosineljannes !== undefined
          ? [{ kunta: k.kunta, quarter: k.vuosineljannes }]
          : [],
      ),
    );
    keys.push(
      // every dataset table has the quarter as vuosi and neljannes (ips: its review date's)
      ...(await db.all<{ kunta: string; quarter: string }>(
        `SELECT DISTINCT kunta, vuosi || 'Q' || neljannes AS quarter FROM ${dataset.name} WHERE load_id = ?`,
        [load.load_id],
      )),
    );
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_scope_keys AS
     SELECT coalesce(l.uusi_kunta, k.kunta) AS kunta,
       left(k.quarter, 4)::INTEGER * 4 + right(k.quarter, 1)::INTEGER - 1 AS qi
     FROM (SELECT unnest(from_json(?::JSON, '[{"kunta":"VARCHAR","quarter":"VARCHAR"}]'), recursive := true)) k
     LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = k.kunta`,
    [JSON.stringify(keys)],
  );
  const unknown = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM ind_scope_keys s
     ANTI JOIN ind_level_areas la ON la.kunta = s.kunta AND la.level = ${codes.kuntaLevel}`,
  );
  if (Number(unknown?.n ?? 0) > 0) return null;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_scope_kids AS
     SELECT DISTINCT la.kid, la.kunta FROM ind_scope_keys s
     JOIN ind_level_areas la ON la.kunta = s.kunta AND la.level = ${codes.kuntaLevel}`,
  );
  // a merged municipality's old code sends rows that count for its successor
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_scope_kunnat AS
     SELECT kunta FROM ind_scope_kids
     UNION SELECT l.vanha_kunta FROM ref_kuntaliitos l JOIN ind_scope_kids k ON k.kunta = l.uusi_kunta`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_scope_areas AS
     SELECT DISTINCT la.area_id FROM ind_level_areas la JOIN ind_scope_kids k ON k.kunta = la.kunta`,
  );
  // every period that contains a touched quarter: a quarter is its own; years and four quarters span 4
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_scope_pkeys AS
     SELECT DISTINCT p.pkey FROM ind_periods p JOIN (SELECT DISTINCT qi FROM ind_scope_keys) s
       ON s.qi BETWEEN p.pkey % ${codes.pkeyBase} - CASE WHEN p.type = 'quarter' THEN 0 ELSE 3 END
       AND p.pkey % ${codes.pkeyBase}`,
  );
  const count = async (table: string) =>
    Number((await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0);
  return {
    loads: loads.length,
    municipalities: await count("ind_scope_kids"),
    areas: await count("ind_scope_areas"),
    periods: await count("ind_scope_pkeys"),
  };
}

/**
 * Completes a temp table computed for the scope only with the stored rows outside it: `table` holds
 * the recomputed rows, `stored` the previous run's, `replaced` says which stored rows they replace.
 */
export async function addStoredRows(
  db: Database,
  table: string,
  stored: string,
  replaced: string,
): Promise<void> {
  await db.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${stored} WHERE NOT (${replaced})`);
}
