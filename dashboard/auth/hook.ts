import { timingSafeEqual } from "node:crypto";
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppContext } from "../app.ts";
import { HttpError } from "../errors.ts";
import type { Principal } from "./principal.ts";
import { SESSION_COOKIE, SessionStore } from "./sessions.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Field name of the CSRF token in forms; scripts send the header X-CSRF-Token instead. */
export const CSRF_FIELD = "_csrf";

declare module "fastify" {
  interface FastifyInstance {
    /** Browser sessions (sign-in, sign-out). */
    sessions: SessionStore;
  }
}

/** True when the request came over TLS (directly or through a proxy that says so). */
export function isSecure(request: FastifyRequest): boolean {
  return request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token a request carries: the header, or the form field (urlencoded or multipart). */
function csrfOf(request: FastifyRequest): string | null {
  const header = request.headers["x-csrf-token"];
  if (typeof header === "string") return header;
  const body = request.body as Record<string, unknown> | undefined;
  const field = body?.[CSRF_FIELD];
  if (typeof field === "string") return field;
  // @fastify/multipart with attachFieldsToBody keeps fields as { value }
  if (field && typeof field === "object" && "value" in field)
    return String((field as { value: unknown }).value);
  return null;
}

/**
 * Finds who makes each request: a Bearer token (scripts, the API) or the session cookie (the browser).
 * A wrong Bearer token is refused outright; an unknown or expired cookie is dropped and the request
 * goes on anonymously. Requests that change state through a session must carry the session's CSRF
 * token and, when the browser says where they come from, come from this site.
 */
export async function registerAuth(app: FastifyInstance, deps: AppContext): Promise<void> {
  // awaited so that cookies are parsed before the hook below reads them
  await app.register(cookie);
  app.decorate("sessions", new SessionStore(deps.db, () => deps.db.reader()));
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const entry = match ? deps.tokens.verify(match[1] ?? "") : null;
      if (!entry) {
        request.log.warn({ event: "auth.bearer_rejected" }, "invalid bearer token");
        throw new HttpError(
          401,
          { fi: "Tunniste ei kelpaa.", sv: "Nyckeln duger inte.", en: "The token is not valid." },
          { headers: { "WWW-Authenticate": 'Bearer realm="seuranta"' } },
        );
      }
      request.principal = principalOf(entry, "bearer");
      return;
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (!sessionId) return;
    const session = await app.sessions.find(sessionId);
    const entry = session ? deps.tokens.byId(session.token_id) : null;
    if (!session || !entry) {
      // a stale cookie: forget it so the browser stops sending it
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return;
    }
    request.principal = {
      ...principalOf(entry, "session"),
      csrf: session.csrf,
      sessionHash: session.id_hash,
    };
  });

  app.addHook("preHandler", async (request) => {
    const principal = request.principal;
    if (!STATE_CHANGING.has(request.method) || principal?.via !== "session") return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== "null") {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== request.headers.host) {
        throw new HttpError(
          403,
          {
            fi: "Pyyntö tuli toiselta sivustolta.",
            sv: "Begäran kom från en annan webbplats.",
            en: "Cross-site request refused.",
          },
          { code: "csrf" },
        );
      }
    }
    const sent = csrfOf(request);
    if (!sent || !principal.csrf || !safeEqual(sent, principal.csrf)) {
      request.log.warn(
        { event: "auth.csrf_rejected", token: principal.tokenId },
        "CSRF token missing or wrong",
      );
      throw new HttpError(
        403,
        {
          fi: "Lomakkeen suojatunniste puuttuu tai on vanhentunut: lataa sivu uudelleen.",
          sv: "Formulärets skyddsnyckel saknas eller har gått ut: ladda om sidan.",
          en: "CSRF token missing or wrong: reload the page.",
        },
        { code: "csrf" },
      );
    }
  });
}

function principalOf(
  entry: { id: string; role: Principal["role"]; name: string; kunnat: string[] },
  via: Principal["via"],
): Principal {
  return { tokenId: entry.id, role: entry.role, name: entry.name, kunnat: entry.kunnat, via };
}
