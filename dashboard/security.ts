import { createHash } from "node:crypto";
import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config, RateLimit } from "../core/config.ts";
import { isSecure } from "./auth/hook.ts";
import { HttpError } from "./errors.ts";

/**
 * Security headers, the Content-Security-Policy and rate limits of every response.
 *
 * The CSP of a page allows one script, /seuranta.js from our own origin (`script-src 'self'`: optional,
 * the pages work without JavaScript; no inline script or eval), and exactly the
 * inline `<style>` blocks that page carries, by their SHA-256: the layout's base style sheet, a page's
 * own head style and the `<style>` Observable Plot puts inside every chart SVG. The hashes are computed
 * from each rendered response rather than from a fixed list, because which blocks a page has depends
 * on its charts, and a new page's style is then allowed without anyone keeping a list in step. Only
 * what the server itself rendered is hashed, and every text reaching a page is escaped, so an
 * injected `<style>` would already need an escaping bug; inline scripts, `style="…"` attributes and event
 * handlers stay blocked whatever the body holds. The hashing runs once per rendered page: the
 * response cache (dashboard/cache.ts) stores the headers with the body, so this module's onSend hook
 * is registered before the cache's, and a cache hit keeps the CSP it was stored with.
 */

/** The headers every response carries, whatever its type. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  // not no-referrer: a browser then sends `Origin: null` with forms, and the CSRF check compares Origin
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  // only features Chromium knows: an unknown one is logged as a console error on every page
  "permissions-policy":
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
};

/** Sent only over TLS (browsers ignore it over plain HTTP, and it must not outlive a TLS set-up). */
export const HSTS = "max-age=31536000; includeSubDomains";

/** Names of the headers that depend on the connection (connectionHeaders): never cached with a body. */
export const CONNECTION_HEADERS: readonly string[] = ["strict-transport-security"];
const OVER_TLS: Readonly<Record<string, string>> = { "strict-transport-security": HSTS };
const PLAIN: Readonly<Record<string, string>> = {};

/** The headers a response gets for coming over TLS (directly or behind a proxy) or not. */
export function connectionHeaders(secure: boolean): Readonly<Record<string, string>> {
  return secure ? OVER_TLS : PLAIN;
}

/** The CSP of responses that are neither pages nor SVG: JSON, CSV, XLSX, PNG, text. */
export const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const STYLE_BLOCK = /<style(?:\s[^>]*)?>([\s\S]*?)<\/style\s*>/gi;

const hashes = new Map<string, string>();

/** The CSP source of an inline style block's text: `'sha256-…'` (memoised: pages repeat the same blocks). */
export function styleHash(css: string): string {
  let hash = hashes.get(css);
  if (hash === undefined) {
    hash = `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`;
    // the blocks are a small fixed set in practice; the bound only guards against a runaway caller
    if (hashes.size >= 1000) hashes.clear();
    hashes.set(css, hash);
  }
  return hash;
}

/**
 * The hash sources of every `<style>` block of an HTML or SVG text, in order of appearance, each once.
 * Browsers hash an element's text as parsed; the blocks hold no character references or markup
 * (inside SVG they would be decoded first), which the CSP tests check in a real browser.
 */
export function styleHashes(markup: string): string[] {
  return [...new Set([...markup.matchAll(STYLE_BLOCK)].map((m) => styleHash(m[1] ?? "")))];
}

function styleSrc(hashList: string[]): string {
  return hashList.length === 0 ? "'none'" : hashList.join(" ");
}

/** The CSP of a page whose inline styles have these hashes. */
export function pageCsp(hashList: string[]): string {
  return [
    "default-src 'none'",
    // the one optional script, /seuranta.js, from our own origin; no inline script, no eval
    "script-src 'self'",
    `style-src ${styleSrc(hashList)}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Whether a URL is an embed page (`/upotus/…`, `/sv/upotus/…`, `/en/upotus/…`): the only pages another
 * site may put in a frame, and only from the origins of SEURANTA_EMBED_ORIGINS.
 */
export function isEmbedUrl(url: string): boolean {
  return /^(?:\/(?:sv|en))?\/upotus\//.test(url);
}

/** The frame-ancestors source list of the embed pages: the allowed origins, or 'none' without any. */
export function embedAncestors(origins: readonly string[]): string {
  return origins.length === 0 ? "'none'" : origins.join(" ");
}

/** The CSP of a chart SVG opened on its own: its own style block and nothing else. */
export function svgCsp(hashList: string[]): string {
  return `default-src 'none'; style-src ${styleSrc(hashList)}; frame-ancestors 'none'`;
}

function cspFor(contentType: string, payload: unknown, ancestors: string | null): string {
  const isHtml = contentType.startsWith("text/html");
  const isSvg = contentType.startsWith("image/svg+xml");
  if (!isHtml && !isSvg) return STRICT_CSP;
  const text =
    typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
  const hashList = styleHashes(text);
  if (isHtml && ancestors !== null)
    return pageCsp(hashList).replace("frame-ancestors 'none'", `frame-ancestors ${ancestors}`);
  return isHtml ? pageCsp(hashList) : svgCsp(hashList);
}

// ---------------------------------------------------------------------------------------------------
// Rate limits

/** Per-app limits, read from the configuration by the route options below. */
export interface RateLimitSettings {
  signin: RateLimit;
  upload: RateLimit;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The rate limits of this app (SEURANTA_RATE_SIGNIN, SEURANTA_RATE_UPLOAD). */
    rateLimits: RateLimitSettings;
  }
}

const windowMs = (limit: RateLimit) => Math.round(limit.minutes * 60_000);

/** Who a limit counts: the token holder when there is one, else the client's address. */
function tokenOrIp(request: FastifyRequest): string {
  return request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`;
}

/**
 * Route options of the rate-limited routes: `config: { rateLimit: RATE_LIMITS.signin }`. The numbers
 * come from the app's configuration when a request arrives; `groupId` makes the fi, sv and en variants
 * of a route share one count.
 */
export const RATE_LIMITS = {
  /** Sign-in attempts per IP address (default 10 in 15 minutes). */
  signin: {
    groupId: "signin",
    max: (request: FastifyRequest) => request.server.rateLimits.signin.max,
    timeWindow: (request: FastifyRequest) => windowMs(request.server.rateLimits.signin),
    keyGenerator: (request: FastifyRequest) => `ip:${request.ip}`,
  },
  /** Uploads per token, or per IP address without one (default 30 in 10 minutes). */
  upload: {
    groupId: "upload",
    max: (request: FastifyRequest) => request.server.rateLimits.upload.max,
    timeWindow: (request: FastifyRequest) => windowMs(request.server.rateLimits.upload),
    keyGenerator: tokenOrIp,
  },
} satisfies Record<string, RateLimitOptions>;

type Counter = { current: number; start: number; window: number };

/**
 * The counts, in memory (one process serves the app). Unlike the plugin's own store, every route
 * with the same `groupId` shares one count, so `/kirjaudu`, `/sv/kirjaudu` and `/en/kirjaudu` are
 * one limit, not three.
 */
class GroupedStore implements FastifyRateLimitStore {
  private static readonly MAX_KEYS = 10_000;
  private readonly groups: Map<string, GroupedStore>;
  private readonly counters = new Map<string, Counter>();

  constructor(_options?: unknown, groups?: Map<string, GroupedStore>) {
    this.groups = groups ?? new Map();
  }

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
  ): void {
    const now = Date.now();
    let counter = this.counters.get(key);
    if (!counter || counter.start + counter.window <= now) {
      if (!counter && this.counters.size >= GroupedStore.MAX_KEYS) this.prune(now);
      counter = { current: 0, start: now, window: timeWindow };
      this.counters.set(key, counter);
    }
    counter.current++;
    callback(null, { current: counter.current, ttl: counter.start + counter.window - now });
  }

  // the plugin passes the route's merged limit options (typed as the route's options)
  child(options: object): GroupedStore {
    const group = (options as { groupId?: string }).groupId;
    if (group === undefined) return new GroupedStore(undefined, this.groups);
    let store = this.groups.get(group);
    if (!store) {
      store = new GroupedStore(undefined, this.groups);
      this.groups.set(group, store);
    }
    return store;
  }

  /** Drops expired counts; if all are live, the oldest half (a flood of addresses must not grow memory). */
  private prune(now: number): void {
    for (const [key, counter] of this.counters)
      if (counter.start + counter.window <= now) this.counters.delete(key);
    if (this.counters.size < GroupedStore.MAX_KEYS) return;
    let drop = Math.floor(this.counters.size / 2);
    for (const key of this.counters.keys()) {
      if (drop-- <= 0) break;
      this.counters.delete(key);
    }
  }
}

const TOO_MANY = {
  text: {
    fi: (minutes: number) =>
      `Liian monta yritystä lyhyessä ajassa. Yritä uudelleen ${minutes === 1 ? "minuutin" : `${minutes} minuutin`} kuluttua.`,
    sv: (minutes: number) =>
      `För många försök på kort tid. Försök igen om ${minutes === 1 ? "en minut" : `${minutes} minuter`}.`,
    en: (minutes: number) =>
      `Too many attempts in a short time. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`,
  },
} as const;

/**
 * Registers the security headers, the CSP and the rate-limit plugin (limits only on routes whose
 * options carry `config.rateLimit`). Call before the response cache and the routes.
 */
export async function registerSecurity(
  app: FastifyInstance,
  config: Pick<Config, "rateSignin" | "rateUpload"> & Partial<Pick<Config, "embedOrigins">>,
): Promise<void> {
  const ancestors = embedAncestors(config.embedOrigins ?? []);
  app.decorate("rateLimits", { signin: config.rateSignin, upload: config.rateUpload });
  // requests over their limit, with the seconds until they may try again
  const limited = new WeakSet<FastifyRequest>();

  await app.register(rateLimit, {
    global: false,
    store: GroupedStore,
    errorResponseBuilder: (request, context) => {
      const seconds = Math.ceil(context.ttl / 1000);
      limited.add(request);
      request.log.warn(
        { event: "security.rate_limited", route: request.routeOptions.url, ip: request.ip },
        "rate limit exceeded",
      );
      // answered by the app's error handler: JSON under /api/, a page in the URL's language elsewhere
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      return new HttpError(
        context.statusCode,
        { fi: TOO_MANY.text.fi(minutes), sv: TOO_MANY.text.sv(minutes), en: TOO_MANY.text.en(minutes) },
        { code: "rate_limited", headers: { "cache-control": "no-store" } },
      );
    },
  });

  app.addHook("onRoute", (route) => {
    // a response cache hit would be answered without counting it against the limit: never cached
    if (route.config?.rateLimit) route.config = { ...route.config, cache: false };
  });

  app.addHook("onSend", async (request, reply, payload) => {
    // a refused request's page is not the route's: its policy is made for the page sent
    if (limited.has(request) && reply.statusCode === 429) reply.removeHeader("content-security-policy");
    applyHeaders(request, reply, payload, isEmbedUrl(request.url) ? ancestors : null);
    return payload;
  });
}

function applyHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  ancestors: string | null,
): void {
  reply.headers(SECURITY_HEADERS);
  // an embed page: framing decided by CSP frame-ancestors alone (X-Frame-Options cannot name origins)
  if (ancestors !== null) reply.removeHeader("x-frame-options");
  for (const name of CONNECTION_HEADERS) reply.removeHeader(name);
  reply.headers(connectionHeaders(isSecure(request)));
  // a route with its own policy already has one
  if (!reply.hasHeader("content-security-policy"))
    reply.header(
      "content-security-policy",
      cspFor(String(reply.getHeader("content-type") ?? ""), payload, ancestors),
    );
}
