import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { formatPeriod, formatValue } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { annotationMarks, annotationSentence } from "./annotations.ts";
import { legendMarkup, linesLegend } from "./legend.ts";
import { finishSvg, MUTED_COLOUR, NARROW_WIDTH, plot, type Variant } from "./render.ts";
import { periodsOf, seriesSummary } from "./summary.ts";
import { fullStop, hiddenSentence, hiddenSymbol, shownValue, T, unitName } from "./text.ts";
import { timeScales, valueAxis } from "./ticks.ts";
import type { Chart, TimeSeriesInput } from "./types.ts";

/**
 * A time series of the chosen area (brand blue, solid), its county (orange, long dashes) and the whole
 * country (grey, short dashes). A hidden value is a gap in its line, with its symbol (`..`, `.`, `–`)
 * written in the series' colour just above the time axis; the text alternative names it.
 */

/** The wide picture as before phones were thought of; the narrow one has room only for the plot. */
const LAYOUT = {
  wide: { width: 640, height: 320, marginLeft: 56, marginRight: 24, legendX: 56 },
  narrow: { width: NARROW_WIDTH, height: 240, marginLeft: 44, marginRight: 20, legendX: 8 },
} as const;
const STYLE = {
  area: { colour: CHART_COLOURS.area, dash: undefined, width: 3 },
  county: { colour: CHART_COLOURS.county, dash: "8,4", width: 2.5 },
  country: { colour: CHART_COLOURS.country, dash: "3,3", width: 2.5 },
} as const;

interface Row {
  period: string;
  value: number | null;
  symbol: string;
  label: string;
}

export function timeSeriesChart(input: TimeSeriesInput): Chart {
  const { lang, unit, decimals } = input;
  const t = T[lang];
  const periods = periodsOf(input.series);
  const shownValues = input.series.flatMap((s) => s.points.map(shownValue)).filter((v) => v !== null);
  const axis = valueAxis(shownValues);
  const marks: PlotTypes.Markish[] = [Plot.ruleY([axis.domain[0]], { stroke: MUTED_COLOUR })];
  const hidden: { symbol: string; name: string }[] = [];

  input.series.forEach((s, index) => {
    const style = STYLE[s.role];
    const byPeriod = new Map(s.points.map((p) => [p.period, p]));
    // Every period of the axis is a row, so that a period this series lacks is a gap as well.
    const rows: Row[] = periods.map((period) => {
      const p = byPeriod.get(period);
      return {
        period,
        value: p ? shownValue(p) : null,
        symbol: p ? hiddenSymbol(p) : ".",
        label: s.label,
      };
    });
    for (const r of rows) {
      if (r.value === null && byPeriod.has(r.period)) {
        hidden.push({ symbol: r.symbol, name: `${s.label} ${formatPeriod(r.period)}` });
      }
    }
    const shown = rows.filter((r) => r.value !== null);
    const notShown = rows.filter((r) => r.value === null && byPeriod.has(r.period));
    marks.push(
      Plot.lineY(rows, {
        x: "period",
        y: "value",
        stroke: style.colour,
        strokeWidth: style.width,
        strokeDasharray: style.dash,
        ariaHidden: "true",
      }),
      Plot.dot(shown, {
        x: "period",
        y: "value",
        fill: style.colour,
        r: s.role === "area" ? 3.5 : 2.5,
        title: (r: Row) =>
          `${r.label}, ${formatPeriod(r.period)}: ${formatValue(r.value ?? 0, decimals, unit, lang)}`,
        ariaHidden: "true",
      }),
      Plot.text(notShown, {
        x: "period",
        y: () => axis.domain[0],
        text: "symbol",
        fill: style.colour,
        fontWeight: "bold",
        fontSize: 15,
        dy: -8 - 13 * index,
        ariaHidden: "true",
      }),
    );
  });

  marks.push(...annotationMarks(input.annotations ?? [], periods, axis.domain[1]));

  const legendItems = linesLegend(
    input.series.map((s) => ({ label: s.label, colour: STYLE[s.role].colour, dash: STYLE[s.role].dash })),
    hidden.map((h) => h.symbol),
    lang,
  );
  const draw = (variant: Variant, desc: string) => {
    const l = LAYOUT[variant];
    const el = plot("timeseries", {
      width: l.width,
      height: l.height,
      marginLeft: l.marginLeft,
      marginRight: l.marginRight,
      marginTop: 28,
      marginBottom: 32,
      ...timeScales(periods, axis, l.width - l.marginLeft - l.marginRight, unit, lang),
      marks,
    });
    const legend = legendMarkup(legendItems, l.width, l.height, l.legendX);
    return finishSvg(el, { title: input.title, desc, lang, extra: legend });
  };

  const range =
    periods.length > 0
      ? `${formatPeriod(periods[0] ?? "")}–${formatPeriod(periods[periods.length - 1] ?? "")}`
      : "";
  const lines = input.series.map((s) =>
    fullStop(`${s.label}: ${seriesSummary(s.points, decimals, unit, lang)}`),
  );
  const alt = [
    `${t.timeSeries}, ${range}, ${unitName(unit, lang)}, ${t.series(input.series.length)}.`,
    ...lines,
    hiddenSentence(hidden, lang),
    annotationSentence(input.annotations ?? [], periods, lang),
  ]
    .filter((x) => x !== "")
    .join(" ");
  return { svg: draw("wide", alt), narrow: draw("narrow", alt), alt };
}
