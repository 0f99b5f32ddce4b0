import type { FastifyInstance } from "fastify";
import { loadCatalogue } from "../../indicators/registry.ts";
import { catalogueAt } from "../../indicators/release/definitions.ts";
import type { AppDeps } from "../app.ts";
import { feedNotModified, ReleaseFeedCache } from "../feed-cache.ts";
import { localisedPaths } from "../i18n.ts";
import { releasePage, releasesPage } from "../pages/releases.ts";
import { sendPage } from "../pages/values.ts";

/** The releases: /julkaisut, /julkaisut/<id> in every language, and the Atom feed /julkaisut.atom. */
export default async function releaseRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/julkaisut")) {
    app.get(url, (_request, reply) => sendPage(reply, () => releasesPage(reader, lang)));
    app.get<{ Params: { id: string } }>(`${url}/:id`, (request, reply) =>
      sendPage(reply, async () => {
        const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : -1;
        // the titles of the release's own definitions
        return releasePage(reader, lang, id, await catalogueAt(reader, id, await loadCatalogue()));
      }),
    );
  }
  // the feed's links are absolute, made from the host the request came to: not shared between hosts,
  // so kept by its own cache (per host, until a new release) rather than the response cache
  const feeds = new ReleaseFeedCache(reader, () => app.dataVersions.current.data);
  app.get("/julkaisut.atom", { config: { cache: false } }, async (request, reply) => {
    const origin = `${request.protocol}://${request.headers.host ?? "127.0.0.1:3000"}`;
    const feed = await feeds.get(origin);
    reply
      .type("application/atom+xml; charset=utf-8")
      .header("Cache-Control", "no-cache")
      .header("ETag", feed.etag);
    if (feed.lastModified) reply.header("Last-Modified", feed.lastModified);
    if (feedNotModified(request.headers, feed)) return reply.code(304).send();
    return reply.send(feed.body);
  });
}
