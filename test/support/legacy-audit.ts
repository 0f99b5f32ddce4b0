import type { Config } from "../../core/config.ts";
import type { Database } from "../../core/db.ts";
import type { AuditReport } from "../../indicators/protect/audit.ts";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { STATUSES } from "../../indicators/suppress/status.ts";
import { secondarySuppression } from "./legacy-suppression.ts";

/**
 * Replays the release being served with the suppression rule used before issue 2.1 instead of the
 * protection (primary hiding as stored, then the old "one more cell" rule), stores that as the
 * release, and audits it: what an outsider could have worked out under the old rule.
 */
export async function auditUnderLegacyRule(db: Database, config: Config): Promise<AuditReport> {
  const catalogue = await loadCatalogue();
  const code = (s: (typeof STATUSES)[number]) => STATUSES.indexOf(s);
  const rows = await db.all<{
    rid: bigint;
    ind: number;
    cell: number;
    area_id: number;
    pkey: number;
    numerator: number | null;
    denominator: number | null;
    status: number;
    reason: string | null;
  }>(
    `SELECT d.rowid AS rid, d.ind::INTEGER AS ind, d.cell::INTEGER AS cell, d.area_id::INTEGER AS area_id, d.pkey,
       d.numerator, d.denominator, d.status::INTEGER AS status, r.name AS reason
     FROM indicator_values_data d LEFT JOIN indicator_codes r ON r.kind = 'reason' AND r.code = d.reason`,
  );
  const areas = await db.all<{ area_id: number; level: string; area: string }>(
    `SELECT area_id::INTEGER AS area_id, level, area FROM indicator_areas`,
  );
  const kunnat = await db.all<{ kunta: string; tyollisyysalue: string; hyvinvointialue: string }>(
    `SELECT kunta, tyollisyysalue::VARCHAR AS tyollisyysalue, hyvinvointialue::VARCHAR AS hyvinvointialue FROM ref_kunta`,
  );
  const idOf = new Map(areas.map((a) => [`${a.level}:${a.area}`, a.area_id]));
  const nArea = Math.max(...areas.map((a) => a.area_id)) + 1;
  const areaParents: number[][] = Array.from({ length: nArea }, () => []);
  const areaMembers: number[][] = Array.from({ length: nArea }, () => []);
  for (const k of kunnat) {
    const kid = idOf.get(`kunta:${k.kunta}`);
    if (kid === undefined) continue;
    for (const parent of [
      `tyollisyysalue:${k.tyollisyysalue}`,
      `hyvinvointialue:${k.hyvinvointialue}`,
      "koko_maa:SSS",
    ]) {
      const pid = idOf.get(parent);
      if (pid === undefined) continue;
      areaParents[kid]?.push(pid);
      areaMembers[pid]?.push(kid);
    }
  }
  // The primary status alone: hidden only where the primary rule hid it.
  const primary = rows.map((r) => {
    if (r.status !== code("suppressed")) return r.status;
    if (r.reason?.startsWith("small_")) return code("suppressed");
    return r.numerator === 0 ? code("zero") : code("value");
  });
  const defs = catalogue.entries.map((e) => e.definition);
  const status = Int32Array.from(primary);
  const { rows: hidden } = secondarySuppression({
    ind: Int32Array.from(rows, (r) => r.ind),
    cell: Int32Array.from(rows, (r) => r.cell),
    area: Int32Array.from(rows, (r) => r.area_id),
    ptype: Int32Array.from(rows, (r) => Math.floor(r.pkey / 100000)),
    lastQi: Int32Array.from(rows, (r) => r.pkey % 100000),
    status,
    numerator: Float64Array.from(rows, (r) => r.numerator ?? 0),
    size: Float64Array.from(rows, (r) => r.denominator ?? r.numerator ?? 0),
    cells: defs.map((d) => 1 + Object.keys(d.breakdown?.labels ?? {}).length),
    timeAdditive: defs.map(
      (d) =>
        d.numerator.over !== "stock" ||
        (d.denominator !== null && "sum" in d.denominator && d.denominator.over !== "stock"),
    ),
    areaParents,
    areaMembers,
    quarterType: 0,
    yearType: 1,
    rollingType: 2,
  });
  const secondary = new Set(hidden);
  await db.run("BEGIN TRANSACTION");
  await db.run(`CREATE OR REPLACE TEMP TABLE legacy_status (rid BIGINT, status TINYINT, hidden BOOLEAN)`);
  const appender = await db.connection.createAppender("legacy_status", "main", "temp");
  rows.forEach((r, i) => {
    appender.appendBigInt(r.rid);
    appender.appendTinyInt(status[i] ?? 0);
    appender.appendBoolean(secondary.has(i));
    appender.endRow();
  });
  appender.closeSync();
  const reasonCode = await db.one<{ code: number }>(
    `SELECT code::INTEGER AS code FROM indicator_codes WHERE kind = 'reason' AND name = 'secondary'`,
  );
  await db.run(
    `UPDATE indicator_values_data d SET status = l.status,
       shown_parts = CASE WHEN l.status = ${code("suppressed")} THEN 0 ELSE NULL END,
       reason = CASE WHEN l.hidden THEN ${reasonCode?.code ?? 0} WHEN l.status = ${code("suppressed")} THEN d.reason ELSE NULL END
     FROM legacy_status l WHERE l.rid = d.rowid`,
  );
  await db.run(`DELETE FROM release_certificates`);
  await db.run("COMMIT");
  await db.run(`DROP TABLE legacy_status`);
  return auditLatestRelease(db, config, { firstFinding: true });
}
