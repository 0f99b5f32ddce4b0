import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { timeSeriesChart } from "../../../dashboard/charts/timeseries.ts";
import { points, timeSeriesInput } from "./inputs.ts";
import { texts } from "./svg-text.ts";

describe("time series chart", () => {
  it("draws the area, its county and the whole country (snapshot)", async () => {
    const { svg } = timeSeriesChart(timeSeriesInput("fi"));
    await expect(svg).toMatchFileSnapshot("__snapshots__/timeseries.svg");
  });

  it("is an image with a title and a description that scales", () => {
    const { svg, alt } = timeSeriesChart(timeSeriesInput("fi"));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/);
    expect(svg).toContain("<title>Työhön tai opiskeluun päättyneet jaksot</title>");
    expect(svg).toContain(`<desc>${alt}</desc>`);
    expect(svg).toMatch(/viewBox="0 0 640 \d+"/);
    expect(svg).toMatch(/width="640"/);
  });

  it("a suppressed quarter leaves a gap in the line and is named in the text alternative", () => {
    const { svg, alt } = timeSeriesChart(timeSeriesInput("fi"));
    // The area's line is two pieces (2023Q1–Q2 and 2023Q4–2024Q4): its path has two move-tos.
    const areaPath = svg.match(
      /<path[^>]*stroke="hsl\(214, 100%, 24%\)"[^>]*d="([^"]+)"|<g[^>]*stroke="hsl\(214, 100%, 24%\)"[^>]*><path[^>]*d="([^"]+)"/,
    );
    const d = areaPath?.[1] ?? areaPath?.[2] ?? "";
    expect(d.match(/M/g)).toHaveLength(2);
    expect(texts(svg)).toContain("..");
    expect(alt).toContain("1 arvo ei näy: 1 suojattu pienten lukujen vuoksi, .. (Lieto 2023 Q3)");
  });

  it("the text alternative gives the latest value, the change from a year earlier, the highest and lowest", () => {
    const { alt } = timeSeriesChart(timeSeriesInput("fi"));
    expect(alt).toContain("Viivakaavio, 2023 Q1–2024 Q4, yksikkö %, 3 aikasarjaa.");
    expect(alt).toContain(
      "Lieto: viimeisin 17,5\u00a0% (2024 Q4), muutos vuodentakaisesta +1,3\u00a0%-yks., korkein 18,9\u00a0% (2024 Q3), matalin 12,5\u00a0% (2023 Q1).",
    );
  });

  it("the same input gives the same SVG bytes", () => {
    expect(timeSeriesChart(timeSeriesInput("fi")).svg).toBe(timeSeriesChart(timeSeriesInput("fi")).svg);
  });

  it("Finnish decimal comma in the axis labels", () => {
    const input = timeSeriesInput("fi");
    input.series = [{ role: "area", label: "Lieto", points: points([0.4, 1.2, 2.1, 1.7]) }];
    const { svg } = timeSeriesChart(input);
    expect(texts(svg)).toEqual(expect.arrayContaining(["0,0", "0,5", "1,0", "2,5"]));
    expect(texts(svg)).not.toContain("0.5");
  });

  it("Swedish and English titles", () => {
    const sv = timeSeriesChart(timeSeriesInput("sv"));
    expect(sv.svg).toContain("<title>Perioder som slutade i arbete eller studier</title>");
    expect(sv.alt).toMatch(/^Linjediagram, 2023 Q1–2024 Q4, enhet %, 3 tidsserier\./);
    expect(sv.alt).toContain("1 värde visas inte: 1 skyddade på grund av små tal, .. (Lundo 2023 Q3).");
    const en = timeSeriesChart(timeSeriesInput("en"));
    expect(en.svg).toContain("<title>Periods that ended in work or studies</title>");
    expect(en.alt).toContain(
      "Lieto: latest 17.5\u00a0% (2024 Q4), change from a year earlier +1.3\u00a0percentage points",
    );
    expect(texts(en.svg)).toContain("2024 Q4");
  });

  it("periods are written 2024 Q1, 2024 and 2023 Q2–2024 Q1", () => {
    const input = timeSeriesInput("fi");
    input.series = [
      {
        role: "area",
        label: "Lieto",
        points: points([10, 11, "–"], ["2022Q2-2023Q1", "2023Q2-2024Q1", "2023Q3-2024Q2"]),
      },
    ];
    const { svg, alt } = timeSeriesChart(input);
    expect(texts(svg)).toContain("2023 Q2–2024 Q1");
    expect(alt).toContain("muutos vuodentakaisesta +1,0\u00a0%-yks.");
    expect(alt).toContain("1 ei laskettavissa, – (Lieto 2023 Q3–2024 Q2)");
  });

  it("renders to PNG with resvg", () => {
    const png = new Resvg(timeSeriesChart(timeSeriesInput("fi")).svg).render();
    expect(png.width).toBe(640);
    expect(png.asPng().subarray(1, 4).toString()).toBe("PNG");
  });
});
