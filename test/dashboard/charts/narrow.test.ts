import { describe, expect, it } from "vitest";
import { barChart } from "../../../dashboard/charts/bars.ts";
import { compareLinesChart } from "../../../dashboard/charts/lines.ts";
import { choroplethMap } from "../../../dashboard/charts/map.ts";
import { chartImages, NARROW_WIDTH } from "../../../dashboard/charts/render.ts";
import { timeSeriesChart } from "../../../dashboard/charts/timeseries.ts";
import type { Chart } from "../../../dashboard/charts/types.ts";
import { barInput, municipalityValues, points, timeSeriesInput } from "./inputs.ts";
import { texts } from "./svg-text.ts";

/**
 * The narrow picture every chart has for a phone: as wide in SVG units as a phone's screen in CSS
 * pixels, its text 12 units, the same title and text alternative as the wide one.
 */

const viewBoxWidth = (svg: string) => Number(/viewBox="0 0 (\d+(?:\.\d+)?) /.exec(svg)?.[1]);

const CHARTS: [string, () => Chart][] = [
  ["time series", () => timeSeriesChart(timeSeriesInput("fi"))],
  ["bars", () => barChart(barInput("fi"))],
  [
    "map",
    () =>
      choroplethMap({
        lang: "fi",
        title: "Kartta",
        unit: "per1000",
        decimals: 1,
        values: municipalityValues(),
        county: "05",
      }),
  ],
  [
    "compare lines",
    () =>
      compareLinesChart({
        ...timeSeriesInput("fi"),
        series: timeSeriesInput("fi").series.map((s) => ({ label: s.label, points: s.points })),
      }),
  ],
];

describe("the narrow picture of a chart", () => {
  it.each(CHARTS)("%s: drawn 340 units wide with 12-unit text and the same description", (_, draw) => {
    const chart = draw();
    expect(chart.narrow).toBeDefined();
    const narrow = chart.narrow ?? "";
    expect(viewBoxWidth(narrow)).toBe(NARROW_WIDTH);
    expect(viewBoxWidth(chart.svg)).toBeGreaterThan(NARROW_WIDTH);
    expect(narrow).toMatch(/^<svg [^>]*font-size="12"/);
    expect(narrow).toContain(`<desc>${chart.alt}</desc>`);
  });

  it("bars: the value axis' ticks stay inside the picture", () => {
    const narrow = barChart(barInput("fi")).narrow ?? "";
    const xs = [...narrow.matchAll(/<line y2="\d+" y1="\d+" x2="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs.length).toBeGreaterThan(1);
    for (const x of xs) expect(x).toBeLessThanOrEqual(NARROW_WIDTH - 40);
  });

  it("bars: each name is written above its bar, with no axis of names at the left", () => {
    const chart = barChart(barInput("fi"));
    const narrow = chart.narrow ?? "";
    expect(texts(narrow)).toEqual(expect.arrayContaining(["Lieto", "Turku", "Sauvo"]));
    // the wide picture's names are the left axis' labels, anchored at their end beside the bars
    const nameIn = (anchor: string) =>
      new RegExp(`text-anchor="${anchor}"[^>]*>(?:<text[^>]*>[^<]*</text>)*<text[^>]*>Turku</text>`);
    expect(chart.svg).toMatch(nameIn("end"));
    expect(narrow).toMatch(nameIn("start"));
    expect(narrow).not.toMatch(nameIn("end"));
  });

  it("compare lines: a long area name at a line's end wraps onto lines of its own words", () => {
    const chart = compareLinesChart({
      lang: "fi",
      title: "Vertailu",
      unit: "percent",
      decimals: 1,
      series: [
        { label: "Keski-Suomen hyvinvointialue", points: points([10, 11, 12, 13, 12, 11, 12, 13]) },
        { label: "Jyväskylä", points: points([8, 9, 9, 10, 9, 9, 10, 9]) },
      ],
    });
    expect(chart.narrow).toMatch(/<tspan[^>]*>Keski-Suomen<\/tspan><tspan[^>]*>hyvinvointialue<\/tspan>/);
    expect(chart.svg).toContain(">Keski-Suomen hyvinvointialue</text>");
  });

  it("a page gets both pictures, marked for the style sheet to choose", () => {
    const chart = timeSeriesChart(timeSeriesInput("fi"));
    const html = chartImages(chart);
    expect(html.match(/class="seuranta-timeseries chart-wide"/g)).toHaveLength(1);
    expect(html.match(/class="seuranta-timeseries chart-narrow"/g)).toHaveLength(1);
  });
});
