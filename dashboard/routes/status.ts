import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths } from "../i18n.ts";
import { statusPage } from "../pages/status.ts";

/** The data status page, /tila in every language. */
export default async function statusRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const { lang, url } of localisedPaths("/tila")) {
    app.get(url, async (_request, reply) => {
      reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache");
      return statusPage(deps.db, lang);
    });
  }
}
