import type * as PlotTypes from "@observablehq/plot";
import * as Plot from "@observablehq/plot";
import { formatPeriod } from "../../indicators/format.ts";
import type { Lang } from "../i18n.ts";
import { MUTED_COLOUR } from "./render.ts";
import type { ChartAnnotation } from "./types.ts";

/**
 * Annotations on a time axis (a reform, a merger, a series break): a dashed vertical rule at the period
 * it first concerns, with its short label at the top, and a sentence for the text alternative.
 */

const WORD: Record<Lang, string> = { fi: "Merkinnät", sv: "Markeringar", en: "Marks" };

/** The marks of the annotations; `top` is the upper end of the value axis. */
export function annotationMarks(
  list: ChartAnnotation[],
  periods: string[],
  top: number,
): PlotTypes.Markish[] {
  const shown = list
    .filter((a) => periods.includes(a.period))
    .map((a, i, all) => ({ ...a, row: all.slice(0, i).filter((b) => b.period === a.period).length }));
  if (shown.length === 0) return [];
  const rows = [...new Set(shown.map((a) => a.row))];
  return [
    Plot.ruleX(shown, { x: "period", stroke: MUTED_COLOUR, strokeDasharray: "2,3", ariaHidden: "true" }),
    // a second annotation at the same period goes on the next line
    ...rows.map((row) =>
      Plot.text(
        shown.filter((a) => a.row === row),
        {
          x: "period",
          y: () => top,
          text: "label",
          textAnchor: "start",
          dx: 4,
          dy: -8 + 13 * row,
          fill: MUTED_COLOUR,
          fontSize: 11,
          ariaHidden: "true",
        },
      ),
    ),
  ];
}

/** `Merkinnät: 2025 Q1, TE-uudistus: <text>` for the text alternative, or "" without annotations. */
export function annotationSentence(list: ChartAnnotation[], periods: string[], lang: Lang): string {
  const shown = list.filter((a) => periods.includes(a.period));
  if (shown.length === 0) return "";
  return `${WORD[lang]}: ${shown.map((a) => `${formatPeriod(a.period)}, ${a.label}: ${a.text}`).join(" ")}`;
}
