import { describe, expect, test } from "vitest";
import {
  GROUP_KINDS,
  publish,
  roundHalfAwayFromZero,
  STATUSES,
  type Status,
  secondarySuppression,
} from "../../indicators/suppress.ts";

// secondarySuppression on small hand-made tables. Areas: municipalities 0, 1, 2 in county 3.
// Period types: 0 quarter, 1 year, 2 four quarters. Quarter index 8096 = 2024Q1, 8099 = 2024Q4.

interface Cell {
  ind?: number;
  cell?: number;
  area: number;
  ptype?: number;
  qi?: number;
  status: Status;
  num: number;
  size: number;
}

function run(cells: Cell[], options: { cells?: number[]; additive?: boolean[] } = {}) {
  const col = (f: (c: Cell) => number) => Int32Array.from(cells.map(f));
  const input = {
    ind: col((c) => c.ind ?? 0),
    cell: col((c) => c.cell ?? 0),
    area: col((c) => c.area),
    ptype: col((c) => c.ptype ?? 0),
    lastQi: col((c) => c.qi ?? 8096),
    status: col((c) => STATUSES.indexOf(c.status)),
    numerator: Float64Array.from(cells.map((c) => c.num)),
    size: Float64Array.from(cells.map((c) => c.size)),
    cells: options.cells ?? [1],
    timeAdditive: options.additive ?? [true],
    areaParents: [[3], [3], [3]],
    areaMembers: [undefined, undefined, undefined, [0, 1, 2]] as number[][],
    quarterType: 0,
    yearType: 1,
    rollingType: 2,
  };
  const out = secondarySuppression(input);
  return {
    hidden: out.rows,
    kinds: out.kinds.map((k) => GROUP_KINDS[k]),
    status: [...input.status].map((s) => STATUSES[s]),
  };
}

describe("secondary suppression of an area and its municipalities", () => {
  test("hides the municipality with the smallest denominator when exactly one is hidden", () => {
    const out = run([
      { area: 0, status: "suppressed", num: 3, size: 40 },
      { area: 1, status: "value", num: 9, size: 30 },
      { area: 2, status: "value", num: 6, size: 50 },
      { area: 3, status: "value", num: 18, size: 120 },
    ]);
    expect(out.hidden).toEqual([1]);
    expect(out.kinds).toEqual(["area"]);
  });

  test("prefers a non-zero municipality to a zero one", () => {
    const out = run([
      { area: 0, status: "suppressed", num: 3, size: 40 },
      { area: 1, status: "zero", num: 0, size: 10 },
      { area: 2, status: "value", num: 6, size: 50 },
      { area: 3, status: "value", num: 9, size: 100 },
    ]);
    expect(out.hidden).toEqual([2]);
  });

  test("leaves two hidden municipalities as they are", () => {
    const out = run([
      { area: 0, status: "suppressed", num: 3, size: 40 },
      { area: 1, status: "suppressed", num: 2, size: 30 },
      { area: 2, status: "value", num: 6, size: 50 },
      { area: 3, status: "value", num: 11, size: 120 },
    ]);
    expect(out.hidden).toEqual([]);
  });

  test("does nothing when the area itself is hidden too", () => {
    const out = run([
      { area: 0, status: "suppressed", num: 3, size: 40 },
      { area: 1, status: "missing", num: 0, size: 0 },
      { area: 3, status: "suppressed", num: 3, size: 40 },
    ]);
    expect(out.hidden).toEqual([]);
  });

  test("hides the area when its other municipalities did not report", () => {
    const out = run([
      { area: 0, status: "suppressed", num: 3, size: 40 },
      { area: 1, status: "missing", num: 0, size: 0 },
      { area: 3, status: "value", num: 3, size: 40 },
    ]);
    expect(out.status[2]).toBe("suppressed");
  });
});

describe("secondary suppression of a year and its quarters", () => {
  const quarters = (statuses: Status[], nums: number[]): Cell[] =>
    statuses.map((status, i) => ({ area: 0, qi: 8096 + i, status, num: nums[i] ?? 0, size: 30 + i }));

  test("hides another quarter where one quarter of a shown year is hidden", () => {
    const out = run([
      ...quarters(["value", "suppressed", "value", "value"], [5, 2, 6, 7]),
      { area: 0, ptype: 1, qi: 8099, status: "value", num: 20, size: 126 },
    ]);
    expect(out.hidden).toEqual([0]);
    expect(out.kinds).toEqual(["period"]);
  });

  test("does not touch the quarters of a stock, whose year is its last quarter", () => {
    const out = run(
      [
        ...quarters(["value", "suppressed", "value", "value"], [5, 2, 6, 7]),
        { area: 0, ptype: 1, qi: 8099, status: "value", num: 7, size: 33 },
      ],
      { additive: [false] },
    );
    expect(out.hidden).toEqual([]);
  });

  test("hides a stock's year with its last quarter, which holds the same numbers", () => {
    const out = run(
      [
        { area: 0, qi: 8099, status: "suppressed", num: 2, size: 30 },
        { area: 1, qi: 8099, status: "value", num: 8, size: 30 },
        { area: 3, qi: 8099, status: "value", num: 10, size: 60 },
        { area: 1, ptype: 1, qi: 8099, status: "value", num: 8, size: 30 },
        { area: 1, ptype: 2, qi: 8099, status: "value", num: 8, size: 30 },
      ],
      { additive: [false] },
    );
    expect(out.status).toEqual(["suppressed", "suppressed", "value", "suppressed", "suppressed"]);
    expect(out.kinds).toEqual(["area", "same", "same"]);
  });
});

describe("secondary suppression of a breakdown", () => {
  test("hides another cell where one cell of a shown total is hidden", () => {
    const out = run(
      [
        { area: 0, cell: 0, status: "value", num: 20, size: 60 },
        { area: 0, cell: 1, status: "suppressed", num: 3, size: 10 },
        { area: 0, cell: 2, status: "value", num: 9, size: 30 },
        { area: 0, cell: 3, status: "value", num: 8, size: 20 },
      ],
      { cells: [4] },
    );
    expect(out.hidden).toEqual([3]);
    expect(out.kinds).toEqual(["breakdown"]);
  });

  test("carries on to the groups a newly hidden cell belongs to", () => {
    // hiding municipality 1's cell 2 for the breakdown leaves county 3's cell 2 with one hidden member
    const out = run(
      [
        { area: 1, cell: 0, status: "value", num: 20, size: 60 },
        { area: 1, cell: 1, status: "suppressed", num: 3, size: 10 },
        { area: 1, cell: 2, status: "value", num: 17, size: 50 },
        { area: 2, cell: 2, status: "value", num: 9, size: 40 },
        { area: 3, cell: 2, status: "value", num: 26, size: 90 },
      ],
      { cells: [3] },
    );
    expect(out.status).toEqual(["value", "suppressed", "suppressed", "suppressed", "value"]);
    expect(out.kinds).toEqual(["breakdown", "area"]);
  });
});

describe("publishing a value", () => {
  test("hides a suppressed value's numbers and shows ..", () => {
    expect(
      publish(
        { numerator: 3, denominator: 40, value: 7.5, status: "suppressed", reason: "small_numerator" },
        1,
      ),
    ).toEqual({
      value: null,
      numerator: null,
      denominator: null,
      status: "suppressed",
      reason: "small_numerator",
      symbol: "..",
    });
  });

  test("shows a suppressed value's numbers to an unsuppressed export, still flagged", () => {
    const v = publish(
      { numerator: 3, denominator: 40, value: 7.5, status: "suppressed", reason: "small_numerator" },
      1,
      {
        unsuppressed: true,
      },
    );
    expect(v).toMatchObject({ value: 7.5, numerator: 3, status: "suppressed", symbol: null });
  });

  test("keeps missing, not computable and zero apart", () => {
    const p = (status: Status, value: number | null) =>
      publish({ numerator: value, denominator: value === null ? null : 10, value, status, reason: null }, 1);
    expect(p("missing", null)).toMatchObject({ value: null, symbol: "." });
    expect(p("not_computable", null)).toMatchObject({ value: null, symbol: "–" });
    expect(p("zero", 0)).toMatchObject({ value: 0, symbol: null });
  });

  test("rounds the value to the definition's decimals and counts to whole numbers", () => {
    expect(
      publish({ numerator: 1050.5, denominator: 3, value: 4.1787, status: "value", reason: null }, 1),
    ).toMatchObject({
      value: 4.2,
      numerator: 1051,
      denominator: 3,
    });
  });
});

describe("rounding", () => {
  test.each([
    [2.25, 1, 2.3],
    [-2.25, 1, -2.3],
    [0.05, 1, 0.1],
    [1.005, 2, 1.01],
    [31.25, 1, 31.3],
    [(11 / 125) * 100, 1, 8.8],
    [2.5, 0, 3],
    [-0.5, 0, -1],
  ])("%s to %s decimals is %s (half away from zero)", (x, decimals, expected) => {
    expect(roundHalfAwayFromZero(x, decimals)).toBe(expected);
  });
});
