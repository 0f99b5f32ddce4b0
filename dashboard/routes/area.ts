import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths, pathIn } from "../i18n.ts";
import { areaPage } from "../pages/area.ts";
import { areaPath, legacyAreaLevel, sendPage } from "../pages/values.ts";

/**
 * The area page /alue/:level/:code (a municipality, an employment area, a county or SSS) in every
 * language. The old /alue/:code (from before employment areas had pages, when a two-digit code could
 * only be a county) answers 301 with the page it meant, so old links and bookmarks keep working.
 */
export default async function areaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/alue/:level/:code")) {
    app.get<{ Params: { level: string; code: string }; Querystring: { julkaisu?: string } }>(
      url,
      (request, reply) => {
        const { level, code } = request.params;
        return sendPage(reply, () =>
          areaPage(reader, deps.config, lang, level, code, request.query.julkaisu),
        );
      },
    );
  }
  for (const { lang, url } of localisedPaths("/alue/:code")) {
    app.get<{ Params: { code: string }; Querystring: { julkaisu?: string } }>(url, (request, reply) => {
      const { code } = request.params;
      // a pinned old link keeps its release
      const pin = request.query.julkaisu ? `?julkaisu=${encodeURIComponent(request.query.julkaisu)}` : "";
      return reply.redirect(`${pathIn(lang, areaPath({ level: legacyAreaLevel(code), code }))}${pin}`, 301);
    });
  }
}
