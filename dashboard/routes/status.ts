import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { isAdmin } from "../auth/principal.ts";
import { localisedPaths } from "../i18n.ts";
import { readLoads } from "../loads/history.ts";
import { adminLoadsSection } from "../pages/loads.ts";
import { releaseAuditSection } from "../pages/release-audit.ts";
import { parseSelection, type StatusQuery, statusErrorPage, statusPage } from "../pages/status.ts";

/**
 * The data status page, /tila in every language. `?aineisto=kuntouttava&alue=15` chooses the
 * completeness matrix; a value that is not a known dataset or county code is a 400 with the reason.
 */
export default async function statusRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const { lang, url } of localisedPaths("/tila")) {
    app.get<{ Querystring: StatusQuery }>(url, async (request, reply) => {
      const db = await deps.db.reader();
      reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache");
      const parsed = await parseSelection(db, request.query ?? {}, lang);
      if (!parsed.ok) return reply.code(400).send(await statusErrorPage(db, lang, parsed.message));
      const principal = request.principal;
      const admin =
        principal && isAdmin(principal)
          ? (await releaseAuditSection(db, lang)) +
            adminLoadsSection(
              lang,
              principal,
              (await readLoads(db, principal, { limit: 20, offset: 0 })).loads,
            )
          : "";
      if (admin) reply.header("Cache-Control", "private, no-store");
      return statusPage(db, deps.config, lang, parsed.selection, admin);
    });
  }
}
