import fs from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import type { DestinationStream } from "pino";
import type { Config } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { PROJECT_ROOT } from "../core/root.ts";
import { TokenStore } from "../core/tokens.ts";
import { recomputeIfStale } from "../indicators/compute.ts";
import { Publisher } from "../indicators/publisher.ts";
import { registerOpenApi } from "./api/openapi.ts";
import { registerAuth } from "./auth/hook.ts";
import { registerUserBar } from "./auth/userbar.ts";
import { DataVersions, ResponseCache, registerCacheHits, registerResponseCache } from "./cache.ts";
import { registerErrorHandler } from "./errors.ts";
import { localisedPaths } from "./i18n.ts";
import { registerPinnedReads, registerReplica } from "./replica.ts";
import { ROUTE_MODULES } from "./routes/index.ts";
import { registerSecurity } from "./security.ts";

const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;

export interface AppDeps {
  db: Database;
  config: Config;
  /** Fastify's logger settings (and where the lines go, stdout by default); false in tests. */
  logger?: boolean | { level: string; stream?: DestinationStream };
  /** Bound of the response cache in bytes (default: the setting SEURANTA_CACHE_MB); 0 stores nothing (ETags stay). */
  cacheBytes?: number;
  /** The accepted tokens; default: the token file SEURANTA_TOKENS, or no tokens at all when unset. */
  tokens?: TokenStore;
  /**
   * Makes the new figures after an upload loaded data, in the background (default: a Publisher of the
   * app's own over recomputeIfStale; the server shares one with its inbox schedule).
   */
  publisher?: Publisher;
  /** A read replica (`seuranta serve --replica`): refuses what only the writer at writerUrl does. */
  replica?: { writerUrl: string };
}

/** The dependencies after buildApp filled in the defaults: what route modules receive. */
export interface AppContext extends AppDeps {
  tokens: TokenStore;
  publisher: Publisher;
}

function cacheBytes(deps: AppDeps): number {
  return deps.cacheBytes ?? Math.round(deps.config.cacheMb * 1024 * 1024);
}

/** Builds the web application (tested with app.inject(), served by `seuranta serve`). */
export async function buildApp(input: AppDeps): Promise<FastifyInstance> {
  const deps: AppContext = {
    ...input,
    tokens:
      input.tokens ??
      (input.config.tokensFile ? TokenStore.fromFile(input.config.tokensFile) : TokenStore.inMemory()),
    publisher:
      input.publisher ??
      new Publisher(
        async (trigger) => void (await recomputeIfStale(input.db, input.config, { trigger })),
        (error, trigger) => app.log.error({ err: error, trigger }, "recompute after a load failed"),
      ),
  };
  // behind a reverse proxy the client's address (rate limits, audit) comes from X-Forwarded-For
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: deps.config.trustProxy,
    // one log line per request (below) instead of Fastify's two: under load the log was a tenth of
    // the work of a cached answer
    logController: new LogController({ disableRequestLogging: true }),
  });
  if (deps.logger) {
    app.addHook("onResponse", (request, reply, done) => {
      request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
      done();
    });
  }
  await registerOpenApi(app, PACKAGE_VERSION);
  registerErrorHandler(app);
  // pages and downloads are cached per URL and data version (dashboard/cache.ts), the version kept in
  // memory and refreshed after every write; the status page also shows inbox runs, so its key has them
  const { versions, stop } = await DataVersions.track(deps.db);
  app.addHook("onClose", async () => stop());
  const cache = new ResponseCache(cacheBytes(deps));
  // first of all: an anonymous reader's cached answer goes out before the hooks below, which have
  // nothing to do for it
  registerCacheHits(app, { cache, versions });
  // then each request reads the one snapshot served when it began (a replica's database switches)
  if (deps.db.readOnly) registerPinnedReads(app, deps.db);
  // before the sign-in hooks: a replica's readers are anonymous
  if (deps.replica) registerReplica(app, deps.replica);
  await registerAuth(app, deps);
  // before the response cache: its onSend hook stores the security headers with the body
  await registerSecurity(app, deps.config);
  // before the response cache too: an anonymous page is stored with its user bar filled in
  registerUserBar(app, { demo: deps.tokens.demo });
  // a run under way finishes before the database may be closed
  app.addHook("onClose", () => deps.publisher.idle());
  registerResponseCache(app, {
    cache,
    versions,
    runsRoutes: new Set(localisedPaths("/tila").map((p) => p.url)),
    skipRoutes: new Set(["/healthz", "/readyz"]),
  });
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      await deps.db.one("SELECT 1");
      return { status: "ready" };
    } catch (error) {
      return reply.code(503).send({ status: "not ready", error: (error as Error).message });
    }
  });
  // every route module registers its own pages (the list: routes/index.ts)
  for (const routes of ROUTE_MODULES) await routes(app, deps);
  return app;
}
