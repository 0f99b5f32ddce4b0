import type { FastifyInstance } from "fastify";
import type { Config } from "../../core/config.ts";
import { escapeHtml } from "./html.ts";
import type { Query } from "./indicator-data.ts";

/**
 * oEmbed 1.0 (https://oembed.com/): `/oembed?url=<page>&format=json` answers type `rich` with an
 * <iframe> of the page's embed. The url may be an embed page (/upotus/…), an indicator page (its
 * time series) or a compare page, at SEURANTA_PUBLIC_URL; anything else is a 404, as the spec asks.
 * The embed is rendered through the app itself, so the answer names only pages that exist.
 */

/** The absolute URL of the oEmbed answer for a page (the discovery link in its head). */
export function oembedHref(config: Pick<Config, "publicUrl">, pageUrl: string): string {
  return `${config.publicUrl}/oembed?${new URLSearchParams({ url: `${config.publicUrl}${pageUrl}`, format: "json" })}`;
}

const DEFAULT = { width: 800, height: 640 };

/** The embed path of a page path (with its language prefix and query), or null for no embed. */
export function embedPathOf(pathAndQuery: string): string | null {
  const m = /^(\/(?:sv|en))?(\/[^?#]*)(\?[^#]*)?$/.exec(pathAndQuery);
  if (!m) return null;
  const [, prefix = "", path = "", query = ""] = m;
  if (/^\/upotus\/(?:indikaattori\/[a-z0-9-]+\/[a-z]+|vertailu)$/.test(path))
    return `${prefix}${path}${query}`;
  const indicator = /^\/indikaattori\/([a-z0-9-]+)$/.exec(path);
  if (indicator) return `${prefix}/upotus/indikaattori/${indicator[1]}/kehitys${query}`;
  if (path === "/vertailu") return `${prefix}/upotus/vertailu${query}`;
  return null;
}

function size(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? Math.min(n, fallback) : fallback;
}

const error = (status: number, message: string) => ({ status, body: { error: message } });

/** The oEmbed answer (status and JSON body) for a request's parameters. */
export async function oembedAnswer(
  app: FastifyInstance,
  config: Pick<Config, "publicUrl">,
  query: Query,
): Promise<{ status: number; body: object }> {
  const format = query.format ?? "json";
  if (format !== "json") return error(501, "only format=json is served");
  const url = query.url;
  if (typeof url !== "string" || url === "") return error(400, "url is required");
  let pathAndQuery: string;
  if (url.startsWith(`${config.publicUrl}/`)) pathAndQuery = url.slice(config.publicUrl.length);
  else if (url.startsWith("/") && !url.startsWith("//")) pathAndQuery = url;
  else return error(404, `url is not a page of ${config.publicUrl}`);
  const embed = embedPathOf(pathAndQuery);
  if (!embed) return error(404, "the url has no embed (indicator, compare and /upotus/ pages have)");
  const page = await app.inject({ method: "GET", url: embed });
  if (page.statusCode !== 200) return error(404, "the url's page does not exist");
  const title = /<h1>([\s\S]*?)<\/h1>/.exec(page.body)?.[1] ?? "Seuranta";
  const width = size(query.maxwidth, DEFAULT.width);
  const height = size(query.maxheight, DEFAULT.height);
  const src = `${config.publicUrl}${embed}`;
  return {
    status: 200,
    body: {
      version: "1.0",
      type: "rich",
      title: title
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
      provider_name: "Seuranta",
      provider_url: `${config.publicUrl}/`,
      html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${title}" loading="lazy"></iframe>`,
      width,
      height,
    },
  };
}
