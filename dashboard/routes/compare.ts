import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths, pathIn } from "../i18n.ts";
import { comparePage } from "../pages/compare.ts";
import { formAreas } from "../pages/compare-data.ts";
import { compareFile } from "../pages/compare-files.ts";
import type { Query } from "../pages/indicator-data.ts";
import { sendPage } from "../pages/values.ts";

/**
 * The compare page /vertailu (`?indikaattori=&alueet=kunta:179,hyvinvointialue:15&jaksotyyppi=`), its
 * data /vertailu.csv and .xlsx and its chart /vertailu/kaavio.svg and .png, in every language. The
 * page's form sends the areas as checkboxes (`alue=…&alue=…`); that answer is a 303 to the permalink
 * with `alueet=`, so every view has one address.
 */
export default async function compareRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/vertailu")) {
    app.get<{ Querystring: Query }>(url, (request, reply) => {
      const areas = formAreas(request.query);
      if (areas !== null) {
        // the permalink's order: indikaattori, alueet, jaksotyyppi (and a pinned view's julkaisu)
        const q = new URLSearchParams();
        const { indikaattori, jaksotyyppi, julkaisu } = request.query;
        if (typeof indikaattori === "string" && indikaattori !== "") q.set("indikaattori", indikaattori);
        if (areas !== "") q.set("alueet", areas);
        if (typeof jaksotyyppi === "string" && jaksotyyppi !== "") q.set("jaksotyyppi", jaksotyyppi);
        if (typeof julkaisu === "string" && julkaisu !== "") q.set("julkaisu", julkaisu);
        return reply.redirect(`${pathIn(lang, "/vertailu")}?${q}`, 303);
      }
      return sendPage(reply, () => comparePage(reader, lang, request.query));
    });
    app.get<{ Querystring: Query }>(`${url}.:format`, (request, reply) =>
      sendPage(reply, async () => {
        const file = await compareFile(
          reader,
          deps.config,
          lang,
          (request.params as { format: string }).format,
          request.query,
        );
        reply.type(file.type).header("Content-Disposition", `attachment; filename="${file.name}"`);
        return file.body;
      }),
    );
    app.get<{ Params: { file: string }; Querystring: Query }>(`${url}/:file`, (request, reply) =>
      sendPage(reply, async () => {
        const file = await compareFile(reader, deps.config, lang, request.params.file, request.query);
        reply.type(file.type).header("Content-Disposition", `attachment; filename="${file.name}"`);
        return file.body;
      }),
    );
  }
}
