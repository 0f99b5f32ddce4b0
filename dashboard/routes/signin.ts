import formbody from "@fastify/formbody";
import type { FastifyInstance } from "fastify";
import { recordAudit } from "../../core/audit.ts";
import type { AppContext } from "../app.ts";
import { isSecure } from "../auth/hook.ts";
import { SESSION_COOKIE, SESSION_HOURS } from "../auth/sessions.ts";
import { localisedPaths, pathIn } from "../i18n.ts";
import { signInPage } from "../pages/signin.ts";
import { RATE_LIMITS } from "../security.ts";

/** Only a path of this site may follow sign-in (never another host: no open redirect). */
function safeNext(next: unknown): string | undefined {
  return typeof next === "string" && /^\/(?![/\\])[^\s]*$/.test(next) ? next : undefined;
}

/**
 * Sign-in with a token: /kirjaudu shows the form, a POST checks the token and starts a session
 * (HttpOnly, SameSite=Strict, Secure behind TLS); /kirjaudu/ulos ends it. Both are audited.
 */
export default async function signInRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  for (const { lang, url } of localisedPaths("/kirjaudu")) {
    app.get<{ Querystring: { next?: string } }>(url, { config: { cache: false } }, (request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .send(signInPage(lang, { next: safeNext(request.query.next), principal: request.principal })),
    );

    app.post<{ Body: { token?: string; next?: string } }>(
      url,
      { config: { rateLimit: RATE_LIMITS.signin } },
      async (request, reply) => {
        const token = typeof request.body?.token === "string" ? request.body.token : "";
        const entry = deps.tokens.verify(token);
        const next = safeNext(request.body?.next);
        if (!entry) {
          await deps.db.withTransaction((tx) =>
            recordAudit(tx, { action: "signin_failed", actor: "unknown", detail: { ip: request.ip } }),
          );
          request.log.warn({ event: "auth.signin_failed", ip: request.ip }, "sign-in with an invalid token");
          return reply
            .code(401)
            .type("text/html; charset=utf-8")
            .header("Cache-Control", "no-store")
            .send(signInPage(lang, { error: true, next }));
        }
        const session = await app.sessions.create(entry.id);
        await deps.db.withTransaction((tx) =>
          recordAudit(tx, {
            action: "signin",
            actor: entry.id,
            actorName: entry.name,
            detail: { role: entry.role, ip: request.ip },
          }),
        );
        request.log.info({ event: "auth.signin", token: entry.id }, "signed in");
        reply.setCookie(SESSION_COOKIE, session.id, {
          path: "/",
          httpOnly: true,
          sameSite: "strict",
          secure: isSecure(request),
          maxAge: SESSION_HOURS * 3600,
        });
        const home = entry.role === "admin" ? "/lataukset" : "/lataa";
        return reply.redirect(next ?? pathIn(lang, home), 303);
      },
    );

    app.post(`${url}/ulos`, async (request, reply) => {
      const principal = request.principal;
      if (principal?.via === "session" && principal.sessionHash) {
        await app.sessions.end(principal.sessionHash);
        await deps.db.withTransaction((tx) =>
          recordAudit(tx, { action: "signout", actor: principal.tokenId, actorName: principal.name }),
        );
      }
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.redirect(pathIn(lang, "/"), 303);
    });
  }
}
