import { barChart } from "../charts/bars.ts";
import { choroplethMap } from "../charts/map.ts";
import { timeSeriesChart } from "../charts/timeseries.ts";
import type { ChartValue } from "../charts/types.ts";
import type { Lang } from "../i18n.ts";
import { type PageCharts, sortedMembers } from "./indicator.ts";
import type { IndicatorData } from "./indicator-data.ts";

/** A published value as a chart gets it: the number or null with its symbol (never a hidden number). */
function chartValue(v: { value: number | null; symbol: string | null } | undefined): ChartValue {
  if (!v) return { value: null, symbol: "." };
  return v.value === null ? { value: null, symbol: v.symbol ?? "." } : { value: v.value, symbol: null };
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
