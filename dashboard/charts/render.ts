import { createHash } from "node:crypto";
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { Chart } from "./types.ts";

/**
 * Observable Plot on the server: one linkedom document for every chart, and the step that turns Plot's
 * SVG element into the bytes a page embeds. The result is deterministic: Plot's random class name is
 * replaced by a fixed one per chart kind and its counter-based clip ids by ids derived from the content.
 */

/** The page's typeface first; resvg and browsers fall back to the next available one. */
export const FONT_FAMILY = "'Source Sans Pro', 'Source Sans 3', Arial, 'Liberation Sans', sans-serif";

/** The colour of text in charts (suomi.fi blackBase). */
export const TEXT_COLOUR = "#212121";
/** The colour of secondary text and symbols of hidden values. */
export const MUTED_COLOUR = "#5F686D";

/** The part of a DOM element the charts use (the project compiles without the DOM library). */
export interface SvgElement {
  tagName: string;
  outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): Iterable<SvgElement>;
}

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;
let cached: PlotDocument | undefined;

/** The shared DOM document Plot draws into. */
export function chartDocument(): PlotDocument {
  cached ??= parseHTML("<!doctype html><html><head></head><body></body></html>")
    .document as unknown as PlotDocument;
  return cached;
}

/**
 * The two pictures of every chart: `wide` for screens and the downloads, `narrow` for a phone, drawn
 * about as wide (in SVG units) as a phone's screen in CSS pixels, so that its 12-unit text stays near
 * 12 px there instead of shrinking with a wide picture to 5 px.
 */
export type Variant = "wide" | "narrow";

/** The narrow picture's width: a 360 px phone less the page's margins, so it is drawn at least 1:1. */
export const NARROW_WIDTH = 340;

/**
 * A chart's pictures for a page: both SVGs, marked `chart-wide` and `chart-narrow`; the base style
 * sheet (theme.ts) shows the narrow one on screens up to 40rem and the wide one elsewhere, so the
 * choice needs no script and no second request.
 */
export function chartImages(chart: Chart): string {
  const mark = (svg: string, variant: Variant) =>
    svg.replace(/^(<svg[^>]*? class=")([^"]*)"/, `$1$2 chart-${variant}"`);
  return chart.narrow === undefined ? chart.svg : `${mark(chart.svg, "wide")}${mark(chart.narrow, "narrow")}`;
}

/** Plot.plot on the server, with the shared document, the page typeface and a fixed class name. */
export function plot(kind: string, options: Plot.PlotOptions): SvgElement {
  const el = Plot.plot({
    document: chartDocument(),
    className: `seuranta-${kind}`,
    ...options,
  });
  // The text colour as a presentation attribute, not Plot's `style` option: a style="…" attribute is
  // inline CSS that the Content-Security-Policy blocks (dashboard/security.ts); resvg reads both.
  el.setAttribute("color", TEXT_COLOUR);
  el.setAttribute("font-family", FONT_FAMILY);
  el.setAttribute("font-size", "12");
  if (el.tagName.toLowerCase() !== "svg")
    throw new Error(`chart ${kind}: Plot returned a ${el.tagName}, not an svg`);
  return el as unknown as SvgElement;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * The finished SVG: `role="img"`, its `<title>` and `<desc>` first, the namespace (so the file opens on
 * its own and resvg can read it), width/height/viewBox, `extra` markup drawn below the plot (a map
 * legend), and stable ids.
 */
export function finishSvg(
  el: SvgElement,
  opts: { title: string; desc: string; lang: string; extra?: { markup: string; height: number } },
): string {
  const width = Number(el.getAttribute("width"));
  let height = Number(el.getAttribute("height"));
  if (opts.extra) height += opts.extra.height;
  el.setAttribute("width", String(width));
  el.setAttribute("height", String(height));
  el.setAttribute("viewBox", `0 0 ${width} ${height}`);
  el.removeAttribute("aria-label");
  el.removeAttribute("aria-description");
  // The whole SVG is one image described by its <title> and <desc>; Plot's aria-labels on inner groups
  // ("rule", "x-axis tick") are not allowed there (axe: aria-prohibited-attr) and say nothing useful.
  for (const inner of el.querySelectorAll("[aria-label], [aria-description]")) {
    inner.removeAttribute("aria-label");
    inner.removeAttribute("aria-description");
  }
  // `height: intrinsic` is an old WebKit value that repeats `height` (linters flag the snapshot); drop it.
  let svg = el.outerHTML.replace(/\n {2}height: intrinsic;/, "");
  // Plot fills the background through a CSS variable that resvg does not know; a rect draws it.
  const open = svg.indexOf(">") + 1;
  const head = `<title>${escapeXml(opts.title)}</title><desc>${escapeXml(opts.desc)}</desc><rect width="${width}" height="${height}" fill="white" aria-hidden="true"/>`;
  svg = `${svg.slice(0, open)}${head}${svg.slice(open)}`;
  if (opts.extra) svg = svg.replace(/<\/svg>$/, `${opts.extra.markup}</svg>`);
  svg = svg.replace(
    /^<svg /,
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" xml:lang="${opts.lang}" lang="${opts.lang}" `,
  );
  svg = roundCoordinates(svg);
  return stableIds(svg);
}

/** Coordinates to two decimals: the same picture in fewer bytes (`145.00000000000003` → `145`). */
function roundCoordinates(svg: string): string {
  return svg.replace(/="([^"]*)"/g, (_, value: string) => {
    const rounded = value.replace(/\d+\.\d{3,}/g, (m) => String(Math.round(Number(m) * 100) / 100));
    return `="${rounded}"`;
  });
}

/** Plot's clip and pattern ids come from a process-wide counter; name them by the content instead. */
function stableIds(svg: string): string {
  const ids = [...new Set(svg.match(/plot-(?:clip|pattern)-\d+/g) ?? [])];
  if (ids.length === 0) return svg;
  const hash = createHash("sha256")
    .update(svg.replace(/plot-(?:clip|pattern)-\d+/g, ""))
    .digest("hex")
    .slice(0, 8);
  const names = new Map(ids.map((id, i) => [id, `c${hash}-${i + 1}`]));
  return svg.replace(/plot-(?:clip|pattern)-\d+/g, (m) => names.get(m) ?? m);
}

export { escapeXml };
