import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths } from "../i18n.ts";
import { compareEmbed, indicatorEmbed } from "../pages/embed.ts";
import type { Query } from "../pages/indicator-data.ts";
import { oembedAnswer } from "../pages/oembed.ts";
import { sendPage } from "../pages/values.ts";

/**
 * Embed pages /upotus/indikaattori/:id/:chart and /upotus/vertailu (only these may be framed, by the
 * origins of SEURANTA_EMBED_ORIGINS), and the oEmbed endpoint /oembed?url=…&format=json.
 */
export default async function embedRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/upotus/indikaattori/:id/:chart")) {
    app.get<{ Params: { id: string; chart: string }; Querystring: Query }>(url, (request, reply) =>
      sendPage(reply, () =>
        indicatorEmbed(reader, deps.config, lang, request.params.id, request.params.chart, request.query),
      ),
    );
  }
  for (const { lang, url } of localisedPaths("/upotus/vertailu")) {
    app.get<{ Querystring: Query }>(url, (request, reply) =>
      sendPage(reply, () => compareEmbed(reader, deps.config, lang, request.query)),
    );
  }
  app.get<{ Querystring: Query }>("/oembed", async (request, reply) => {
    const answer = await oembedAnswer(app, deps.config, request.query);
    reply.code(answer.status).header("Cache-Control", "no-cache");
    return answer.body;
  });
}
