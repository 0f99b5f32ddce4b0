import { formatNumber } from "../../indicators/format.ts";
import type { Lang } from "../i18n.ts";

/**
 * Round axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) from `lo` to `hi`, so that the axis
 * and its labels are decided here and not by the renderer: labels then use the Finnish number format.
 */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; decimals: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / power === 2.5 ? 1 : 0));
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step * 1e-9; i++)
    ticks.push(Number((start + i * step).toFixed(decimals)));
  return { ticks, decimals };
}

/** Tick labels in the language's number format, all with the same number of decimals. */
export function tickFormat(decimals: number, lang: Lang): (d: number) => string {
  return (d) => formatNumber(d, decimals, lang);
}

/** The value axis of a chart: ticks from zero (or the lowest value below zero) to the highest value. */
export function valueAxis(values: number[]): { domain: [number, number]; ticks: number[]; decimals: number } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const { ticks, decimals } = niceTicks(lo, hi === lo ? lo + 1 : hi);
  return { domain: [ticks[0] ?? lo, ticks[ticks.length - 1] ?? hi], ticks, decimals };
}
