import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { LANGS, localisedPaths } from "../i18n.ts";
import { frontPage } from "../pages/front.ts";
import { sendPage } from "../pages/values.ts";

/** The front page, / in every language: `?alue=15` for a wellbeing services county, else the whole country. */
export default async function homeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/")) {
    app.get<{ Querystring: Record<string, string | undefined> }>(url, (request, reply) =>
      sendPage(reply, () =>
        frontPage(reader, deps.config, lang, { alue: request.query.alue, julkaisu: request.query.julkaisu }),
      ),
    );
  }
  // /sv/ and /en/ (with the slash) lead to the same page
  for (const lang of LANGS.filter((l) => l !== "fi")) {
    app.get<{ Querystring: Record<string, string | undefined> }>(`/${lang}/`, (request, reply) =>
      sendPage(reply, () =>
        frontPage(reader, deps.config, lang, { alue: request.query.alue, julkaisu: request.query.julkaisu }),
      ),
    );
  }
}
