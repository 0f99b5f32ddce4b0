import { REASON_CODES, type Reason, STATUSES, type Status } from "./status.ts";

/** The primary rule: which values are small numbers, decided in SQL when values are computed. */

const statusCode = (s: Status) => STATUSES.indexOf(s);
const reasonCode = (r: Reason) => REASON_CODES.indexOf(r);

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
