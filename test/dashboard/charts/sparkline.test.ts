import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { sparkline } from "../../../dashboard/charts/sparkline.ts";
import type { SparklineInput } from "../../../dashboard/charts/types.ts";
import { points } from "./inputs.ts";

function input(lang: SparklineInput["lang"] = "fi"): SparklineInput {
  return {
    lang,
    label: {
      fi: "Työhön tai opiskeluun, Lieto",
      sv: "Till arbete eller studier, Lundo",
      en: "To work or studies, Lieto",
    }[lang],
    decimals: 1,
    unit: "percent",
    points: points([12.5, 14.1, "..", 16.2, 15, 13.3, 18.9, 17.5]),
  };
}

describe("sparkline", () => {
  it("draws a small line without axes (snapshot)", async () => {
    const { svg } = sparkline(input("fi"));
    await expect(svg).toMatchFileSnapshot("__snapshots__/sparkline.svg");
    expect(svg).not.toContain("<text");
  });

  it("the text alternative says first, latest and change, and which quarter is not shown", () => {
    const { svg, alt } = sparkline(input("fi"));
    expect(alt).toBe(
      "2023 Q1–2024 Q4: ensimmäinen 12,5\u00a0% (2023 Q1), viimeisin 17,5\u00a0% (2024 Q4), muutos vuodentakaisesta +1,3\u00a0%-yks. 1 arvo ei näy: 1 suojattu pienten lukujen vuoksi, .. (2023 Q3).",
    );
    expect(svg).toContain("<title>Työhön tai opiskeluun, Lieto</title>");
  });

  it("a suppressed quarter leaves a gap in the line", () => {
    const { svg } = sparkline(input("fi"));
    // the line is the group stroked in brand blue without fill (the last value's dot is filled)
    const d =
      svg.match(/<g[^>]*stroke="hsl\(214, 100%, 24%\)" fill="none"[^>]*><path[^>]*d="([^"]+)"/)?.[1] ?? "";
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it("the same input gives the same SVG bytes", () => {
    expect(sparkline(input("fi")).svg).toBe(sparkline(input("fi")).svg);
  });

  it("Swedish and English titles", () => {
    expect(sparkline(input("sv")).svg).toContain("<title>Till arbete eller studier, Lundo</title>");
    expect(sparkline(input("sv")).alt).toContain(
      "första 12,5\u00a0% (2023 Q1), senaste 17,5\u00a0% (2024 Q4)",
    );
    expect(sparkline(input("en")).alt).toContain("first 12.5\u00a0% (2023 Q1), latest 17.5\u00a0% (2024 Q4)");
  });

  it("with no shown values it says so", () => {
    const { alt } = sparkline({ ...input("fi"), points: points(["..", "."]) });
    expect(alt).toBe(
      "Ei näytettäviä arvoja. 2 arvoa ei näy: 1 suojattu pienten lukujen vuoksi, .. (2023 Q1); 1 ei raportoitu, . (2023 Q2).",
    );
  });

  it("renders to PNG with resvg", () => {
    expect(new Resvg(sparkline(input("fi")).svg).render().width).toBe(160);
  });
});
