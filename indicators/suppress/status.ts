import type { Localised } from "../../core/lang.ts";

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

/** How each status is written in tables (Statistics Finland's symbols; `..` = confidential). */
export const SYMBOLS: Record<Status, string | null> = {
  value: null,
  zero: null,
  suppressed: "..",
  missing: ".",
  not_computable: "–",
};

/** The explanation of a reason code in a language, with the threshold filled in. */
export function reasonText(reason: Reason, lang: keyof Localised, threshold: number): string {
  return REASONS[reason][lang].replace("{threshold}", String(threshold));
}
