import { Resvg } from "@resvg/resvg-js";
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import type { PlacedAnnotation } from "../../indicators/annotations.ts";
import { barChart } from "../charts/bars.ts";
import { choroplethMap } from "../charts/map.ts";
import { timeSeriesChart } from "../charts/timeseries.ts";
import type { ChartAnnotation, ChartValue } from "../charts/types.ts";
import { HttpError } from "../errors.ts";
import type { Lang } from "../i18n.ts";
import { CHART_FILES, type ChartFile, type PageCharts, sortedMembers } from "./indicator.ts";
import { type IndicatorData, indicatorData, type Query } from "./indicator-data.ts";

/** A published value as a chart gets it: the number or null with its symbol (never a hidden number). */
function chartValue(v: { value: number | null; symbol: string | null } | undefined): ChartValue {
  if (!v) return { value: null, symbol: "." };
  return v.value === null ? { value: null, symbol: v.symbol ?? "." } : { value: v.value, symbol: null };
}

/** Annotations as a chart draws them: the period, the short label and the text in the language. */
export function chartAnnotations(list: PlacedAnnotation[], lang: Lang): ChartAnnotation[] {
  return list.map((a) => ({
    period: a.period,
    label: a.annotation.label[lang],
    text: a.annotation.text[lang],
  }));
}

function common(d: IndicatorData, lang: Lang) {
  const def = d.definition;
  return { lang, title: def.title[lang], unit: def.unit, decimals: def.decimals };
}

/** The chosen area against its county and the whole country. */
function timeSeries(d: IndicatorData, lang: Lang) {
  if ((d.series[0]?.values.length ?? 0) === 0) return null;
  return timeSeriesChart({
    ...common(d, lang),
    annotations: chartAnnotations(d.annotations, lang),
    series: d.series.map((s) => ({
      role: s.role,
      label: s.area.name[lang],
      points: s.values.map((v) => ({ period: v.period, ...chartValue(v) })),
    })),
  });
}

/** The compared areas, sorted as in the table below the chart. */
function bars(d: IndicatorData, lang: Lang) {
  const rows = sortedMembers(d, lang);
  if (rows.length === 0) return null;
  return barChart({
    ...common(d, lang),
    bars: rows.map((r) => ({
      code: r.area.code,
      label: r.area.name[lang],
      highlight: r.area.code === d.area.code,
      ...chartValue(r.value),
    })),
  });
}

/** The municipalities of a county on a map (drawn only when the comparison is a county's municipalities). */
function map(d: IndicatorData, lang: Lang) {
  const c = d.comparison;
  if (c?.level !== "kunta" || c.of.level !== "hyvinvointialue") return null;
  return choroplethMap({
    ...common(d, lang),
    county: c.of.code,
    values: new Map(c.members.map((m) => [m.code, chartValue(c.values.get(m.code))])),
  });
}

/** The charts of the indicator page. */
export const INDICATOR_CHARTS: PageCharts = { timeSeries, bars, map };

const M = {
  unknownChart: {
    fi: "Tuntematon kaavio. Kaaviot: kehitys, vertailu ja kartta (.svg tai .png).",
    sv: "Okänt diagram. Diagrammen: kehitys, vertailu och kartta (.svg eller .png).",
    en: "Unknown chart. The charts: kehitys, vertailu and kartta (.svg or .png).",
  },
  noChart: {
    fi: "Tätä kaaviota ei ole valituille tiedoille (esimerkiksi karttaa ei ole koko maan vertailulle).",
    sv: "Det här diagrammet finns inte för de valda uppgifterna (t.ex. ingen karta för hela landet).",
    en: "This chart does not exist for the chosen figures (e.g. there is no map for the whole country).",
  },
} as const;

/**
 * The family resvg uses where the chart's own list (render.ts FONT_FAMILY) finds nothing: Liberation
 * Sans (Debian's fonts-liberation, metric-compatible with Arial); without it resvg takes the first
 * system font, which may be a serif or a bold face.
 */
export const PNG_FONT_FAMILY = "Liberation Sans";

/** A chart's SVG as a PNG at twice its size, text drawn with the system's fonts. */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, {
    fitTo: { mode: "zoom", value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: PNG_FONT_FAMILY, sansSerifFamily: PNG_FONT_FAMILY },
  })
    .render()
    .asPng();
}

/** A name part as ASCII: `Keski-Uudenmaan hyvinvointialue` → `keski-uudenmaan-hyvinvointialue`. */
export function asciiName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A chart of the indicator page as a download (`kehitys.svg`, `kartta.png`, …): the same SVG the page
 * embeds, or its PNG; HttpError 404 for an unknown chart or one the chosen figures do not have.
 */
export async function chartDownload(
  db: Queryable,
  config: Config,
  lang: Lang,
  id: string,
  file: string,
  query: Query,
  charts: PageCharts = INDICATOR_CHARTS,
): Promise<{ name: string; type: string; body: Buffer }> {
  const match = /^([a-z]+)\.(svg|png)$/.exec(file);
  const chart = match?.[1];
  if (!match || !chart || !Object.hasOwn(CHART_FILES, chart)) throw new HttpError(404, M.unknownChart);
  const format = match[2] === "png" ? "png" : "svg";
  const d = await indicatorData(db, config, id, query);
  const drawn = charts[CHART_FILES[chart as ChartFile]]?.(d, lang);
  if (!drawn) throw new HttpError(404, M.noChart);
  const area = asciiName(d.area.name[lang]) || asciiName(d.area.code);
  const name = [d.definition.id, chart, area, d.period ?? ""].filter((p) => p !== "").join("-");
  return format === "png"
    ? { name: `${name}.png`, type: "image/png", body: svgToPng(drawn.svg) }
    : { name: `${name}.svg`, type: "image/svg+xml", body: Buffer.from(drawn.svg, "utf8") };
}
