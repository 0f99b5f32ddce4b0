import type { Queryable } from "./db.ts";

/** What the audit log records: every data change, every sign-in and every read of unsuppressed figures. */
export type AuditAction =
  | "load"
  | "reject"
  | "signin"
  | "signin_failed"
  | "signout"
  | "demo_tokens"
  | "unsuppressed_read";

export interface AuditEntry {
  action: AuditAction;
  /** A token id, or the channel when no token was involved ("cli", "inbox", "demo"). */
  actor: string;
  actorName?: string | null;
  loadId?: number | null;
  detail?: Record<string, unknown>;
  at?: Date;
}

interface Runner {
  run(sql: string, params?: (string | number | null)[]): Promise<void>;
}

/** Appends one entry to the audit log; inside a load's transaction, it commits or rolls back with it. */
export async function recordAudit(db: Runner, entry: AuditEntry): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (occurred_at, action, actor, actor_name, load_id, detail)
     VALUES (?::TIMESTAMPTZ, ?, ?, ?, ?, ?::JSON)`,
    [
      (entry.at ?? new Date()).toISOString(),
      entry.action,
      entry.actor,
      entry.actorName ?? null,
      entry.loadId ?? null,
      JSON.stringify(entry.detail ?? {}),
    ],
  );
}

export interface AuditRow {
  audit_id: number;
  at: string;
  action: AuditAction;
  actor: string;
  actor_name: string | null;
  load_id: number | null;
  detail: Record<string, unknown>;
}

/** The latest audit entries, newest first. */
export async function readAudit(db: Queryable, limit = 200): Promise<AuditRow[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT audit_id, strftime(occurred_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS at, action, actor, actor_name,
       load_id, detail::VARCHAR AS detail
     FROM audit_log ORDER BY audit_id DESC LIMIT ?`,
    [limit],
  );
  return rows.map((r) => ({
    audit_id: Number(r.audit_id),
    at: String(r.at),
    action: r.action as AuditAction,
    actor: String(r.actor),
    actor_name: (r.actor_name as string | null) ?? null,
    load_id: r.load_id === null ? null : Number(r.load_id),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
  }));
}
