import { escapeXml, FONT_FAMILY, TEXT_COLOUR } from "./render.ts";

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
function textWidth(text: string): number {
  return text.length * 6.6;
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
    const swatch =
      item.kind === "note"
        ? ""
        : item.kind === "line"
          ? `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${item.colour}" stroke-width="3"${item.dash ? ` stroke-dasharray="${item.dash}"` : ""}/>`
          : `<rect x="${x}" y="${y - 7}" width="24" height="14" fill="${item.colour}" stroke="${item.stroke ?? "#8A9499"}" stroke-width="0.5"/>`;
    parts.push(`${swatch}<text x="${textX}" y="${y}" dy="0.32em">${escapeXml(item.label)}</text>`);
    x += w;
  }
  const height = (row + 1) * ROW + 8;
  const g = `<g transform="translate(0,${top})" font-family="${escapeXml(FONT_FAMILY)}" font-size="12" fill="${TEXT_COLOUR}" text-anchor="start" aria-hidden="true">`;
  return { markup: `${g}${parts.join("")}</g>`, height };
}
