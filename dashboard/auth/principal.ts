import { recordAudit } from "../../core/audit.ts";
import type { Database } from "../../core/db.ts";
import type { Role } from "../../core/tokens.ts";

/** Who made a request: the holder of a token, through a Bearer header or a signed-in session. */
export interface Principal {
  tokenId: string;
  role: Role;
  name: string;
  /** Municipality codes an analyst may send data for (empty for admins, who send none). */
  kunnat: string[];
  via: "bearer" | "session";
  /** The session's CSRF token (session requests only). */
  csrf?: string;
  /** The session's id hash (session requests only), to sign out. */
  sessionHash?: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user or token holder; null for anonymous readers. */
    principal: Principal | null;
  }
}

/** True when the request may take unsuppressed figures and see every load. */
export function isAdmin(principal: Principal | null): boolean {
  return principal?.role === "admin";
}

/** Records in the audit log that a principal read unsuppressed figures (what: the URL or file). */
export async function recordUnsuppressedRead(
  db: Database,
  principal: Principal | null,
  detail: Record<string, string>,
): Promise<void> {
  await db.withTransaction((tx) =>
    recordAudit(tx, {
      action: "unsuppressed_read",
      actor: principal?.tokenId ?? "unknown",
      actorName: principal?.name,
      detail,
    }),
  );
}
