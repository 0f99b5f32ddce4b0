import { createHash, randomBytes } from "node:crypto";
import type { Database, Queryable } from "../../core/db.ts";

/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_HOURS = 12;
export const SESSION_COOKIE = "seuranta_session";

const hashId = (id: string) => createHash("sha256").update(id, "utf8").digest("hex");

export interface SessionRow {
  token_id: string;
  csrf: string;
  id_hash: string;
}

/**
 * Browser sessions kept in DuckDB (they survive a restart). The cookie holds a random id; the table
 * holds only its hash, so a copy of the database gives no one a session.
 */
export class SessionStore {
  constructor(
    private readonly db: Database,
    private readonly reader: () => Promise<Queryable>,
  ) {}

  /** Starts a session for a token and returns the cookie value. */
  async create(tokenId: string, now: Date = new Date()): Promise<{ id: string; csrf: string }> {
    const id = randomBytes(32).toString("base64url");
    const csrf = randomBytes(32).toString("base64url");
    const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.db.withTransaction(async (tx) => {
      // expired sessions go whenever a new one starts: the table never grows without bound
      await tx.run(`DELETE FROM sessions WHERE expires_at < ?::TIMESTAMPTZ`, [now.toISOString()]);
      await tx.run(`INSERT INTO sessions VALUES (?, ?, ?, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ)`, [
        hashId(id),
        tokenId,
        csrf,
        now.toISOString(),
        expires.toISOString(),
      ]);
    });
    return { id, csrf };
  }

  /** The live session of a cookie value, or null (unknown, expired or malformed). */
  async find(id: string, now: Date = new Date()): Promise<SessionRow | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const reader = await this.reader();
    const row = await reader.one<{ token_id: string; csrf: string; id_hash: string }>(
      `SELECT token_id, csrf, id_hash FROM sessions WHERE id_hash = ? AND expires_at > ?::TIMESTAMPTZ`,
      [hashId(id), now.toISOString()],
    );
    return row ?? null;
  }

  /** Ends a session (signing out). */
  async end(idHash: string): Promise<void> {
    await this.db.withTransaction((tx) => tx.run(`DELETE FROM sessions WHERE id_hash = ?`, [idHash]));
  }
}
