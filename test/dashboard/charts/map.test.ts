import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { choroplethMap } from "../../../dashboard/charts/map.ts";
import type { ChoroplethInput } from "../../../dashboard/charts/types.ts";
import { CHART_COLOURS } from "../../../dashboard/theme.ts";
import { municipalityValues } from "./inputs.ts";
import { texts, withoutAttributes } from "./svg-text.ts";

function input(lang: ChoroplethInput["lang"] = "fi", county: string | null = "05"): ChoroplethInput {
  return {
    lang,
    title: {
      fi: "Asiakkaat 1 000 asukasta kohden",
      sv: "Klienter per 1 000 invånare",
      en: "Clients per 1,000 inhabitants",
    }[lang],
    unit: "per1000",
    decimals: 1,
    values: municipalityValues(),
    ...(county === null ? {} : { county }),
  };
}

/** The tooltips of the drawn municipalities (every municipality's path has one). */
function areaTitles(svg: string): string[] {
  return [...svg.matchAll(/<path[^>]*><title>([^<]*)<\/title><\/path>/g)].map((m) =>
    (m[1] ?? "").replaceAll("&#160;", "\u00a0"),
  );
}

describe("choropleth map", () => {
  it("draws the municipalities of a county on the blue ramp with a legend (snapshot)", async () => {
    const { svg } = choroplethMap(input("fi"));
    await expect(svg).toMatchFileSnapshot("__snapshots__/map.svg");
  });

  it("a legend label longer than the map (the English 'not shown (…)') wraps onto more rows", () => {
    const { svg } = choroplethMap(input("en"));
    const width = Number(/<svg[^>]*viewBox="0 0 (\d+)/.exec(svg)?.[1]);
    const legend = svg.slice(svg.lastIndexOf('<g transform="translate(0,'));
    const lines = [...legend.matchAll(/<(?:text|tspan) x="([\d.]+)"[^>]*>([^<]+)/g)].map((m) => ({
      x: Number(m[1]),
      text: m[2] ?? "",
    }));

    expect(width).toBeGreaterThan(0);
    expect(lines.some((l) => l.text.startsWith("not shown"))).toBe(true);
    expect(legend).toContain("<tspan");
    // 6.6 px a character at 12 px, the legend's own estimate
    for (const line of lines) expect(line.x + line.text.length * 6.6, line.text).toBeLessThanOrEqual(width);
  });

  it("the county map contains only that county's municipalities", () => {
    const titles = areaTitles(choroplethMap(input("fi", "05")).svg);
    expect(titles).toHaveLength(27);
    expect(titles).toContain("Lieto: 9,2\u00a0/ 1 000 as.");
    expect(titles.some((t) => t.startsWith("Helsinki"))).toBe(false);
    expect(areaTitles(choroplethMap(input("fi", null)).svg)).toHaveLength(308);
  });

  it("a suppressed municipality is drawn grey and its value appears nowhere in the SVG", () => {
    const values = municipalityValues();
    values.set("480", { value: 4.28173, symbol: ".." });
    const { svg, alt } = choroplethMap({ ...input("fi"), values });
    // Coordinates are numbers too: look at everything but the attribute values.
    const text = withoutAttributes(svg);
    expect(text).not.toContain("4.28");
    expect(text).not.toContain("4,28");
    expect(text).not.toContain("4,3");
    expect(svg).toMatch(
      new RegExp(`<path fill="${CHART_COLOURS.suppressed}"[^>]*><title>Marttila: \\.\\.</title>`),
    );
    expect(alt).toContain("2 suojattu pienten lukujen vuoksi, .. (Marttila, Sauvo)");
  });

  it("the legend names the classes and the grey of values not shown", () => {
    const labels = texts(choroplethMap(input("fi")).svg);
    expect(labels).toEqual(
      expect.arrayContaining([
        "2,0–4,0",
        "10,0–12,0",
        "ei näytetä (. ei raportoitu, .. suojattu pienten lukujen vuoksi)",
      ]),
    );
  });

  it("the same input gives the same SVG bytes", () => {
    expect(choroplethMap(input("fi")).svg).toBe(choroplethMap(input("fi")).svg);
  });

  it("Swedish and English titles and names", () => {
    const sv = choroplethMap(input("sv"));
    expect(sv.svg).toContain("<title>Klienter per 1 000 invånare</title>");
    expect(sv.alt).toMatch(/^Karta, 27 kommuner, enhet \/ 1 000 inv\./);
    expect(areaTitles(sv.svg)).toContain("Pargas: 8,4\u00a0/ 1 000 inv.");
    const en = choroplethMap(input("en"));
    expect(en.svg).toContain("<title>Clients per 1,000 inhabitants</title>");
    expect(en.alt).toContain("Highest Oripää 10.7\u00a0per 1,000, lowest Pöytyä 2.8\u00a0per 1,000.");
  });

  it("renders to PNG with resvg", () => {
    const png = new Resvg(choroplethMap(input("fi")).svg).render();
    expect(png.width).toBe(480);
  });
});
