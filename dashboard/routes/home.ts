import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths, pathIn } from "../i18n.ts";

/**
 * The front page. Until the indicator overview is built (issue 3/6), the data status is the most
 * useful thing to show, so the front page sends the reader there.
 */
export default async function homeRoutes(app: FastifyInstance, _deps: AppDeps): Promise<void> {
  for (const { lang, url } of localisedPaths("/")) {
    app.get(url, async (_request, reply) => reply.redirect(pathIn(lang, "/tila"), 302));
  }
}
