import { createHash } from "node:crypto";
import type { OutgoingHttpHeaders } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { Database, Queryable } from "../core/db.ts";
import { isSecure } from "./auth/hook.ts";
import { CONNECTION_HEADERS, connectionHeaders } from "./security.ts";

/**
 * Response cache of the pages and downloads. A page is a pure function of its URL (language and query
 * included) and the data version: the latest load and the latest indicator recompute (and, for the
 * status page, the latest inbox run). The version lives in memory (DataVersions): it is read when the
 * app starts and again after every write to the database, before the writer's caller resumes, so a
 * cached request costs no database work and a page never shows figures older than the last commit.
 * Rendered 200 responses are kept in an LRU bounded by bytes, with their final bytes (user bar filled
 * for an anonymous reader) and their headers prepared; a hit is written straight to the socket,
 * skipping the rest of Fastify's request cycle (its onResponse hooks and request log still run). A hit
 * is answered by the app's first onRequest hook (registerCacheHits), before the sign-in, cookie and
 * upload hooks that have nothing to do for an anonymous GET, unless its route has onRequest hooks of
 * its own: those run first, and the route's own lookup answers after them.
 * Every cached route answers with an ETag (a hash of the body), `Cache-Control: public, max-age=0,
 * must-revalidate` (or the route's own when it says `immutable`: an answer pinned to a release), and 304 to a matching `If-None-Match`. Errors (any status other than 200), streamed
 * bodies, responses that set a cookie or say `no-store`/`private`, and requests carrying credentials
 * (Authorization or Cookie) bypass it. A route opts out with `config: { cache: false }`.
 */

export const CACHE_CONTROL = "public, max-age=0, must-revalidate";
/** Default bound of the cached bodies and headers (buildApp passes the setting SEURANTA_CACHE_MB). */
export const DEFAULT_CACHE_BYTES = 50 * 1024 * 1024;

/** What a rendered response leaves in the cache: its bytes, ETag and the headers it was sent with. */
export interface CachedResponse {
  body: Buffer;
  etag: string;
  /** The response's headers without the per-connection ones, ETag, Cache-Control and Content-Length. */
  headers: Record<string, string>;
  /** The route's own `immutable` Cache-Control (an answer pinned to a release), else CACHE_CONTROL. */
  cacheControl?: string;
  /** True when the route has no onRequest hooks of its own: a hit may then be answered before any hook. */
  beforeHooks?: boolean;
}

/** A cached response with the header sets of its answers prepared once (written per request as is). */
interface Entry extends CachedResponse {
  size: number;
  /** ResponseCache.appended when the entry last went to the young end. */
  appendedAt: number;
  /** [200 over plain HTTP, 200 over TLS, 304 over plain HTTP, 304 over TLS] */
  heads: [OutgoingHttpHeaders, OutgoingHttpHeaders, OutgoingHttpHeaders, OutgoingHttpHeaders];
}

function prepareHeads(response: CachedResponse): Entry["heads"] {
  const validators = { etag: response.etag, "cache-control": response.cacheControl ?? CACHE_CONTROL };
  const ok = { ...response.headers, ...validators, "content-length": String(response.body.length) };
  // a 304 carries no body, so nothing that describes one
  const notModified: OutgoingHttpHeaders = { ...response.headers, ...validators };
  delete notModified["content-type"];
  delete notModified["content-disposition"];
  return [
    { ...ok, ...connectionHeaders(false) },
    { ...ok, ...connectionHeaders(true) },
    { ...notModified, ...connectionHeaders(false) },
    { ...notModified, ...connectionHeaders(true) },
  ];
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Responses rendered and stored. */
  stores: number;
  evictions: number;
  /** 304 answers (hits and fresh renders both). */
  notModified: number;
}

/** An LRU of rendered responses, bounded by the total size of their bodies and headers. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** How many times an entry was put at the young end of the map (stored or moved). */
  private appended = 0;
  readonly stats: CacheStats = { hits: 0, misses: 0, stores: 0, evictions: 0, notModified: 0 };

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last. Moving costs two Map operations on every hit; an entry moved or stored
    // fewer than half the map's size of moves ago is still in the younger half, which eviction
    // reaches only after the older half, so it stays where it is.
    if (this.appended - entry.appendedAt > this.entries.size / 2) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      entry.appendedAt = ++this.appended;
    }
    return entry;
  }

  /** Stores a response, evicting the least recently used until the bound holds; false if it never fits. */
  set(key: string, response: CachedResponse): boolean {
    const size =
      response.body.length +
      key.length +
      Object.entries(response.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    this.delete(key);
    if (size > this.maxBytes) return false;
    for (const [oldKey] of this.entries) {
      if (this.total + size <= this.maxBytes) break;
      this.delete(oldKey);
      this.stats.evictions++;
    }
    this.entries.set(key, { ...response, size, heads: prepareHeads(response), appendedAt: ++this.appended });
    this.total += size;
    this.stats.stores++;
    return true;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.size;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/** The parts of the data version; a page's key uses them all except `runs`, which only the status page needs. */
export interface DataVersion {
  /**
   * Latest loads.load_id and latest indicator_runs.run_id. Reference data is loaded only when the
   * database is opened, before the app starts (and a change to it makes a recompute).
   */
  data: string;
  /** Latest inbox run and how many runs have finished (a run is inserted when it starts, updated when it ends). */
  runs: string;
}

// aggregates joined in FROM: about half the cost of scalar subqueries in DuckDB
const VERSION_SQL = (withResults: boolean) => `SELECT * FROM
  (SELECT max(load_id)::VARCHAR AS l FROM loads),
  (SELECT ${withResults ? "max(run_id)::VARCHAR" : "NULL"} AS i${withResults ? " FROM indicator_runs" : ""}),
  (SELECT max(run_id)::VARCHAR || '/' || count(finished_at)::VARCHAR AS r FROM runs)`;

async function readVersion(db: Queryable): Promise<DataVersion> {
  let row: Record<string, string | null> | undefined;
  try {
    row = await db.one<Record<string, string | null>>(VERSION_SQL(true));
  } catch {
    // indicator_runs exists only after the first recompute (ensureResultsTables)
    row = await db.one<Record<string, string | null>>(VERSION_SQL(false));
  }
  return { data: `${row?.l ?? "-"}.${row?.i ?? "-"}`, runs: row?.r ?? "-" };
}

/**
 * The data version in memory: read when tracking starts and again after every exclusive section of
 * the database (Database.afterWrite: loads, recomputes, inbox runs, any transaction), so reading it
 * costs nothing per request and it is current whenever a write's caller resumes.
 */
export class DataVersions {
  private version: DataVersion = { data: "?", runs: "?" };
  private started = 0;
  private applied = 0;

  /** The version as of the latest write. */
  get current(): DataVersion {
    return this.version;
  }

  /** Starts tracking db's writes; returns the tracker and the function that stops it. */
  static async track(db: Database): Promise<{ versions: DataVersions; stop: () => void }> {
    const versions = new DataVersions();
    const stop = db.afterWrite((writer) => versions.refresh(writer));
    await versions.refresh(await db.reader());
    return { versions, stop };
  }

  /** Reads the version from source; never throws (an unreadable version becomes a new, unique one). */
  async refresh(source: Queryable): Promise<void> {
    const ticket = ++this.started;
    let version: DataVersion;
    try {
      version = await readVersion(source);
    } catch {
      // whatever changed, nothing cached before this point may be served again
      version = { data: `unreadable-${ticket}`, runs: `unreadable-${ticket}` };
    }
    // a read that started later saw at least as much: never go back to an older one
    if (ticket > this.applied) {
      this.applied = ticket;
      this.version = version;
    }
  }
}

export interface ResponseCacheOptions {
  cache: ResponseCache;
  versions: DataVersions;
  /** Route patterns (as registered) whose pages also show inbox runs: their key includes DataVersion.runs. */
  runsRoutes: ReadonlySet<string>;
  /** Route patterns never cached (health checks). */
  skipRoutes: ReadonlySet<string>;
}

declare module "fastify" {
  interface FastifyInstance {
    responseCache: ResponseCache;
    /** The data version in memory (moves after every write, and a replica's switch to a new snapshot). */
    dataVersions: DataVersions;
  }
  interface FastifyContextConfig {
    /** false: never cache this route's responses. */
    cache?: boolean;
  }
}

/** A strong ETag of a body: a hash of its bytes. */
export function etagOf(body: Buffer | string): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header names the ETag (a list, weak validators and `*` included). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

// set per answer (or by Node itself), never stored with the response
const SKIPPED_HEADERS = new Set([
  "content-length",
  "etag",
  "cache-control",
  "date",
  "connection",
  ...CONNECTION_HEADERS,
]);

/** The cache key of a URL at a data version (with the inbox runs for the status page). */
function cacheKey(version: DataVersion, withRuns: boolean, url: string): string {
  return `${version.data}|${withRuns ? version.runs : ""}|${url}`;
}

/** Writes a cached answer (200, or 304 to a matching If-None-Match) straight to the socket. */
function answer(cache: ResponseCache, request: FastifyRequest, reply: FastifyReply, hit: Entry): void {
  cache.stats.hits++;
  const notModified = matchesEtag(request.headers["if-none-match"], hit.etag);
  if (notModified) cache.stats.notModified++;
  reply.hijack();
  reply.raw.writeHead(
    notModified ? 304 : 200,
    hit.heads[(notModified ? 2 : 0) + (isSecure(request) ? 1 : 0)],
  );
  reply.raw.end(notModified ? undefined : hit.body);
}

/**
 * Answers cache hits before any other onRequest hook: call first, before the pinned reads, the
 * replica's refusals and the sign-in hooks. Only an anonymous GET (no Authorization, no Cookie) whose
 * answer was stored by a route without onRequest hooks of its own is answered here, and the status
 * page's answers (keyed by the inbox runs too) never are; everything else goes on to the route's
 * lookup (registerResponseCache). A hit reads no database, so it needs no pinned snapshot.
 */
export function registerCacheHits(
  app: FastifyInstance,
  options: Pick<ResponseCacheOptions, "cache" | "versions">,
): void {
  const { cache, versions } = options;
  app.addHook("onRequest", (request, reply, done) => {
    const { headers } = request;
    if (request.method !== "GET" || headers.authorization !== undefined || headers.cookie !== undefined)
      return done();
    const hit = cache.get(cacheKey(versions.current, false, request.url));
    if (hit?.beforeHooks) answer(cache, request, reply, hit);
    // a hijacked reply counts as sent: Fastify runs none of the later hooks
    done();
  });
}

/** Registers the cache hooks on the app; call before the routes and after every other onSend hook. */
export function registerResponseCache(app: FastifyInstance, options: ResponseCacheOptions): void {
  const { cache, versions, runsRoutes, skipRoutes } = options;
  const pending = new WeakMap<FastifyRequest, { key: string; beforeHooks: boolean }>();
  app.decorate("responseCache", cache);
  app.decorate("dataVersions", versions);

  // Each cacheable route gets its own lookup hook, decided once here: per request it is a property
  // read for the version, a string for the key and a Map lookup. It answers the hits registerCacheHits
  // left (a route with hooks of its own, the status page's, a replica's reader sending a cookie) and
  // notes the key of a miss for the onSend hook below.
  const lookup =
    (withRuns: boolean, beforeHooks: boolean): onRequestHookHandler =>
    (request, reply, done) => {
      // answers for someone signed in may differ (admins see file names): never shared
      const { headers } = request;
      if (request.method !== "GET" || headers.authorization !== undefined || headers.cookie !== undefined)
        return done();
      const key = cacheKey(versions.current, withRuns, request.url);
      const hit = cache.get(key);
      if (!hit) {
        cache.stats.misses++;
        pending.set(request, { key, beforeHooks });
        return done();
      }
      answer(cache, request, reply, hit);
      // the hijacked reply counts as sent: Fastify stops the cycle here
      done();
    };

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes("GET") || skipRoutes.has(route.url) || route.config?.cache === false) return;
    const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...hooks, lookup(runsRoutes.has(route.url), hooks.length === 0)];
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const miss = pending.get(request);
    if (miss === undefined) return payload;
    pending.delete(request);
    if (reply.statusCode !== 200) return payload;
    if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
    const control = String(reply.getHeader("cache-control") ?? "");
    if (/no-store|private/i.test(control) || reply.hasHeader("set-cookie")) return payload;
    const body = typeof payload === "string" ? Buffer.from(payload) : payload;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value === undefined || SKIPPED_HEADERS.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
    }
    const etag = etagOf(body);
    // an answer pinned to a release never changes: its route's long-lived Cache-Control is kept
    const cacheControl = /\bimmutable\b/.test(control) ? control : undefined;
    cache.set(miss.key, { body, etag, headers, cacheControl, beforeHooks: miss.beforeHooks });
    reply.header("ETag", etag).header("Cache-Control", cacheControl ?? CACHE_CONTROL);
    if (matchesEtag(request.headers["if-none-match"], etag)) {
      cache.stats.notModified++;
      reply.code(304).removeHeader("content-length");
      return "";
    }
    return body;
  });
}
