import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { formatNumber, UNIT_TEXT } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { legendMarkup } from "./legend.ts";
import { finishSvg, MUTED_COLOUR, plot, TEXT_COLOUR } from "./render.ts";
import {
  formatValue,
  fullStop,
  hiddenSentence,
  hiddenSymbol,
  sentence,
  shownValue,
  symbolNotes,
  T,
  unitName,
} from "./text.ts";
import { tickFormat, valueAxis } from "./ticks.ts";
import type { BarChartInput, Chart } from "./types.ts";

/**
 * Municipalities (or counties) side by side as horizontal bars, sorted from the highest value down; the
 * highlighted area is brand blue, the others a lighter blue. A hidden value gets no bar: its symbol is
 * written at the axis, and those rows come last in name order.
 */

const WIDTH = 640;
const ROW = 24;
const OTHER_BAR = CHART_COLOURS.ramp[2];

interface Bar {
  code: string;
  label: string;
  value: number | null;
  symbol: string;
  highlight: boolean;
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
  const longest = Math.max(4, ...order.map((b) => b.label.length));
  const marginLeft = Math.min(220, Math.round(longest * 6.8) + 16);
  const height = Math.max(1, order.length) * ROW + 52;
  const fmt = (v: number) => formatNumber(v, decimals, lang);

  const marks: PlotTypes.Markish[] = [
    Plot.barX(shown, {
      y: "code",
      x: "value",
      fill: (b: Bar) => (b.highlight ? CHART_COLOURS.area : OTHER_BAR),
      title: (b: Bar) => `${b.label}: ${formatValue(b.value ?? 0, decimals, unit, lang)}`,
      ariaHidden: "true",
    }),
    ...[false, true].map((bold) =>
      Plot.text(
        shown.filter((b) => b.highlight === bold),
        {
          y: "code",
          x: "value",
          text: (b: Bar) => fmt(b.value ?? 0),
          textAnchor: "start",
          dx: 4,
          fill: TEXT_COLOUR,
          fontWeight: bold ? "bold" : "normal",
          ariaHidden: "true",
        },
      ),
    ),
    Plot.text(hidden, {
      y: "code",
      x: () => Math.max(0, axis.domain[0]),
      text: "symbol",
      textAnchor: "start",
      dx: 4,
      fill: MUTED_COLOUR,
      fontWeight: "bold",
      fontSize: 14,
      ariaHidden: "true",
    }),
    Plot.ruleX([0], { stroke: TEXT_COLOUR }),
  ];

  const el = plot("bars", {
    width: WIDTH,
    height,
    marginLeft,
    marginRight: 56,
    marginTop: 44,
    marginBottom: 8,
    y: {
      type: "band",
      domain: order.map((b) => b.code),
      tickFormat: (code: string) => labelOf.get(code) ?? code,
      tickSize: 0,
      label: null,
      padding: 0.2,
    },
    x: {
      domain: axis.domain,
      ticks: axis.ticks,
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

  const notes = symbolNotes(
    hidden.map((b) => b.symbol),
    lang,
  );
  const legend =
    notes.length > 0
      ? legendMarkup(
          notes.map((label) => ({ label, kind: "note" as const, colour: MUTED_COLOUR })),
          WIDTH,
          height,
          marginLeft,
        )
      : undefined;

  const count = /^\d{3}$/.test(order[0]?.code ?? "") ? t.municipalities(order.length) : t.areas(order.length);
  const parts = [`${t.bars}, ${count}, ${unitName(unit, lang)}, ${t.sortedBy}.`];
  const top = shown[0];
  const bottom = shown[shown.length - 1];
  if (top && bottom) {
    parts.push(
      fullStop(
        `${sentence(t.highest)} ${top.label} ${formatValue(top.value ?? 0, decimals, unit, lang)}, ${t.lowest} ${bottom.label} ${formatValue(bottom.value ?? 0, decimals, unit, lang)}`,
      ),
    );
  } else {
    parts.push(`${sentence(t.noValues)}.`);
  }
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
  const svg = finishSvg(el, { title: input.title, desc: alt, lang, ...(legend ? { extra: legend } : {}) });
  return { svg, alt };
}
