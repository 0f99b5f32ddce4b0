import type { Queryable } from "../core/db.ts";
import { etagOf, matchesEtag } from "./cache.ts";
import { releasesFeed } from "./pages/feed.ts";

/** A rendered feed with its validators. */
export interface CachedFeed {
  body: string;
  etag: string;
  /** The latest release's time as an HTTP date; null before the first release. */
  lastModified: string | null;
}

/** Feeds kept at once, one per host the requests came to (the links are absolute). */
const ORIGINS_KEPT = 16;

/**
 * The Atom feed of releases (/julkaisut.atom) kept in memory until a new release appears. Whether one
 * did is asked of the database only when the data version in memory has moved (a load, a recompute, a
 * replica's switch): between writes a request runs no query. Kept per origin, as the feed's links are
 * absolute.
 */
export class ReleaseFeedCache {
  private checkedAt: string | null = null;
  private release: string | null = null;
  private lastModified: string | null = null;
  private readonly feeds = new Map<string, CachedFeed>();

  constructor(
    private readonly db: Queryable,
    /** The data version now (DataVersions.current.data). */
    private readonly dataVersion: () => string,
  ) {}

  /** The feed for `origin` (scheme and host), rendered when the latest release changed since the last one. */
  async get(origin: string): Promise<CachedFeed> {
    const version = this.dataVersion();
    if (version !== this.checkedAt) {
      const latest = await this.db.one<{ id: number | null; at: string | null }>(
        `SELECT max(release_id) AS id, strftime(max(created_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS at FROM releases`,
      );
      const release = `${latest?.id ?? "-"}|${latest?.at ?? "-"}`;
      if (release !== this.release) {
        this.feeds.clear();
        this.release = release;
        this.lastModified = latest?.at ? new Date(latest.at).toUTCString() : null;
      }
      this.checkedAt = version;
    }
    const kept = this.feeds.get(origin);
    if (kept) return kept;
    const body = await releasesFeed(this.db, origin);
    const feed = { body, etag: etagOf(body), lastModified: this.lastModified };
    if (this.feeds.size >= ORIGINS_KEPT) this.feeds.delete(this.feeds.keys().next().value as string);
    this.feeds.set(origin, feed);
    return feed;
  }
}

/**
 * Whether a conditional GET may be answered 304: If-None-Match names the feed's ETag, or (only without
 * If-None-Match, RFC 9110 13.2.2) If-Modified-Since is not before the latest release.
 */
export function feedNotModified(
  headers: { "if-none-match"?: string; "if-modified-since"?: string },
  feed: CachedFeed,
): boolean {
  if (headers["if-none-match"] !== undefined) return matchesEtag(headers["if-none-match"], feed.etag);
  const since = headers["if-modified-since"];
  if (since === undefined || feed.lastModified === null) return false;
  const at = Date.parse(since);
  return !Number.isNaN(at) && Date.parse(feed.lastModified) <= at;
}
