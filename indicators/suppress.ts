import type { Localised } from "../core/lang.ts";

/**
 * Small-number protection (DESIGN.md, "Privacy: small numbers"). `primarySql` marks the small numbers
 * when values are computed, the protection step (indicators/protect/) hides what would give them away
 * and audits the release, and `publish` is what every output (pages, charts, API, exports, CLI) calls
 * to turn a stored value into what a reader may see.
 */

/** What a value is: shown, hidden, not reported, 0/0, or zero (kept apart as JSON-stat does). */
export const STATUSES = ["value", "zero", "suppressed", "missing", "not_computable"] as const;
export type Status = (typeof STATUSES)[number];

/** Why a value is not shown; stable codes that pages and exports explain with `REASONS`. */
export const REASONS = {
  small_count: {
    fi: "Luku on pienempi kuin {threshold}, joten se on peitetty tietosuojan vuoksi.",
    sv: "Talet är mindre än {threshold} och har dolts av dataskyddsskäl.",
    en: "The count is below {threshold} and is hidden to protect privacy.",
  },
  small_numerator: {
    fi: "Osoittaja on pienempi kuin {threshold}, joten arvo on peitetty tietosuojan vuoksi.",
    sv: "Täljaren är mindre än {threshold} och värdet har dolts av dataskyddsskäl.",
    en: "The numerator is below {threshold}, so the value is hidden to protect privacy.",
  },
  small_denominator: {
    fi: "Nimittäjä on pienempi kuin {threshold}, joten arvo on peitetty tietosuojan vuoksi.",
    sv: "Nämnaren är mindre än {threshold} och värdet har dolts av dataskyddsskäl.",
    en: "The denominator is below {threshold}, so the value is hidden to protect privacy.",
  },
  secondary: {
    fi: "Peitetty, jotta toista peitettyä lukua ei voi laskea julkaistuista luvuista.",
    sv: "Dolt så att ett annat dolt tal inte kan räknas ut ur de publicerade talen.",
    en: "Hidden so that another hidden figure cannot be worked out from the published ones.",
  },
  confidential: {
    fi: "Peitetty tietosuojan vuoksi: luku on pienempi kuin {threshold} tai siitä voisi päätellä pienen luvun.",
    sv: "Dolt av dataskyddsskäl: talet är mindre än {threshold} eller ett litet tal kunde härledas ur det.",
    en: "Hidden to protect privacy: the figure is below {threshold} or a small figure could be worked out from it.",
  },
  not_reported: {
    fi: "Tietoa ei ole ilmoitettu.",
    sv: "Uppgiften har inte rapporterats.",
    en: "Not reported.",
  },
  zero_denominator: {
    fi: "Ei laskettavissa: nimittäjä on nolla.",
    sv: "Kan inte beräknas: nämnaren är noll.",
    en: "Cannot be computed: the denominator is zero.",
  },
} as const satisfies Record<string, Localised>;
export type Reason = keyof typeof REASONS;
/** Reason codes as stored (the index of each reason). */
export const REASON_CODES = Object.keys(REASONS) as Reason[];

const statusCode = (s: Status) => STATUSES.indexOf(s);
const reasonCode = (r: Reason) => REASON_CODES.indexOf(r);

/** How each status is written in tables (Statistics Finland's symbols; `..` = confidential). */
export const SYMBOLS: Record<Status, string | null> = {
  value: null,
  zero: null,
  suppressed: "..",
  missing: ".",
  not_computable: "–",
};

/**
 * SQL of the primary status and reason codes (indexes into STATUSES and REASON_CODES) of a value
 * from its numerator, denominator, number of
 * reporting municipalities and kind of denominator ('measure' | 'population' | 'none'), with the
 * threshold as the bound parameter $threshold. Counts and numerators or denominators above 0 and
 * below the threshold are hidden (means of quarterly counts may be fractional, so "1–4" is "> 0 and
 * < 5"); 0/0 is not computable; a shown 0 is `zero`.
 */
export function primarySql(c: { numerator: string; denominator: string; reported: string; denKind: string }) {
  const small = (col: string) => `(${col} > 0 AND ${col} < $threshold)`;
  const st = statusCode;
  const re = reasonCode;
  return {
    status: `(CASE
      WHEN ${c.reported} = 0 THEN ${st("missing")}
      WHEN ${c.denKind} = 'none' THEN CASE WHEN ${c.numerator} = 0 THEN ${st("zero")}
        WHEN ${small(c.numerator)} THEN ${st("suppressed")} ELSE ${st("value")} END
      WHEN ${c.denominator} = 0 THEN ${st("not_computable")}
      WHEN ${small(c.numerator)} OR ${small(c.denominator)} THEN ${st("suppressed")}
      WHEN ${c.numerator} = 0 THEN ${st("zero")}
      ELSE ${st("value")} END)::TINYINT`,
    reason: `(CASE
      WHEN ${c.reported} = 0 THEN ${re("not_reported")}
      WHEN ${c.denKind} = 'none' THEN CASE WHEN ${small(c.numerator)} THEN ${re("small_count")} END
      WHEN ${c.denominator} = 0 THEN ${re("zero_denominator")}
      WHEN ${small(c.numerator)} THEN ${re("small_numerator")}
      WHEN ${small(c.denominator)} THEN ${re("small_denominator")} END)::TINYINT`,
  };
}

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

/** The explanation of a reason code in a language, with the threshold filled in. */
export function reasonText(reason: Reason, lang: keyof Localised, threshold: number): string {
  return REASONS[reason][lang].replace("{threshold}", String(threshold));
}
