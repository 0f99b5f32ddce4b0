import { type Reason, type Status, SYMBOLS } from "./status.ts";

/** What every output does to a stored value before a reader sees it. */

/** A stored value as computed (raw counts; only admins and the engine see these). */
export interface StoredValue {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  status: Status;
  reason: string | null;
  /** Of a hidden value, the numbers that stay shown (bit 0 numerator, bit 1 denominator; default 3). */
  shown_parts?: number;
}

/** A value as a reader may see it: hidden parts are null and say why. */
export interface PublishedValue {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: Status;
  reason: Reason | null;
  /** `..`, `.` or `–` where no number is shown. */
  symbol: string | null;
}

/**
 * Turns a stored value into what an output shows: rounded half away from zero to `decimals`
 * (numerator and denominator to whole numbers); a suppressed value shows no value and only the counts
 * protection left shown.
 * `unsuppressed` (admins' exports only) shows the numbers of suppressed values too, still flagged.
 */
export function publish(
  row: StoredValue,
  decimals: number,
  options: { unsuppressed?: boolean } = {},
): PublishedValue {
  // Readers are not told whether a value is small itself or hidden to protect another: that would
  // say which hidden values are 1–4. Only the unsuppressed (admin) view gives the reason.
  const stored = (row.reason ?? null) as Reason | null;
  const reason = row.status === "suppressed" && !options.unsuppressed ? "confidential" : stored;
  const hide = row.status === "suppressed" && !options.unsuppressed;
  const shown = row.status === "value" || row.status === "zero" || (row.status === "suppressed" && !hide);
  // A hidden value may still show a number nobody needs hidden (the periods ended, when only the
  // outcome count is small): protection decides number by number (indicators/protect/).
  const parts = hide ? (row.shown_parts ?? 0) : 3;
  return {
    value: shown && row.value !== null ? roundHalfAwayFromZero(row.value, decimals) : null,
    numerator: !(parts & 1) || row.numerator === null ? null : roundHalfAwayFromZero(row.numerator, 0),
    denominator: !(parts & 2) || row.denominator === null ? null : roundHalfAwayFromZero(row.denominator, 0),
    status: row.status,
    reason,
    symbol: shown ? null : SYMBOLS[row.status],
  };
}

/** Rounds half away from zero (2.25 → 2.3, −2.25 → −2.3), ignoring binary noise below 15 digits. */
export function roundHalfAwayFromZero(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const clean = Math.abs(Number(x.toPrecision(15)));
  // Shifting the decimal point in the text avoids the binary error of clean * 10 ** decimals.
  const rounded = String(clean).includes("e")
    ? Math.round(clean * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${clean}e${decimals}`))}e-${decimals}`);
  return x < 0 ? -rounded : rounded;
}
