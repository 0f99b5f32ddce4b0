import type { FastifyRequest } from "fastify";
import type { Role } from "../../core/tokens.ts";
import { type ErrorText, HttpError } from "../errors.ts";
import type { Principal } from "./principal.ts";

/** A refusal's code (default by status: `unauthorised`, `forbidden`) and text. */
interface Refusal {
  code?: string;
  text: ErrorText;
}

/** How a route refuses a request without the role. */
export interface RoleRefusals {
  /** A request with no token or session: 401 with `WWW-Authenticate`. Without it, anonymous is forbidden. */
  signIn?: Refusal;
  /** A token or session without the role: 403. */
  forbidden?: Refusal;
  /** Only the requests this picks need the role (e.g. those asking for unsuppressed figures); default all. */
  when?: (request: FastifyRequest) => boolean;
}

const FORBIDDEN: ErrorText = { fi: "Ei oikeutta.", sv: "Ingen behörighet.", en: "Forbidden." };

/**
 * A route hook (onRequest or preHandler) that refuses a request without the role: `admin`, `analyst`,
 * or `signed-in` for any token or session. The refusal is an HttpError, answered by the error handler.
 */
export function requireRole(role: Role | "signed-in", refusals: RoleRefusals = {}) {
  return async (request: FastifyRequest): Promise<void> => {
    if (refusals.when && !refusals.when(request)) return;
    const principal = request.principal;
    if (!principal && refusals.signIn)
      throw new HttpError(401, refusals.signIn.text, {
        code: refusals.signIn.code,
        headers: { "WWW-Authenticate": 'Bearer realm="seuranta"' },
      });
    if (!principal || (role !== "signed-in" && principal.role !== role))
      throw new HttpError(403, refusals.forbidden?.text ?? FORBIDDEN, { code: refusals.forbidden?.code });
  };
}

/** The principal of a request a `signed-in` (or stricter) requireRole hook let through. */
export function signedInPrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error("a requireRole hook lets no anonymous request through");
  return request.principal;
}

/** Picks the requests that ask for unsuppressed figures (`suppression=none`). */
export const asksUnsuppressed = (request: FastifyRequest): boolean =>
  (request.query as { suppression?: unknown } | undefined)?.suppression === "none";
