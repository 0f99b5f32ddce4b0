import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { type Catalogue, definitionsVersion } from "../../indicators/registry.ts";
import { latestReleaseId, type Release } from "../../indicators/release/figures.ts";
import type { ApiMeta } from "./schemas.ts";

/** The sources every API answer names (the reference data's licence asks for it). */
export const ATTRIBUTION =
  "Lähde: Tilastokeskus (kuntaluokitus, väestö); THL, Sotkanet (väestö 2000–2022), CC BY 4.0. Aineistot: kuntien ilmoittamat neljännesvuositiedot.";

const iso = (column: string) => `strftime(${column} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

/** When the last file was loaded (ISO 8601, UTC), or null when nothing has been loaded. */
export async function dataAsOf(db: Queryable): Promise<string | null> {
  const load = await db.one<{ at: string | null }>(
    `SELECT ${iso("max(received_at)")} AS at FROM loads WHERE status = 'loaded'`,
  );
  return load?.at ?? null;
}

/** The metadata every API answer carries: definitions' version, data as of, suppression. */
export async function apiMeta(
  db: Queryable,
  config: Config,
  catalogue: Catalogue,
  options: { unsuppressed?: boolean; release?: Release } = {},
): Promise<ApiMeta> {
  const pinned = options.release;
  if (pinned)
    // a pinned answer says what the release was, nothing that changes after it
    return {
      definitions_version: pinned.definitionsVersion,
      data_as_of: pinned.dataAsOf,
      latest_load_id: pinned.latestLoadId,
      computed_at: pinned.createdAt,
      suppression: { applied: true, threshold: pinned.threshold },
      attribution: ATTRIBUTION,
      release: pinned.id,
    };
  const load = await db.one<{ at: string | null; id: bigint | null }>(
    `SELECT ${iso("max(received_at)")} AS at, max(load_id) AS id FROM loads WHERE status = 'loaded'`,
  );
  let computed: string | null = null;
  try {
    computed =
      (await db.one<{ at: string | null }>(`SELECT ${iso("max(started_at)")} AS at FROM indicator_runs`))
        ?.at ?? null;
  } catch {
    // indicator_runs exists only after the first recompute
    computed = null;
  }
  return {
    definitions_version: definitionsVersion(catalogue),
    data_as_of: load?.at ?? null,
    latest_load_id: load?.id === null || load?.id === undefined ? null : Number(load.id),
    computed_at: computed,
    suppression: { applied: !options.unsuppressed, threshold: config.suppressionThreshold },
    attribution: ATTRIBUTION,
    release: await latestReleaseId(db).catch(() => null),
  };
}
