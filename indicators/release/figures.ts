import type { Queryable } from "../../core/db.ts";

/**
 * A release's figures as published: the columns of the indicator_values view, with what protection
 * hides not there at all (a hidden value has no value, and only the numbers protection left shown) and
 * every hidden value's reason `confidential` (why it is hidden is never kept with a release). Numbers are
 * kept unrounded: readValues passes them through publish() as it does the latest figures.
 */

/** What identifies a figure from one release to the next. */
export const FIGURE_KEY = ["indicator_id", "category", "level", "area", "period_type", "period"] as const;
/** The rest of a figure: any difference in these is a changed figure. */
export const FIGURE_DATA = [
  "definition_version",
  "first_quarter",
  "last_quarter",
  "numerator",
  "denominator",
  "value",
  "population_year",
  "reported",
  "members",
  "missing_kunnat",
  "status",
  "reason",
  "shown_parts",
] as const;
export const FIGURE_COLUMNS = [...FIGURE_KEY, ...FIGURE_DATA];

/** The stored results (the indicator_values view) in the published form of a release's figures. */
export const PUBLISHED_FIGURES_SQL = `SELECT indicator_id, category, level, area, period_type, period,
    definition_version, first_quarter, last_quarter,
    CASE WHEN status <> 'suppressed' OR shown_parts & 1 = 1 THEN numerator END AS numerator,
    CASE WHEN status <> 'suppressed' OR shown_parts & 2 = 2 THEN denominator END AS denominator,
    CASE WHEN status <> 'suppressed' THEN value END AS value,
    population_year, reported, members, missing_kunnat, status,
    CASE WHEN status = 'suppressed' THEN 'confidential' ELSE reason END AS reason,
    CASE WHEN status = 'suppressed' THEN shown_parts ELSE 3 END AS shown_parts
  FROM indicator_values`;

const cols = (alias: string, names: readonly string[]) => names.map((c) => `${alias}.${c}`).join(", ");

/**
 * SQL of the figures of release `id` (FIGURE_COLUMNS), given the latest release's number: the latest
 * release whole, an older one as the latest with, for each figure, its state in the first release
 * from `id` on that changed it (release_history) put back.
 */
export function releaseFiguresSql(id: number, latestId: number): string {
  const all = FIGURE_COLUMNS.join(", ");
  if (id >= latestId) return `SELECT ${all} FROM release_latest`;
  const key = FIGURE_KEY.join(", ");
  return `(WITH back AS (
      SELECT * FROM release_history WHERE release_id >= ${Math.trunc(id)}
      QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY release_id) = 1
    )
    SELECT ${cols("l", FIGURE_COLUMNS)} FROM release_latest l ANTI JOIN back b USING (${key})
    UNION ALL
    SELECT ${all} FROM back WHERE present)`;
}

/** One release as listed (GET /api/v1/releases). */
export interface Release {
  id: number;
  createdAt: string;
  dataAsOf: string | null;
  definitionsVersion: string;
  /** The suppression threshold the release was protected with. */
  threshold: number;
  latestLoadId: number | null;
  loadIds: number[];
  figures: number;
  changed: number;
}

const iso = (column: string) => `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

/** Every release, newest first (none before the first recompute of a database). */
export async function listReleases(db: Queryable): Promise<Release[]> {
  const rows = await db.all<{
    release_id: number;
    created_at: string;
    data_as_of: string | null;
    definitions_version: string;
    suppression_threshold: number;
    latest_load_id: bigint | null;
    loads: string;
    figures: number;
    changed: number;
  }>(
    `SELECT release_id, ${iso("created_at")} AS created_at, ${iso("data_as_of")} AS data_as_of,
       definitions_version, suppression_threshold, latest_load_id, loads::VARCHAR AS loads, figures, changed
     FROM releases ORDER BY release_id DESC`,
  );
  return rows.map((r) => ({
    id: r.release_id,
    createdAt: r.created_at,
    dataAsOf: r.data_as_of,
    definitionsVersion: r.definitions_version,
    threshold: r.suppression_threshold,
    latestLoadId: r.latest_load_id === null ? null : Number(r.latest_load_id),
    loadIds: JSON.parse(r.loads) as number[],
    figures: r.figures,
    changed: r.changed,
  }));
}

/** The latest release's number, or null before the first. */
export async function latestReleaseId(db: Queryable): Promise<number | null> {
  const row = await db.one<{ id: number | null }>(`SELECT max(release_id) AS id FROM releases`);
  return row?.id ?? null;
}

/**
 * The figures of the release now being served, exactly as published (the previous release, seen from
 * a recompute that is making the next one): what a figure once published must stay (issue 2.1, rule 3).
 * Columns FIGURE_COLUMNS; empty before the first release. For use inside the engine's transaction too.
 */
export function previousReleaseFigures(db: Queryable): Promise<Record<string, unknown>[]> {
  return db.all(`SELECT ${FIGURE_COLUMNS.join(", ")} FROM release_latest`);
}

/** Release `id` with what a pinned read needs (readValues' `release`), or null for an unknown one. */
export async function findRelease(
  db: Queryable,
  id: number,
): Promise<{ pin: { id: number; latest: number }; release: Release } | null> {
  const releases = await listReleases(db);
  const release = releases.find((r) => r.id === id);
  return release ? { pin: { id, latest: releases[0]?.id ?? id }, release } : null;
}
