import { describe, expect, test } from "vitest";
import { LinkedTables } from "../../indicators/protect/system.ts";

// Three municipalities of one area over eight quarters, one flow indicator; municipality 2 did not report
// quarter 1. The area's quarter sums weigh a member by what it reported, and protection skips an area's
// rows for a pattern over two members that weigh alike there (protect.ts, blindLevels).

const QUARTERS = 8;
const MISSING = { kunta: 2, qi: 1 };

function tables(): LinkedTables {
  const rows: { area: number; level: number; qi: number; reported: number }[] = [];
  for (let kunta = 0; kunta < 3; kunta++)
    for (let qi = 0; qi < QUARTERS; qi++)
      rows.push({
        area: kunta,
        level: 0,
        qi,
        reported: kunta === MISSING.kunta && qi === MISSING.qi ? 0 : 1,
      });
  for (let qi = 0; qi < QUARTERS; qi++) rows.push({ area: 3, level: 1, qi, reported: 3 });
  const ints = (f: (r: (typeof rows)[number]) => number) => Int32Array.from(rows.map(f));
  return new LinkedTables({
    ind: ints(() => 0),
    cell: ints(() => 0),
    area: ints((r) => r.area),
    level: ints((r) => r.level),
    ptype: ints(() => 0),
    lastQi: ints((r) => r.qi),
    numerator: Float64Array.from(rows.map(() => 5)),
    denominator: Float64Array.from(rows.map(() => 0)),
    reported: ints((r) => r.reported),
    published: Uint8Array.from(rows.map(() => 1)),
    indicators: [{ component: 0, masks: [[1, 0]], over: ["flow", "none"], cells: 1, addsParts: true }],
    componentAtoms: [1],
    cellValue: new Float64Array(3 * QUARTERS).fill(5),
    cellOk: new Uint8Array(3 * QUARTERS).fill(1),
    nKunta: 3,
    areaOf: [Int32Array.from([0, 1, 2]), Int32Array.from([3, 3, 3])],
    kuntaLevel: 0,
    areaLevel: Int32Array.from([0, 0, 0, 1]),
    areaMembers: [[0], [1], [2], [0, 1, 2]],
    qiMin: 0,
    qiMax: QUARTERS - 1,
    quarterType: 0,
    yearType: 1,
    rollingType: 2,
    threshold: 5,
  });
}

describe("linked tables: members that weigh alike", () => {
  test("two members that reported the same quarters weigh alike in every area row", () => {
    const t = tables();
    expect(t.weighAlike(0, 0, 1, 0, QUARTERS - 1)).toBe(true);
    const areaRow = 3 * QUARTERS + MISSING.qi;
    expect(t.timeWeight(areaRow, 0, 0, MISSING.qi)).toBe(t.timeWeight(areaRow, 0, 1, MISSING.qi));
  });

  test("a member that missed a quarter near the pattern's does not weigh alike", () => {
    const t = tables();
    const areaRow = 3 * QUARTERS + MISSING.qi;
    expect(t.timeWeight(areaRow, 0, 0, MISSING.qi)).toBe(1);
    expect(t.timeWeight(areaRow, 0, MISSING.kunta, MISSING.qi)).toBe(0);
    expect(t.weighAlike(0, 0, MISSING.kunta, MISSING.qi, MISSING.qi)).toBe(false);
    // a period holding quarter 4 may start at quarter 1
    expect(t.weighAlike(0, 0, MISSING.kunta, 4, 4)).toBe(false);
  });

  test("a missed quarter out of the reach of every period holding the pattern's quarters does not count", () => {
    expect(tables().weighAlike(0, 0, MISSING.kunta, 5, 7)).toBe(true);
  });
});
