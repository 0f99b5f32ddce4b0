/** A calendar quarter, e.g. { year: 2024, quarter: 1 } = "2024Q1". */
export interface Quarter {
  year: number;
  quarter: number;
}

/** The canonical label of a quarter, e.g. "2024Q1". */
export function quarterLabel(q: Quarter): string {
  return `${q.year}Q${q.quarter}`;
}

/** A quarter as one increasing integer (year × 4 + quarter − 1), for ranges and comparisons. */
export function quarterIndex(q: Quarter): number {
  return q.year * 4 + q.quarter - 1;
}

/** The quarter of an index made by quarterIndex. */
export function quarterOfIndex(index: number): Quarter {
  return { year: Math.floor(index / 4), quarter: (index % 4) + 1 };
}

/** The last quarter that has fully ended on the given date (YYYY-MM-DD). */
export function lastEndedQuarter(today: string): Quarter {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const current = { year, quarter: Math.floor((month - 1) / 3) + 1 };
  return quarterOfIndex(quarterIndex(current) - 1);
}

/** The earliest quarter the system accepts. */
export const FIRST_QUARTER: Quarter = { year: 2000, quarter: 1 };
