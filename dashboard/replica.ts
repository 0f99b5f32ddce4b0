import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Database, PinnedReads } from "../core/db.ts";
import { langOfUrl, localisedPaths } from "./i18n.ts";
import { escapeHtml, layout } from "./pages/html.ts";

/**
 * A read replica (`seuranta serve --replica`) serves anonymous readers from a read-only snapshot. What
 * only the writer can do — uploads, sign-in, the load history, anything sent with a token or a form that
 * changes data — it refuses with a clear answer naming the writer. deploy/nginx/seuranta.conf sends the
 * same requests to the writer, so behind it a reader never meets this refusal.
 */

/** Pages and API paths that belong to the writer (with everything under them). */
export const WRITER_PATHS: readonly string[] = [
  ...["/kirjaudu", "/lataa", "/lataukset"].flatMap((p) => localisedPaths(p).map((l) => l.url)),
  "/api/v1/uploads",
  "/api/v1/loads",
];

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const T = {
  title: { fi: "Vain luku -kopio", sv: "Skrivskyddad kopia", en: "Read-only replica" },
  text: {
    fi: "Tämä palvelin näyttää julkaistut luvut mutta ei ota vastaan tiedostoja eikä kirjautumisia. Lähetä tiedostot ja kirjaudu osoitteessa",
    sv: "Den här servern visar de publicerade siffrorna men tar inte emot filer eller inloggningar. Skicka filer och logga in på",
    en: "This server shows the published figures but takes no files and no sign-ins. Send files and sign in at",
  },
} as const;

function isWriterPath(url: string): boolean {
  const pathOnly = url.split("?", 1)[0] ?? url;
  return WRITER_PATHS.some((p) => pathOnly === p || pathOnly.startsWith(`${p}/`));
}

/** Registers the replica's refusals; call before the sign-in hooks (it drops cookies: readers are anonymous). */
export function registerReplica(app: FastifyInstance, options: { writerUrl: string }): void {
  const writer = options.writerUrl;
  app.addHook("onRequest", async (request, reply) => {
    // a session lives on the writer: a replica's snapshot has none, and must not tell the browser to forget it
    delete request.headers.cookie;
    if (
      READ_METHODS.has(request.method) &&
      request.headers.authorization === undefined &&
      !isWriterPath(request.url)
    )
      return;
    request.log.info({ event: "replica.refused", method: request.method }, "write refused on a replica");
    reply.code(403).header("cache-control", "no-store");
    if (request.url.startsWith("/api/"))
      return reply.send({
        error: "read_only_replica",
        message: `${T.text.fi} ${writer}.`,
        message_en: `${T.text.en} ${writer}.`,
        writer,
      });
    const lang = langOfUrl(request.url);
    return reply.type("text/html; charset=utf-8").send(
      layout({
        title: T.title[lang],
        lang,
        path: "/",
        body: `<h1>${T.title[lang]}</h1>\n<p>${T.text[lang]} <a href="${escapeHtml(writer)}">${escapeHtml(writer)}</a>.</p>`,
      }),
    );
  });
}

/**
 * Every request of a replica reads one snapshot: the one served when the request began (see
 * Database.pinReads), so a page rendered while the replica switches to a new release mixes nothing of
 * the two. Registered first, before the response cache's lookup, so the data version a cached page is
 * keyed by is never newer than the snapshot it is rendered from. The snapshot is let go when the
 * answer has been sent or the request aborted.
 */
export function registerPinnedReads(app: FastifyInstance, db: Database): void {
  const pins = new WeakMap<FastifyRequest, PinnedReads>();
  app.addHook("onRequest", (request, _reply, done) => {
    const pin = db.pinReads();
    pins.set(request, pin);
    // the rest of the request's hooks and its handler run inside run(), and so read the pinned snapshot
    pin.run(done);
  });
  const release = (request: FastifyRequest) => {
    pins.get(request)?.release();
    pins.delete(request);
  };
  app.addHook("onResponse", (request, _reply, done) => {
    release(request);
    done();
  });
  app.addHook("onRequestAbort", (request, done) => {
    release(request);
    done();
  });
}
