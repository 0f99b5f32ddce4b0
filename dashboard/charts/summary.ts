import type { Unit } from "../../indicators/definition.ts";
import { formatChange, formatPeriod, formatValue, yearEarlier } from "../../indicators/format.ts";
import type { Lang } from "../i18n.ts";
import { shownValue, T } from "./text.ts";
import type { ChartValue } from "./types.ts";

type Point = ChartValue & { period: string };

/**
 * What a reader of a series needs in words: the latest shown value and its change (from a year earlier
 * when that period is shown, else from the previous shown value), the highest and the lowest.
 */
export function seriesSummary(
  points: Point[],
  decimals: number,
  unit: Unit | undefined,
  lang: Lang,
  opts: { extremes?: boolean } = {},
): string {
  const t = T[lang];
  const shown = points.flatMap((p) => {
    const v = shownValue(p);
    return v === null ? [] : [{ period: p.period, value: v }];
  });
  const last = shown[shown.length - 1];
  if (!last) return t.noValues;
  const fmt = (v: number) => formatValue(v, decimals, unit, lang);
  const parts = [`${t.latest} ${fmt(last.value)} (${formatPeriod(last.period)})`];
  const earlier = shown.find((p) => p.period === yearEarlier(last.period));
  const previous = shown[shown.length - 2];
  if (earlier && earlier !== last) {
    parts.push(`${t.changeYear} ${formatChange(last.value - earlier.value, decimals, unit, lang)}`);
  } else if (previous) {
    parts.push(
      `${t.changePrev} (${formatPeriod(previous.period)}) ${formatChange(last.value - previous.value, decimals, unit, lang)}`,
    );
  }
  if (opts.extremes !== false && shown.length > 1) {
    const hi = shown.reduce((a, b) => (b.value > a.value ? b : a));
    const lo = shown.reduce((a, b) => (b.value < a.value ? b : a));
    parts.push(`${t.highest} ${fmt(hi.value)} (${formatPeriod(hi.period)})`);
    parts.push(`${t.lowest} ${fmt(lo.value)} (${formatPeriod(lo.period)})`);
  }
  return parts.join(", ");
}

/** The periods of several series in time order (labels of one period type sort as text). */
export function periodsOf(series: { points: Point[] }[]): string[] {
  const all = new Set<string>();
  for (const s of series) for (const p of s.points) all.add(p.period);
  return [...all].sort();
}
