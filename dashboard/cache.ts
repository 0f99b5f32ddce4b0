import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Queryable } from "../core/db.ts";

/**
 * Response cache of the pages and downloads. A page is a pure function of its URL (language and query
 * included) and the data version: the latest load and the latest indicator recompute (and, for the
 * status page, the latest inbox run). The version is read afresh for every request
 * (one tiny query on the reader connection), so a page never shows figures older than the last commit.
 * Rendered 200 responses are kept in an LRU bounded by bytes; every cached route answers with an ETag
 * (a hash of the body), `Cache-Control: public, max-age=0, must-revalidate`, and 304 to a matching
 * `If-None-Match`. Errors (any status other than 200), streamed bodies, responses that set a cookie or
 * say `no-store`/`private`, and requests carrying credentials (Authorization or Cookie) bypass it.
 * A route opts out with `config: { cache: false }`.
 */

export const CACHE_CONTROL = "public, max-age=0, must-revalidate";
/** Default bound of the cached bodies and headers (SEURANTA_CACHE_MB overrides it in buildApp). */
export const DEFAULT_CACHE_BYTES = 50 * 1024 * 1024;

export interface CachedResponse {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
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
  private readonly entries = new Map<string, CachedResponse & { size: number }>();
  private total = 0;
  readonly stats: CacheStats = { hits: 0, misses: 0, stores: 0, evictions: 0, notModified: 0 };

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // most recently used last
    this.entries.delete(key);
    this.entries.set(key, entry);
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
    this.entries.set(key, { ...response, size });
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

/**
 * Reads the data version on the reader connection. Requests that arrive while a read is running share
 * the next read (never one that began before they arrived, so none can miss a commit made before it).
 */
export class VersionReader {
  private current: Promise<DataVersion> | null = null;
  private next: Promise<DataVersion> | null = null;

  constructor(private readonly db: () => Promise<Queryable>) {}

  read(): Promise<DataVersion> {
    if (!this.current) {
      this.current = this.query().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    if (!this.next) {
      const after = this.current.catch(() => undefined);
      this.next = after.then(() => {
        this.next = null;
        return this.read();
      });
    }
    return this.next;
  }

  private async query(): Promise<DataVersion> {
    const db = await this.db();
    let row: Record<string, string | null> | undefined;
    try {
      row = await db.one<Record<string, string | null>>(VERSION_SQL(true));
    } catch {
      // indicator_runs exists only after the first recompute (ensureResultsTables)
      row = await db.one<Record<string, string | null>>(VERSION_SQL(false));
    }
    return { data: `${row?.l ?? "-"}.${row?.i ?? "-"}`, runs: row?.r ?? "-" };
  }
}

export interface ResponseCacheOptions {
  cache: ResponseCache;
  versions: VersionReader;
  /** Route patterns (as registered) whose pages also show inbox runs: their key includes DataVersion.runs. */
  runsRoutes: ReadonlySet<string>;
  /** Route patterns never cached (health checks). */
  skipRoutes: ReadonlySet<string>;
}

declare module "fastify" {
  interface FastifyInstance {
    responseCache: ResponseCache;
  }
  interface FastifyContextConfig {
    /** false: never cache this route's responses. */
    cache?: boolean;
  }
}

function etagOf(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header names the ETag (a list, weak validators and `*` included). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

const SKIPPED_HEADERS = new Set(["content-length", "etag", "cache-control", "date", "connection"]);

/** Registers the cache hooks on the app; call before the routes are registered. */
export function registerResponseCache(app: FastifyInstance, options: ResponseCacheOptions): void {
  const { cache, versions, runsRoutes, skipRoutes } = options;
  const pending = new WeakMap<FastifyRequest, string>();
  app.decorate("responseCache", cache);

  const cacheable = (request: FastifyRequest): boolean => {
    if (request.method !== "GET") return false;
    const route = request.routeOptions.url;
    if (route === undefined || skipRoutes.has(route) || request.routeOptions.config.cache === false)
      return false;
    // answers for someone signed in may differ (admins see file names): never shared
    return request.headers.authorization === undefined && request.headers.cookie === undefined;
  };

  app.addHook("onRequest", async (request, reply) => {
    if (!cacheable(request)) return;
    const version = await versions.read();
    const route = request.routeOptions.url ?? "";
    const key = `${version.data}|${runsRoutes.has(route) ? version.runs : ""}|${request.url}`;
    const hit = cache.get(key);
    if (!hit) {
      cache.stats.misses++;
      pending.set(request, key);
      return;
    }
    cache.stats.hits++;
    reply.headers(hit.headers).header("ETag", hit.etag).header("Cache-Control", CACHE_CONTROL);
    if (matchesEtag(request.headers["if-none-match"], hit.etag)) {
      cache.stats.notModified++;
      return sendNotModified(reply);
    }
    return reply.send(hit.body);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const key = pending.get(request);
    if (key === undefined) return payload;
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
    cache.set(key, { body, etag, headers });
    reply.header("ETag", etag).header("Cache-Control", CACHE_CONTROL);
    if (matchesEtag(request.headers["if-none-match"], etag)) {
      cache.stats.notModified++;
      reply.code(304).removeHeader("content-length");
      return "";
    }
    return body;
  });
}

function sendNotModified(reply: FastifyReply): FastifyReply {
  reply.removeHeader("content-type");
  reply.removeHeader("content-disposition");
  return reply.code(304).send();
}
