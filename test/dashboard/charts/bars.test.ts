import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { barChart } from "../../../dashboard/charts/bars.ts";
import { barInput } from "./inputs.ts";
import { texts, withoutAttributes } from "./svg-text.ts";

describe("bar chart", () => {
  it("compares the municipalities of a county, sorted (snapshot)", async () => {
    const { svg } = barChart(barInput("fi"));
    await expect(svg).toMatchFileSnapshot("__snapshots__/bars.svg");
  });

  it("sorts from the highest value down and puts the hidden values last", () => {
    const labels = texts(barChart(barInput("fi")).svg);
    const order = ["Oripää", "Mynämäki", "Somero", "Rusko", "Lieto"];
    expect(order.map((l) => labels.indexOf(l))).toEqual(
      [...order.map((l) => labels.indexOf(l))].sort((a, b) => a - b),
    );
    expect(labels.indexOf("Pöytyä")).toBeLessThan(labels.indexOf("Marttila"));
  });

  it("a suppressed municipality gets no bar, its symbol at the axis, and its value appears nowhere", () => {
    const input = barInput("fi");
    input.bars[3] = { code: "480", label: "Marttila", value: 4.28173, symbol: ".." };
    const { svg, alt } = barChart(input);
    // Coordinates are numbers too: look at everything but the attribute values.
    const text = withoutAttributes(svg);
    expect(text).not.toContain("4.28");
    expect(text).not.toContain("4,28");
    expect(text).not.toContain("4,3");
    expect(svg.match(/<rect /g)).toHaveLength(1 + 16); // the background and one bar per shown value
    expect(texts(svg).filter((t) => t === "..")).toHaveLength(2);
    expect(alt).toContain(
      "3 arvoa ei näy: 2 suojattu pienten lukujen vuoksi, .. (Marttila, Sauvo); 1 ei raportoitu, . (Paimio).",
    );
  });

  it("the text alternative names the highest, the lowest and the highlighted area", () => {
    const { alt } = barChart(barInput("fi"));
    expect(alt).toContain(
      "Pylväskaavio, 19 kuntaa, yksikkö / 1 000 as., järjestetty arvon mukaan suurimmasta pienimpään.",
    );
    expect(alt).toContain("Korkein Oripää 10,7\u00a0/ 1 000 as., matalin Pöytyä 2,8\u00a0/ 1 000 as.");
    expect(alt).toContain("Lieto (korostettu): 9,2\u00a0/ 1 000 as., sijalla 5/16.");
  });

  it("the same input gives the same SVG bytes", () => {
    expect(barChart(barInput("fi")).svg).toBe(barChart(barInput("fi")).svg);
  });

  it("Finnish decimal comma in the axis labels, no-break space in thousands", () => {
    const input = barInput("fi");
    input.bars = [
      { code: "091", label: "Helsinki", value: 12345.6, symbol: null },
      { code: "049", label: "Espoo", value: 2.5, symbol: null },
    ];
    const labels = texts(barChart(input).svg);
    expect(labels).toContain("12\u00a0345,6");
    expect(labels).toContain("2,5");
    expect(labels).toContain("10\u00a0000");
  });

  it("Swedish and English titles", () => {
    const sv = barChart(barInput("sv"));
    expect(sv.svg).toContain("<title>Klienter per 1 000 invånare</title>");
    expect(sv.alt).toMatch(/^Stapeldiagram, 19 kommuner, enhet \/ 1 000 inv\./);
    const en = barChart(barInput("en"));
    expect(en.svg).toContain("<title>Clients per 1,000 inhabitants</title>");
    expect(en.alt).toContain("Highest Oripää 10.7\u00a0per 1,000, lowest Pöytyä 2.8\u00a0per 1,000.");
    expect(texts(en.svg)).toContain("10.7");
  });

  it("renders to PNG with resvg", () => {
    const png = new Resvg(barChart(barInput("fi")).svg).render();
    expect(png.width).toBe(640);
  });
});
