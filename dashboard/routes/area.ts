import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths } from "../i18n.ts";
import { areaPage } from "../pages/area.ts";
import { sendPage } from "../pages/values.ts";

/** The area page /alue/:code (a municipality, a county or SSS) in every language. */
export default async function areaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/alue/:code")) {
    app.get<{ Params: { code: string }; Querystring: { julkaisu?: string } }>(url, (request, reply) =>
      sendPage(reply, lang, `/alue/${encodeURIComponent(request.params.code)}`, () =>
        areaPage(reader, deps.config, lang, request.params.code, request.query.julkaisu),
      ),
    );
  }
}
