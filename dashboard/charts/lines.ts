import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { CHART_COLOURS } from "../theme.ts";
import { annotationMarks, annotationSentence } from "./annotations.ts";
import { legendMarkup } from "./legend.ts";
import { finishSvg, MUTED_COLOUR, plot } from "./render.ts";
import { periodsOf, seriesSummary } from "./summary.ts";
import {
  formatPeriod,
  formatValue,
  fullStop,
  hiddenSentence,
  hiddenSymbol,
  shownValue,
  symbolNotes,
  T,
  unitName,
} from "./text.ts";
import { timeScales, valueAxis } from "./ticks.ts";
import type { Chart, CompareLinesInput } from "./types.ts";

/**
 * Chosen areas compared over time (the compare page): one line per area in its own colour and dash
 * pattern, the area's name written at the end of its line (moved apart where two ends meet), and the
 * legend below as well. A hidden value is a gap in its line; the text alternative names it.
 */

const WIDTH = 760;
const HEIGHT = 360;
const MARGIN_TOP = 28;
const MARGIN_BOTTOM = 32;
const LABEL_GAP = 14;

/** Roughly how wide a label is at 12 px (no font metrics on the server). */
const textWidth = (text: string) => text.length * 6.6;

/** Pixel rows of the end labels: each at its line's end, pushed apart to LABEL_GAP, kept inside the plot. */
function dodge(ys: number[], top: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1];
    const cur = order[k];
    if (prev && cur && cur.y - prev.y < LABEL_GAP) cur.y = prev.y + LABEL_GAP;
  }
  const last = order[order.length - 1];
  const overflow = last ? last.y - bottom : 0;
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

  // the names at the line ends, in the line's colour, right of the last period
  const plotBottom = HEIGHT - MARGIN_BOTTOM;
  const toPixel = (v: number) => MARGIN_TOP + ((hi - v) / (hi - lo || 1)) * (plotBottom - MARGIN_TOP);
  const toValue = (y: number) => hi - ((y - MARGIN_TOP) / (plotBottom - MARGIN_TOP)) * (hi - lo || 1);
  const labelY = dodge(
    ends.map((e) => toPixel(e.value)),
    MARGIN_TOP,
    plotBottom,
  );
  const lastPeriod = periods[periods.length - 1];
  if (lastPeriod !== undefined)
    ends.forEach((e, i) => {
      marks.push(
        Plot.text([{ period: lastPeriod, y: toValue(labelY[i] ?? toPixel(e.value)) }], {
          x: "period",
          y: "y",
          text: () => e.label,
          textAnchor: "start",
          dx: 10,
          fill: e.colour,
          fontWeight: "bold",
          ariaHidden: "true",
        }),
      );
    });
  marks.push(...annotationMarks(input.annotations ?? [], periods, hi));

  const marginRight = Math.min(240, Math.max(24, ...ends.map((e) => textWidth(e.label) + 18)));
  const scales = timeScales(periods, axis, WIDTH - marginRight - 60, unit, lang);

  const el = plot("lines", {
    width: WIDTH,
    height: HEIGHT,
    marginLeft: 56,
    marginRight,
    marginTop: MARGIN_TOP,
    marginBottom: MARGIN_BOTTOM,
    ...scales,
    marks,
  });

  const legend = legendMarkup(
    [
      ...input.series.map((s, i) => {
        const style = styles[i % styles.length] ?? styles[0];
        return { label: s.label, kind: "line" as const, colour: style.colour, dash: style.dash };
      }),
      ...symbolNotes(
        hidden.map((h) => h.symbol),
        lang,
      ).map((label) => ({ label, kind: "note" as const, colour: MUTED_COLOUR })),
    ],
    WIDTH,
    HEIGHT,
    56,
  );
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
  return { svg: finishSvg(el, { title: input.title, desc: alt, lang, extra: legend }), alt };
}
