import type { Queryable } from "../../core/db.ts";
import { type FileReport, fileReportSchema } from "../../pipelines/report.ts";
import type { Principal } from "../auth/principal.ts";

/** One row of the load history as the API and the page show it. */
export interface LoadEntry {
  load_id: number;
  file: string;
  dataset: string | null;
  status: "loaded" | "rejected";
  sender: string;
  source: string;
  received_at: string;
  rows: number;
  keys_replaced: Record<string, string>[];
  warnings: number;
  errors: number;
}

/** Analysts see the loads they sent themselves; admins see every load (the inbox's and the CLI's too). */
function visibility(principal: Principal): { where: string; params: string[] } {
  return principal.role === "admin"
    ? { where: "TRUE", params: [] }
    : { where: "sender_id = ?", params: [principal.tokenId] };
}

/** The latest loads the principal may see, newest first. */
export async function readLoads(
  db: Queryable,
  principal: Principal,
  page: { limit: number; offset: number },
): Promise<{ total: number; loads: LoadEntry[] }> {
  const { where, params } = visibility(principal);
  const total = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM loads WHERE ${where}`,
    params,
  );
  const rows = await db.all<Record<string, unknown>>(
    `SELECT load_id, file_name, dataset, status, sender, source,
       strftime(received_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS received_at, rows,
       keys_replaced::VARCHAR AS keys_replaced, warnings, errors
     FROM loads WHERE ${where} ORDER BY load_id DESC LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
  return {
    total: total?.n ?? 0,
    loads: rows.map((r) => ({
      load_id: Number(r.load_id),
      file: String(r.file_name),
      dataset: (r.dataset as string | null) ?? null,
      status: r.status as LoadEntry["status"],
      sender: String(r.sender),
      source: String(r.source),
      received_at: String(r.received_at),
      rows: Number(r.rows),
      keys_replaced: JSON.parse(String(r.keys_replaced)) as Record<string, string>[],
      warnings: Number(r.warnings),
      errors: Number(r.errors),
    })),
  };
}

/** The stored report of a load, or null when it does not exist or the principal may not see it. */
export async function readLoadReport(
  db: Queryable,
  principal: Principal,
  loadId: number,
): Promise<{ entry: { received_at: string; sender: string; source: string }; report: FileReport } | null> {
  const { where, params } = visibility(principal);
  const row = await db.one<{ report: string; received_at: string; sender: string; source: string }>(
    `SELECT report::VARCHAR AS report, strftime(received_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS received_at,
       sender, source
     FROM loads WHERE load_id = ? AND ${where}`,
    [loadId, ...params],
  );
  if (!row) return null;
  return {
    entry: { received_at: row.received_at, sender: row.sender, source: row.source },
    report: fileReportSchema.parse(JSON.parse(row.report)),
  };
}
