import type * as PlotTypes from "@observablehq/plot";
import type { Unit } from "../../indicators/definition.ts";
import { formatNumber, formatPeriod, UNIT_TEXT } from "../../indicators/format.ts";
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

/**
 * The scales of a time series: periods along x (a label every few periods where they do not fit, on the
 * first quarters of years when quarterly) and the value axis along y with the unit at the top.
 */
export function timeScales(
  periods: string[],
  axis: { domain: [number, number]; ticks: number[]; decimals: number },
  plotWidth: number,
  unit: Unit,
  lang: Lang,
): { x: PlotTypes.ScaleOptions; y: PlotTypes.ScaleOptions } {
  const step = Math.max(1, Math.ceil((periods.length * 58) / plotWidth));
  const quarterly = periods.every((p) => /^\d{4}Q[1-4]$/i.test(p));
  const labelStep = quarterly && step > 1 ? Math.ceil(step / 4) * 4 : step;
  const firstLabel =
    quarterly && labelStep % 4 === 0
      ? Math.max(
          0,
          periods.findIndex((p) => /Q1$/i.test(p)),
        )
      : 0;
  const xTicks = periods.filter((_, i) => i >= firstLabel && (i - firstLabel) % labelStep === 0);
  return {
    x: { type: "point", domain: periods, ticks: xTicks, tickFormat: formatPeriod, label: null, padding: 0.3 },
    y: {
      domain: axis.domain,
      ticks: axis.ticks,
      tickFormat: tickFormat(axis.decimals, lang),
      grid: true,
      label: UNIT_TEXT[unit][lang],
      labelArrow: "none",
      labelAnchor: "top",
    },
  };
}
