import { describe, expect, test } from "vitest";
import { quarterIndex } from "../../core/quarter.ts";
import { parsePeriod, periodsCovering } from "../../indicators/periods.ts";

const qi = (year: number, quarter: number) => quarterIndex({ year, quarter });

describe("periods", () => {
  test("over the data 2023Q3…2024Q2 are its four quarters, the ended years it touches and one run of four", () => {
    const labels = periodsCovering({ firstQi: qi(2023, 3), lastQi: qi(2024, 2) }, qi(2025, 3)).map(
      (p) => p.label,
    );
    expect(labels).toEqual(["2023Q3", "2023Q4", "2024Q1", "2024Q2", "2023", "2024", "2023Q3-2024Q2"]);
  });

  test("leave out a year that has not ended", () => {
    const labels = periodsCovering({ firstQi: qi(2025, 1), lastQi: qi(2025, 3) }, qi(2025, 3)).map(
      (p) => p.label,
    );
    expect(labels).not.toContain("2025");
  });

  test("run four quarters across a year boundary", () => {
    const rolling = periodsCovering({ firstQi: qi(2023, 4), lastQi: qi(2024, 3) }, qi(2025, 3)).filter(
      (p) => p.type === "rolling4q",
    );
    expect(rolling).toEqual([
      { type: "rolling4q", label: "2023Q4-2024Q3", firstQi: qi(2023, 4), lastQi: qi(2024, 3) },
    ]);
  });

  test.each([
    ["2024Q1", "quarter", "2024Q1"],
    ["2024", "year", "2024"],
    ["2023q2-2024q1", "rolling4q", "2023Q2-2024Q1"],
  ])("%s is read as a %s labelled %s", (text, type, label) => {
    expect(parsePeriod(text)).toMatchObject({ type, label });
  });

  test.each(["2024Q5", "2023Q1-2024Q1", "24", "Q1/2024"])("%s is not a period", (text) => {
    expect(parsePeriod(text)).toBeNull();
  });
});
