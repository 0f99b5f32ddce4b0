import type { Database } from "../../core/db.ts";
import { datasetByName } from "../../pipelines/datasets/index.ts";
import { ipsChangesSince, storeReleaseIps } from "../ips/reviews.ts";
import { type Catalogue, definitionsVersion } from "../registry.ts";
import { keepDefinitions } from "./definitions.ts";
import { FIGURE_COLUMNS, FIGURE_DATA, FIGURE_KEY, PUBLISHED_FIGURES_SQL } from "./figures.ts";

/** A municipality-quarter of a dataset that a release's loads brought: new, or sent again (revised). */
export interface DataChange {
  dataset: string;
  kunta: string;
  quarter: string;
  kind: "new" | "revised";
}

const key = FIGURE_KEY.join(", ");
const data = (alias: string) => `(${FIGURE_DATA.map((c) => `${alias}.${c}`).join(", ")})`;

/**
 * Makes a new release when the stored results (just written, inside the recompute's transaction) publish
 * anything different from the latest release: the previous release keeps, in release_history, the
 * figures that differ (or present = false for figures it did not have), and release_latest becomes the
 * new figures, and the catalogue's definitions are kept with it (release_definitions). The IPS reviews as
 * published are part of a release too (ips/reviews.ts): kept whole by the release that changed them.
 * Returns the new release's number and how many figures (and reviews) changed, or null when nothing
 * published changed (no release is made).
 */
export async function makeRelease(
  tx: Database,
  info: {
    runId: number | null;
    catalogue: Catalogue;
    threshold: number;
    /** The latest load the run's figures contain (later loads are the next release's). */
    lastLoadId: number | null;
  },
): Promise<{ id: number; changed: number } | null> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE rel_new AS ${PUBLISHED_FIGURES_SQL}`);
  try {
    const previous = await tx.one<{ id: number; latest_load_id: bigint | null }>(
      `SELECT release_id AS id, latest_load_id FROM releases ORDER BY release_id DESC LIMIT 1`,
    );
    let changed: number;
    if (previous) {
      // of the previous release: the figures that differ now or are gone, and the keys it did not have
      await tx.run(
        `INSERT INTO release_history (release_id, present, ${FIGURE_COLUMNS.join(", ")})
         SELECT ${previous.id}, TRUE, ${FIGURE_COLUMNS.map((c) => `o.${c}`).join(", ")}
         FROM release_latest o LEFT JOIN rel_new n USING (${key})
         WHERE n.indicator_id IS NULL OR ${data("o")} IS DISTINCT FROM ${data("n")}
         UNION ALL
         SELECT ${previous.id}, FALSE, ${FIGURE_COLUMNS.map((c) => ((FIGURE_KEY as readonly string[]).includes(c) ? `n.${c}` : c === "definition_version" ? "n.definition_version" : "NULL")).join(", ")}
         FROM rel_new n ANTI JOIN release_latest o USING (${key})`,
      );
      const n = await tx.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM release_history WHERE release_id = ?`,
        [previous.id],
      );
      changed = Number(n?.n ?? 0);
    } else {
      changed = Number((await tx.one<{ n: bigint }>(`SELECT count(*) AS n FROM rel_new`))?.n ?? 0);
    }
    const id = (previous?.id ?? 0) + 1;
    const ipsChanged = await ipsChangesSince(tx, id, info.threshold);
    changed += ipsChanged;
    if (previous && changed === 0) return null;
    if (ipsChanged > 0) await storeReleaseIps(tx, id, info.threshold);
    const sinceLoad =
      previous?.latest_load_id === null || previous === undefined ? 0 : Number(previous.latest_load_id);
    // loads committed while the run was protecting its figures are not in them
    const upTo = `AND load_id <= ${Number(info.lastLoadId ?? 0)}`;
    const loads = await tx.all<{ load_id: bigint; dataset: string | null; keys_replaced: string }>(
      `SELECT load_id, dataset, keys_replaced::VARCHAR AS keys_replaced FROM loads
       WHERE status = 'loaded' AND load_id > ? ${upTo} ORDER BY load_id`,
      [sinceLoad],
    );
    const dataChanges = previous ? await dataChangesOf(tx, loads) : [];
    const last = await tx.one<{ at: string | null; id: bigint | null }>(
      `SELECT max(received_at)::VARCHAR AS at, max(load_id) AS id FROM loads WHERE status = 'loaded' ${upTo}`,
    );
    await tx.run(`DELETE FROM release_latest`);
    await tx.run(
      `INSERT INTO release_latest (${FIGURE_COLUMNS.join(", ")}) SELECT ${FIGURE_COLUMNS.join(", ")} FROM rel_new`,
    );
    const figures = await tx.one<{ n: bigint }>(`SELECT count(*) AS n FROM rel_new`);
    await tx.run(
      `INSERT INTO releases (release_id, created_at, data_as_of, definitions_version, suppression_threshold,
         latest_load_id, loads, data_changes, run_id, figures, changed)
       VALUES (?, now(), ?::TIMESTAMPTZ, ?, ?, ?, ?::JSON, ?::JSON, ?, ?, ?)`,
      [
        id,
        last?.at ?? null,
        definitionsVersion(info.catalogue),
        info.threshold,
        last?.id ?? null,
        JSON.stringify(loads.map((l) => Number(l.load_id))),
        JSON.stringify(dataChanges),
        info.runId,
        Number(figures?.n ?? 0),
        changed,
      ],
    );
    await keepDefinitions(tx, info.catalogue);
    return { id, changed };
  } finally {
    await tx.run(`DROP TABLE IF EXISTS rel_new`);
  }
}

/**
 * The municipality-quarters the loads since the previous release brought: `revised` when a load
 * replaced data sent before, else `new`. Who sent it is said by the municipality (never a person's
 * name or a file name: those are for the senders and admins only).
 */
async function dataChangesOf(
  tx: Database,
  loads: { load_id: bigint; dataset: string | null; keys_replaced: string }[],
): Promise<DataChange[]> {
  const out = new Map<string, DataChange>();
  for (const load of loads) {
    const dataset = load.dataset ? datasetByName(load.dataset) : undefined;
    if (!dataset) continue;
    const replaced = new Set(
      // a dataset keyed otherwise (ips: unit and date) names no municipality-quarter it replaced
      (JSON.parse(load.keys_replaced) as Record<string, string>[])
        .filter((k) => k.kunta !== undefined && k.vuosineljannes !== undefined)
        .map((k) => `${k.kunta}|${k.vuosineljannes}`),
    );
    // every dataset table has the quarter as vuosi and neljannes (ips: its review date's)
    const keys = await tx.all<{ kunta: string; quarter: string }>(
      `SELECT DISTINCT kunta, vuosi || 'Q' || neljannes AS quarter FROM ${dataset.name} WHERE load_id = ? ORDER BY 1, 2`,
      [load.load_id],
    );
    const all = new Set([...keys.map((k) => `${k.kunta}|${k.quarter}`), ...replaced]);
    for (const k of all) {
      const [kunta = "", quarter = ""] = k.split("|");
      const id = `${dataset.name}|${k}`;
      const kind = replaced.has(k) || out.get(id)?.kind === "revised" ? "revised" : "new";
      out.set(id, { dataset: dataset.name, kunta, quarter, kind });
    }
  }
  return [...out.values()].sort(
    (a, b) =>
      a.dataset.localeCompare(b.dataset) ||
      a.quarter.localeCompare(b.quarter) ||
      a.kunta.localeCompare(b.kunta),
  );
}
