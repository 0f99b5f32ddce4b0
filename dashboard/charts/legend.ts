import type { Lang } from "../i18n.ts";
import { escapeXml, FONT_FAMILY, MUTED_COLOUR, TEXT_COLOUR } from "./render.ts";
import { symbolNotes } from "./text.ts";

/**
 * Legends drawn as plain SVG below a plot, so that a chart stays one SVG file (Plot's own legends are
 * separate elements). Each item is a swatch and a label; items wrap to a new row when the width ends.
 */
export interface LegendItem {
  label: string;
  /** A line swatch (series) or a filled box (map classes). */
  kind: "line" | "box" | "note";
  colour: string;
  dash?: string;
  stroke?: string;
}

const ROW = 22;

/** Roughly how wide a label is at 12 px (for wrapping; no font metrics on the server). */
export function textWidth(text: string): number {
  return text.length * 6.6;
}

/** Words of a label in lines of at most `room` px (by textWidth); a single longer word keeps its line. */
export function wrapWords(label: string, room: number): string[] {
  if (textWidth(label) <= room) return [label];
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(" ")) {
    const next = line === "" ? word : `${line} ${word}`;
    if (line !== "" && textWidth(next) > room) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** The legend as a group placed at `top` (the bottom edge of the plot), and the height it takes. */
export function legendMarkup(
  items: LegendItem[],
  width: number,
  top: number,
  x0 = 12,
): { markup: string; height: number } {
  let x = x0;
  let row = 0;
  const parts: string[] = [];
  for (const item of items) {
    const w = (item.kind === "note" ? 0 : 30) + textWidth(item.label) + 18;
    if (x + w > width - 8 && x > x0) {
      row += 1;
      x = x0;
    }
    const y = row * ROW + 12;
    const textX = item.kind === "note" ? x : x + 30;
    // a label longer than the row (the map's "not shown (…)" in English) wraps onto rows of its own
    const lines = wrapWords(item.label, width - 8 - textX);
    const swatch =
      item.kind === "note"
        ? ""
        : item.kind === "line"
          ? `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${item.colour}" stroke-width="3"${item.dash ? ` stroke-dasharray="${item.dash}"` : ""}/>`
          : `<rect x="${x}" y="${y - 7}" width="24" height="14" fill="${item.colour}" stroke="${item.stroke ?? "#8A9499"}" stroke-width="0.5"/>`;
    const text = lines
      .map((line, i) =>
        i === 0 ? escapeXml(line) : `<tspan x="${textX}" dy="${ROW}">${escapeXml(line)}</tspan>`,
      )
      .join("");
    parts.push(`${swatch}<text x="${textX}" y="${y}" dy="0.32em">${text}</text>`);
    if (lines.length > 1) {
      row += lines.length - 1;
      x = width; // the next item starts a new row
    } else x += w;
  }
  const height = (row + 1) * ROW + 8;
  const g = `<g transform="translate(0,${top})" font-family="${escapeXml(FONT_FAMILY)}" font-size="12" fill="${TEXT_COLOUR}" text-anchor="start" aria-hidden="true">`;
  return { markup: `${g}${parts.join("")}</g>`, height };
}

/** The legend of a line chart: a line swatch per series, then a note per kind of hidden value shown. */
export function linesLegend(
  series: { label: string; colour: string; dash?: string | undefined }[],
  hiddenSymbols: string[],
  lang: Lang,
): LegendItem[] {
  return [
    ...series.map((s) => ({ kind: "line" as const, ...s })),
    ...symbolNotes(hiddenSymbols, lang).map((label) => ({
      label,
      kind: "note" as const,
      colour: MUTED_COLOUR,
    })),
  ];
}
