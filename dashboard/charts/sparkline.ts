import * as Plot from "@observablehq/plot";
import { formatPeriod, formatValue } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { finishSvg, plot } from "./render.ts";
import { periodsOf, seriesSummary } from "./summary.ts";
import { fullStop, hiddenSentence, hiddenSymbol, sentence, shownValue, T } from "./text.ts";
import type { Chart, SparklineInput } from "./types.ts";

/**
 * A small line without axes for a tile: the shape of the series in brand blue, its last shown value as a
 * dot, hidden values as gaps. The text alternative gives the first and the latest value and the change.
 */

const WIDTH = 160;
const HEIGHT = 40;

interface Row {
  period: string;
  value: number | null;
}

export function sparkline(input: SparklineInput): Chart {
  const { lang, decimals, unit } = input;
  const t = T[lang];
  const periods = periodsOf([input]);
  const rows: Row[] = input.points.map((p) => ({ period: p.period, value: shownValue(p) }));
  const shown = rows.filter((r) => r.value !== null);
  const last = shown[shown.length - 1];
  const first = shown[0];
  const values = shown.map((r) => r.value ?? 0);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(1, Math.abs(hi) * 0.1);

  const el = plot("sparkline", {
    width: WIDTH,
    height: HEIGHT,
    margin: 5,
    x: { type: "point", domain: periods, axis: null },
    y: { domain: shown.length > 0 ? [lo - pad, hi + pad] : [0, 1], axis: null },
    marks: [
      Plot.lineY(rows, {
        x: "period",
        y: "value",
        stroke: CHART_COLOURS.area,
        strokeWidth: 2,
        ariaHidden: "true",
      }),
      // A value between two hidden ones would have no line at all: every shown value gets a small dot.
      Plot.dot(shown, { x: "period", y: "value", r: 1.2, fill: CHART_COLOURS.area, ariaHidden: "true" }),
      Plot.dot(last ? [last] : [], {
        x: "period",
        y: "value",
        r: 3,
        fill: CHART_COLOURS.area,
        ariaHidden: "true",
      }),
    ],
  });

  const parts: string[] = [];
  if (first && last && periods.length > 0) {
    parts.push(
      fullStop(
        `${formatPeriod(periods[0] ?? "")}–${formatPeriod(periods[periods.length - 1] ?? "")}: ${t.first} ${formatValue(first.value ?? 0, decimals, unit, lang)} (${formatPeriod(first.period)}), ${seriesSummary(input.points, decimals, unit, lang, { extremes: false })}`,
      ),
    );
  } else {
    parts.push(`${sentence(t.noValues)}.`);
  }
  const hidden = input.points
    .filter((p) => shownValue(p) === null)
    .map((p) => ({ symbol: hiddenSymbol(p), name: formatPeriod(p.period) }));
  parts.push(hiddenSentence(hidden, lang));
  const alt = parts.filter((p) => p !== "").join(" ");
  return { svg: finishSvg(el, { title: input.label, desc: alt, lang }), alt };
}
