/** The contents of an SVG's <text> elements with character references decoded (not its coordinates). */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? "")
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
  );
}

/** The SVG with every attribute value emptied: what is left is its text (titles, desc, labels, style). */
export function withoutAttributes(svg: string): string {
  return svg.replace(/="[^"]*"/g, '=""');
}
