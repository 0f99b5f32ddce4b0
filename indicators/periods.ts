import { FIRST_QUARTER, quarterIndex, quarterLabel, quarterOfIndex } from "../core/quarter.ts";

/**
 * The periods an indicator can be computed over. A period is a run of whole quarters, named by a label
 * that is unique across types: `2024Q1` (quarter), `2024` (calendar year), `2023Q2-2024Q1` (the four
 * quarters ending 2024Q1). Quarters are handled as indexes (core/quarter.ts quarterIndex).
 */
export const PERIOD_TYPES = ["quarter", "year", "rolling4q"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** One period: its type, label and first and last quarter. */
export interface Period {
  type: PeriodType;
  label: string;
  /** Index of the first and last quarter of the period. */
  firstQi: number;
  lastQi: number;
}

const quarterText = (qi: number) => quarterLabel(quarterOfIndex(qi));

/** The period of the given type that ends with quarter index lastQi. */
export function periodEndingAt(type: PeriodType, lastQi: number): Period {
  switch (type) {
    case "quarter":
      return { type, label: quarterText(lastQi), firstQi: lastQi, lastQi };
    case "year": {
      const year = Math.floor(lastQi / 4);
      return { type, label: String(year), firstQi: year * 4, lastQi: year * 4 + 3 };
    }
    case "rolling4q":
      return {
        type,
        label: `${quarterText(lastQi - 3)}-${quarterText(lastQi)}`,
        firstQi: lastQi - 3,
        lastQi,
      };
  }
}

/**
 * Every period of the given types that overlaps the quarters firstQi…lastQi holding data and has
 * ended by lastEndedQi: each quarter, each calendar year whose four quarters have ended, and each run
 * of four quarters ending in the data range.
 */
export function periodsCovering(
  range: { firstQi: number; lastQi: number },
  lastEndedQi: number,
  types: readonly PeriodType[] = PERIOD_TYPES,
): Period[] {
  const out: Period[] = [];
  const last = Math.min(range.lastQi, lastEndedQi);
  const first = Math.max(range.firstQi, quarterIndex(FIRST_QUARTER));
  if (types.includes("quarter")) for (let q = first; q <= last; q++) out.push(periodEndingAt("quarter", q));
  if (types.includes("year")) {
    for (let y = Math.floor(first / 4); y <= Math.floor(last / 4); y++) {
      if (y * 4 + 3 <= lastEndedQi) out.push(periodEndingAt("year", y * 4 + 3));
    }
  }
  if (types.includes("rolling4q")) {
    for (let q = Math.max(first + 3, quarterIndex(FIRST_QUARTER) + 3); q <= last; q++)
      out.push(periodEndingAt("rolling4q", q));
  }
  return out;
}

/** Reads a period label (`2024Q1`, `2024`, `2023Q2-2024Q1`, case-insensitive); null if it is none. */
export function parsePeriod(text: string): Period | null {
  const t = text.trim().toUpperCase();
  const q = (s: string) => {
    const m = /^(\d{4})Q([1-4])$/.exec(s);
    return m ? quarterIndex({ year: Number(m[1]), quarter: Number(m[2]) }) : null;
  };
  if (/^\d{4}$/.test(t)) return periodEndingAt("year", Number(t) * 4 + 3);
  const single = q(t);
  if (single !== null) return periodEndingAt("quarter", single);
  const [a, b, ...rest] = t.split("-");
  if (a === undefined || b === undefined || rest.length > 0) return null;
  const from = q(a);
  const to = q(b);
  if (from === null || to === null || to - from !== 3) return null;
  return periodEndingAt("rolling4q", to);
}
