import { describe, expect, test } from "vitest";
import { lpFinding } from "../../indicators/protect/audit.ts";
import { type LpTarget, rangeByLp } from "../../indicators/protect/ranges.ts";

// Six inner cells: x0 + x1 = 4, x2 + x3 = 5, x0 + x2 = 8 tie x0 to [3, 4] and x1 to [0, 1] (narrow);
// x4 + x5 = 6 leaves both of those anywhere in [0, 6] (wide), over one program of their own.
const space = { nVars: 6, value: [3, 1, 5, 0, 2, 4] };
const published = [
  { vars: [0, 1], coefs: [1, 1] },
  { vars: [2, 3], coefs: [1, 1] },
  { vars: [0, 2], coefs: [1, 1] },
  { vars: [4, 5], coefs: [1, 1] },
];
const cell = (v: number): LpTarget => ({ vars: [v], coefs: [1], row: v, which: 0, scale: 1 });
const targets = [cell(0), cell(1), cell(4), cell(5)];
const MIN_RANGE = 2;
const wideEnough = (range: Parameters<typeof lpFinding>[0]) => lpFinding(range, MIN_RANGE) === null;

describe("the attacker's linear programs solved only as far as needed", () => {
  test("find the same numbers narrow as the exact ranges do", async () => {
    const exact = await rangeByLp(space, published, targets, 100);
    const enough = await rangeByLp(space, published, targets, 100, false, wideEnough);
    const narrow = (ranges: typeof exact) => ranges.map((r) => lpFinding(r, MIN_RANGE) !== null);
    expect(narrow(exact)).toEqual([true, true, false, false]);
    expect(narrow(enough)).toEqual(narrow(exact));
  });

  test("give a narrow number its exact bounds", async () => {
    const [x0, x1] = await rangeByLp(space, published, targets, 100, false, wideEnough);
    expect([x0?.low, x0?.high]).toEqual([3, 4]);
    expect([x1?.low, x1?.high]).toEqual([0, 1]);
  });

  test("give a wide number a range between its true value and a value it can take", async () => {
    const [, , x4, x5] = await rangeByLp(space, published, targets, 100, false, wideEnough);
    for (const [range, truth] of [
      [x4, 2],
      [x5, 4],
    ] as const) {
      expect(range?.low).toBe(truth);
      expect(range?.high ?? 0).toBeGreaterThanOrEqual(truth + MIN_RANGE);
      expect(range?.high ?? 0).toBeLessThanOrEqual(6);
    }
  });
});
