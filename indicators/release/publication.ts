import { z } from "zod";
import type { Queryable } from "../../core/db.ts";

/**
 * Where a load's figures are: `preparing` (loaded, the recompute, protection and audit not yet done),
 * `published` in release `release`, `unchanged` (done, but no published figure changed: the release
 * being served already shows them), or `rejected` (the audit rejected the release that held them and
 * release `release` keeps being served).
 */
export const publicationSchema = z.object({
  status: z.enum(["preparing", "published", "unchanged", "rejected"]),
  release: z.number().int().nullable(),
});
export type Publication = z.infer<typeof publicationSchema>;

/** The last load a recompute's state covered (compute.ts currentState: `lastLoadId`). */
const COVERED = `coalesce(TRY_CAST(json_extract_string(state, '$.lastLoadId') AS BIGINT), 0)`;

async function latestRelease(db: Queryable): Promise<number | null> {
  const row = await db.one<{ id: number | null }>(`SELECT max(release_id) AS id FROM releases`);
  return row?.id ?? null;
}

/** Whether the results tables exist: a database nothing was computed in yet has none. */
async function computedOnce(db: Queryable): Promise<boolean> {
  const row = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM information_schema.tables
     WHERE table_name IN ('indicator_runs', 'release_rejections')`,
  );
  return Number(row?.n ?? 0) === 2;
}

/** Where the figures of load `loadId` are (see Publication); read from the database, never from memory. */
export async function publicationOf(db: Queryable, loadId: number): Promise<Publication> {
  if (!(await computedOnce(db))) return { status: "preparing", release: null };
  const run = await db.one<{ run_id: bigint }>(
    `SELECT run_id FROM indicator_runs WHERE ${COVERED} >= ? ORDER BY run_id LIMIT 1`,
    [loadId],
  );
  if (run) {
    const made = await db.one<{ id: number }>(`SELECT release_id AS id FROM releases WHERE run_id = ?`, [
      run.run_id,
    ]);
    return made
      ? { status: "published", release: made.id }
      : { status: "unchanged", release: await latestRelease(db) };
  }
  const rejected = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM release_rejections WHERE ${COVERED} >= ?`,
    [loadId],
  );
  const status = Number(rejected?.n ?? 0) > 0 ? "rejected" : "preparing";
  return { status, release: await latestRelease(db) };
}

/** The state of the service's figures for the status page: the latest load's publication and since when. */
export interface PublicationState extends Publication {
  /** When the oldest load not yet in the figures was received, `YYYY-MM-DD HH:MM` UTC (only while preparing). */
  since: string | null;
}

/** Whether the latest loaded data is in the figures being served, for the status page. */
export async function publicationState(db: Queryable): Promise<PublicationState | null> {
  const latest = await db.one<{ id: bigint | null }>(
    `SELECT max(load_id) AS id FROM loads WHERE status = 'loaded'`,
  );
  if (latest?.id === null || latest?.id === undefined) return null;
  const publication = await publicationOf(db, Number(latest.id));
  if (publication.status !== "preparing") return { ...publication, since: null };
  const covered = (await computedOnce(db))
    ? `(SELECT coalesce(max(${COVERED}), 0) FROM indicator_runs)`
    : "0";
  const since = await db.one<{ at: string }>(
    `SELECT strftime(min(received_at) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') AS at FROM loads WHERE status = 'loaded' AND load_id > ${covered}`,
  );
  return { ...publication, since: since?.at ?? null };
}
