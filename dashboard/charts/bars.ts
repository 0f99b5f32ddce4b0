import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { formatNumber, formatValue, UNIT_TEXT } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { legendMarkup } from "./legend.ts";
import { finishSvg, MUTED_COLOUR, NARROW_WIDTH, plot, TEXT_COLOUR, type Variant } from "./render.ts";
import {
  extremesSentence,
  fullStop,
  hiddenSentence,
  hiddenSymbol,
  shownValue,
  symbolNotes,
  T,
  unitName,
} from "./text.ts";
import { niceTicks, tickFormat, valueAxis } from "./ticks.ts";
import type { BarChartInput, Chart } from "./types.ts";

/**
 * Municipalities (or counties) side by side as horizontal bars, sorted from the highest value down; the
 * highlighted area is brand blue, the others a lighter blue. A hidden value gets no bar: its symbol is
 * written at the axis, and those rows come last in name order.
 */

const ROW = 24;
const OTHER_BAR = CHART_COLOURS.ramp[2];

interface Bar {
  code: string;
  label: string;
  value: number | null;
  symbol: string;
  highlight: boolean;
}

/** Text beside the bars in the chart's text colour, the highlighted area's in bold (two marks: a weight is no channel). */
function inWeights(rows: Bar[], options: PlotTypes.TextOptions): PlotTypes.Markish[] {
  return [false, true].map((bold) =>
    Plot.text(
      rows.filter((b) => b.highlight === bold),
      { y: "code", fill: TEXT_COLOUR, fontWeight: bold ? "bold" : "normal", ariaHidden: "true", ...options },
    ),
  );
}

export function barChart(input: BarChartInput): Chart {
  const { lang, unit, decimals } = input;
  const t = T[lang];
  const bars: Bar[] = input.bars.map((b) => ({
    code: b.code,
    label: b.label,
    value: shownValue(b),
    symbol: hiddenSymbol(b),
    highlight: b.highlight === true,
  }));
  const collator = new Intl.Collator(lang === "en" ? "en" : `${lang}-FI`);
  const shown = bars
    .filter((b) => b.value !== null)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || collator.compare(a.label, b.label));
  const hidden = bars.filter((b) => b.value === null).sort((a, b) => collator.compare(a.label, b.label));
  const order = [...shown, ...hidden];
  const labelOf = new Map(order.map((b) => [b.code, b.label]));
  const axis = valueAxis(shown.map((b) => b.value ?? 0));
  const fmt = (v: number) => formatNumber(v, decimals, lang);
  const notes = symbolNotes(
    hidden.map((b) => b.symbol),
    lang,
  );
  const longest = Math.max(4, ...order.map((b) => b.label.length));
  const wideLeft = Math.min(220, Math.round(longest * 6.8) + 16);

  const draw = (variant: Variant, desc: string) => {
    const narrow = variant === "narrow";
    // on a phone each name is written above its bar, so that the bars keep the width
    const l = narrow
      ? { width: NARROW_WIDTH, row: 38, marginLeft: 16, nameRoom: 16 }
      : { width: 640, row: ROW, marginLeft: wideLeft, nameRoom: 0 };
    const height = Math.max(1, order.length) * l.row + 52;
    const barInset = { insetTop: l.nameRoom };
    const marks: PlotTypes.Markish[] = [
      Plot.barX(shown, {
        y: "code",
        x: "value",
        ...barInset,
        fill: (b: Bar) => (b.highlight ? CHART_COLOURS.area : OTHER_BAR),
        title: (b: Bar) => `${b.label}: ${formatValue(b.value ?? 0, decimals, unit, lang)}`,
        ariaHidden: "true",
      }),
      ...inWeights(shown, {
        x: "value",
        text: (b: Bar) => fmt(b.value ?? 0),
        textAnchor: "start",
        dx: 4,
        dy: l.nameRoom / 2,
      }),
      Plot.text(hidden, {
        y: "code",
        x: () => Math.max(0, axis.domain[0]),
        text: "symbol",
        textAnchor: "start",
        dx: 4,
        dy: l.nameRoom / 2,
        fill: MUTED_COLOUR,
        fontWeight: "bold",
        fontSize: 14,
        ariaHidden: "true",
      }),
      Plot.ruleX([0], { stroke: TEXT_COLOUR }),
    ];
    if (narrow)
      marks.push(
        ...inWeights(order, {
          x: () => Math.max(0, axis.domain[0]),
          text: "label",
          textAnchor: "start",
          lineAnchor: "top",
          dx: 4,
          dy: -(l.row * 0.9) / 2,
        }),
      );
    const el = plot("bars", {
      width: l.width,
      height,
      marginLeft: l.marginLeft,
      marginRight: 56,
      marginTop: 44,
      marginBottom: 8,
      y: {
        type: "band",
        domain: order.map((b) => b.code),
        tickFormat: (code: string) => labelOf.get(code) ?? code,
        tickSize: 0,
        label: null,
        padding: narrow ? 0.1 : 0.2,
        axis: narrow ? null : "left",
      },
      x: {
        domain: axis.domain,
        // fewer ticks on a phone, only those inside the axis (three round steps may overshoot it)
        ticks: narrow
          ? niceTicks(axis.domain[0], axis.domain[1], 3).ticks.filter((t) => t <= axis.domain[1])
          : axis.ticks,
        tickFormat: tickFormat(axis.decimals, lang),
        grid: true,
        label: UNIT_TEXT[unit][lang],
        labelArrow: "none",
        labelAnchor: "right",
        labelOffset: 36,
        axis: "top",
      },
      marks,
    });
    const legend =
      notes.length > 0
        ? legendMarkup(
            notes.map((label) => ({ label, kind: "note" as const, colour: MUTED_COLOUR })),
            l.width,
            height,
            l.marginLeft,
          )
        : undefined;
    return finishSvg(el, { title: input.title, desc, lang, ...(legend ? { extra: legend } : {}) });
  };

  const count = /^\d{3}$/.test(order[0]?.code ?? "") ? t.municipalities(order.length) : t.areas(order.length);
  const parts = [`${t.bars}, ${count}, ${unitName(unit, lang)}, ${t.sortedBy}.`];
  parts.push(
    extremesSentence(
      shown.map((b) => ({ name: b.label, value: b.value })),
      decimals,
      unit,
      lang,
    ),
  );
  for (const b of bars.filter((x) => x.highlight)) {
    const rank = shown.indexOf(b);
    const value = b.value === null ? b.symbol : formatValue(b.value, decimals, unit, lang);
    parts.push(
      fullStop(
        `${b.label} (${t.highlighted}): ${value}${rank >= 0 ? `, ${t.rank(rank + 1, shown.length)}` : ""}`,
      ),
    );
  }
  parts.push(
    hiddenSentence(
      hidden.map((b) => ({ symbol: b.symbol, name: b.label })),
      lang,
    ),
  );
  const alt = parts.filter((p) => p !== "").join(" ");
  return { svg: draw("wide", alt), narrow: draw("narrow", alt), alt };
}
