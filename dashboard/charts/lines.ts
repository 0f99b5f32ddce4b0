import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { formatPeriod, formatValue } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { annotationMarks, annotationSentence } from "./annotations.ts";
import { legendMarkup, linesLegend, textWidth, wrapWords } from "./legend.ts";
import { finishSvg, MUTED_COLOUR, NARROW_WIDTH, plot, type Variant } from "./render.ts";
import { periodsOf, seriesSummary } from "./summary.ts";
import { fullStop, hiddenSentence, hiddenSymbol, shownValue, T, unitName } from "./text.ts";
import { timeScales, valueAxis } from "./ticks.ts";
import type { Chart, CompareLinesInput } from "./types.ts";

/**
 * Chosen areas compared over time (the compare page): one line per area in its own colour and dash
 * pattern, the area's name written at the end of its line (moved apart where two ends meet), and the
 * legend below as well. A hidden value is a gap in its line; the text alternative names it.
 */

/** The wide picture; the narrow one wraps the end labels at about 100 px and keeps 120 px for them. */
const LAYOUT = {
  wide: { width: 760, height: 360, marginLeft: 56, maxMarginRight: 240, wrapAt: null, legendX: 56 },
  narrow: { width: NARROW_WIDTH, height: 280, marginLeft: 44, maxMarginRight: 120, wrapAt: 100, legendX: 8 },
} as const;
const MARGIN_TOP = 28;
const MARGIN_BOTTOM = 32;
const LABEL_GAP = 14;

/**
 * Pixel rows of the end labels (the top of each label, `heights` tall): each at its line's end, pushed
 * apart so that none overlaps the one above, kept inside the plot.
 */
function dodge(ys: number[], heights: number[], top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i, h: heights[i] ?? LABEL_GAP })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1];
    const cur = order[k];
    if (prev && cur && cur.y - prev.y < prev.h) cur.y = prev.y + prev.h;
  }
  const last = order[order.length - 1];
  const overflow = last ? last.y + last.h - LABEL_GAP - bottom : 0;
  if (overflow > 0) for (const o of order) o.y -= overflow;
  for (const o of order) o.y = Math.max(top, o.y);
  const out = new Array<number>(ys.length);
  for (const o of order) out[o.i] = o.y;
  return out;
}

export function compareLinesChart(input: CompareLinesInput): Chart {
  const { lang, unit, decimals } = input;
  const t = T[lang];
  const periods = periodsOf(input.series);
  const styles = CHART_COLOURS.compare;
  const shownValues = input.series.flatMap((s) => s.points.map(shownValue)).filter((v) => v !== null);
  const axis = valueAxis(shownValues);
  const [lo, hi] = axis.domain;
  const marks: PlotTypes.Markish[] = [Plot.ruleY([lo], { stroke: MUTED_COLOUR })];
  const hidden: { symbol: string; name: string }[] = [];
  const ends: { label: string; value: number; colour: string }[] = [];

  input.series.forEach((s, index) => {
    const style = styles[index % styles.length] ?? styles[0];
    const byPeriod = new Map(s.points.map((p) => [p.period, p]));
    const rows = periods.map((period) => {
      const p = byPeriod.get(period);
      return { period, value: p ? shownValue(p) : null, symbol: p ? hiddenSymbol(p) : "." };
    });
    for (const r of rows)
      if (r.value === null && byPeriod.has(r.period))
        hidden.push({ symbol: r.symbol, name: `${s.label} ${formatPeriod(r.period)}` });
    const shown = rows.filter((r) => r.value !== null);
    marks.push(
      Plot.lineY(rows, {
        x: "period",
        y: "value",
        stroke: style.colour,
        strokeWidth: 2.5,
        strokeDasharray: style.dash,
        ariaHidden: "true",
      }),
      Plot.dot(shown, {
        x: "period",
        y: "value",
        fill: style.colour,
        r: 3,
        title: (r: { period: string; value: number }) =>
          `${s.label}, ${formatPeriod(r.period)}: ${formatValue(r.value, decimals, unit, lang)}`,
        ariaHidden: "true",
      }),
    );
    const last = shown[shown.length - 1];
    if (last?.value != null) ends.push({ label: s.label, value: last.value, colour: style.colour });
  });

  const legendItems = linesLegend(
    input.series.map((s, i) => {
      const style = styles[i % styles.length] ?? styles[0];
      return { label: s.label, colour: style.colour, dash: style.dash };
    }),
    hidden.map((h) => h.symbol),
    lang,
  );
  const draw = (variant: Variant, desc: string) => {
    const l = LAYOUT[variant];
    // the names at the line ends, in the line's colour, right of the last period; on a phone a name
    // wraps onto lines of its own words so that the plot keeps most of the width
    const names = ends.map((e) => (l.wrapAt === null ? [e.label] : wrapWords(e.label, l.wrapAt)));
    const plotBottom = l.height - MARGIN_BOTTOM;
    const toPixel = (v: number) => MARGIN_TOP + ((hi - v) / (hi - lo || 1)) * (plotBottom - MARGIN_TOP);
    const toValue = (y: number) => hi - ((y - MARGIN_TOP) / (plotBottom - MARGIN_TOP)) * (hi - lo || 1);
    const labelY = dodge(
      ends.map((e) => toPixel(e.value)),
      names.map((lines) => lines.length * LABEL_GAP),
      MARGIN_TOP,
      plotBottom,
    );
    const lastPeriod = periods[periods.length - 1];
    const labels =
      lastPeriod === undefined
        ? []
        : ends.map((e, i) =>
            Plot.text([{ period: lastPeriod, y: toValue(labelY[i] ?? toPixel(e.value)) }], {
              x: "period",
              y: "y",
              text: () => (names[i] ?? []).join("\n"),
              textAnchor: "start",
              lineAnchor: "top",
              dx: 10,
              dy: -LABEL_GAP / 2,
              fill: e.colour,
              fontWeight: "bold",
              ariaHidden: "true",
            }),
          );
    const widest = Math.max(0, ...names.flat().map(textWidth));
    const marginRight = Math.min(l.maxMarginRight, Math.max(24, widest + 18));
    const el = plot("lines", {
      width: l.width,
      height: l.height,
      marginLeft: l.marginLeft,
      marginRight,
      marginTop: MARGIN_TOP,
      marginBottom: MARGIN_BOTTOM,
      ...timeScales(periods, axis, l.width - marginRight - l.marginLeft, unit, lang),
      marks: [...marks, ...labels, ...annotationMarks(input.annotations ?? [], periods, hi)],
    });
    const legend = legendMarkup(legendItems, l.width, l.height, l.legendX);
    return finishSvg(el, { title: input.title, desc, lang, extra: legend });
  };
  const range =
    periods.length > 0
      ? `${formatPeriod(periods[0] ?? "")}–${formatPeriod(periods[periods.length - 1] ?? "")}`
      : "";
  const alt = [
    `${t.timeSeries}, ${range}, ${unitName(unit, lang)}, ${t.series(input.series.length)}.`,
    ...input.series.map((s) => fullStop(`${s.label}: ${seriesSummary(s.points, decimals, unit, lang)}`)),
    hiddenSentence(hidden, lang),
    annotationSentence(input.annotations ?? [], periods, lang),
  ]
    .filter((x) => x !== "")
    .join(" ");
  return { svg: draw("wide", alt), narrow: draw("narrow", alt), alt };
}
