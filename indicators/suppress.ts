import type { Database } from "../core/db.ts";
import type { Localised } from "../pipelines/datasets/dataset.ts";

/**
 * Small-number protection (DESIGN.md, "Privacy: small numbers" and "Contract details"). The rules live
 * here and nowhere else: `applySuppression` marks every computed value once, when values are computed,
 * and `publish` is what every output (pages, charts, API, exports, CLI) calls to turn a stored value
 * into what a reader may see.
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
  secondary_area: {
    fi: "Peitetty, jotta toisen kunnan peitettyä lukua ei voi laskea alueen luvusta.",
    sv: "Dolt så att en annan kommuns dolda tal inte kan räknas ut ur områdets tal.",
    en: "Hidden so that another municipality's hidden figure cannot be worked out from the area's total.",
  },
  secondary_period: {
    fi: "Peitetty, jotta toisen neljänneksen peitettyä lukua ei voi laskea vuoden luvusta.",
    sv: "Dolt så att ett annat kvartals dolda tal inte kan räknas ut ur årets tal.",
    en: "Hidden so that another quarter's hidden figure cannot be worked out from the year's figure.",
  },
  secondary_breakdown: {
    fi: "Peitetty, jotta toisen luokan peitettyä lukua ei voi laskea yhteissummasta.",
    sv: "Dolt så att en annan kategoris dolda tal inte kan räknas ut ur totalen.",
    en: "Hidden so that another category's hidden figure cannot be worked out from the total.",
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

/** How each status is written in tables (Statistics Finland's symbols; `..` = confidential). */
export const SYMBOLS: Record<Status, string | null> = {
  value: null,
  zero: null,
  suppressed: "..",
  missing: ".",
  not_computable: "–",
};

/**
 * The table `applySuppression` works on: one row per (indicator, cell, level, area, period) with
 * columns indicator_id, cell, level, area, period_type, period, year, numerator, denominator,
 * reported, den_kind ('measure' | 'population' | 'none'), time_additive, status, reason. `levelAreas`
 * maps each municipality to its area at every level (kunta, level, area).
 */
export interface SuppressionTables {
  values: string;
  levelAreas: string;
}

export interface SuppressionSummary {
  primary: number;
  secondary: number;
  rounds: number;
}

const SHOWN = "('value', 'zero')";
// Which other cell to hide: a non-zero one if any (hiding a published-looking zero protects less),
// then the smallest by denominator (by the count itself for counts), then by code for a stable choice.
const pickOrder = (alias: string, key: string) =>
  `(${alias}.numerator = 0, coalesce(${alias}.denominator, ${alias}.numerator), ${alias}.numerator, ${alias}.${key})`;

/**
 * Marks every row of the values table: primary suppression (counts, numerators or denominators of
 * 1…threshold−1; not reported; 0/0; zero), then secondary suppression repeated until nothing changes:
 * where exactly one member municipality of a shown area is hidden, where exactly one quarter of a shown
 * year is hidden (for indicators whose year adds up its quarters), and where exactly one cell of a
 * shown total's breakdown is hidden, one more cell is hidden.
 */
export async function applySuppression(
  db: Database,
  tables: SuppressionTables,
  threshold: number,
): Promise<SuppressionSummary> {
  const v = tables.values;
  const t = { threshold };
  // Means of quarterly counts may be fractional: anything above 0 and below the threshold is small.
  const small = (col: string) => `(${col} > 0 AND ${col} < $threshold)`;
  await changed(
    db,
    `UPDATE ${v} SET
       status = CASE
         WHEN reported = 0 THEN 'missing'
         WHEN den_kind = 'none' THEN CASE WHEN numerator = 0 THEN 'zero' WHEN ${small("numerator")} THEN 'suppressed' ELSE 'value' END
         WHEN denominator = 0 THEN 'not_computable'
         WHEN ${small("numerator")} OR ${small("denominator")} THEN 'suppressed'
         WHEN numerator = 0 THEN 'zero'
         ELSE 'value' END,
       reason = CASE
         WHEN reported = 0 THEN 'not_reported'
         WHEN den_kind = 'none' THEN CASE WHEN ${small("numerator")} THEN 'small_count' END
         WHEN denominator = 0 THEN 'zero_denominator'
         WHEN ${small("numerator")} THEN 'small_numerator'
         WHEN ${small("denominator")} THEN 'small_denominator' END`,
    t,
  );
  const suppressedCount = async () =>
    Number((await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM ${v} WHERE status = 'suppressed'`))?.n);
  const primaryHidden = await suppressedCount();

  const areaRule = `UPDATE ${v} SET status = 'suppressed', reason = 'secondary_area'
    FROM (
      SELECT k.indicator_id, k.cell, k.period,
        arg_min(k.area, ${pickOrder("k", "area")}) FILTER (WHERE k.status IN ${SHOWN}) AS kunta
      FROM ${v} p
      JOIN ${tables.levelAreas} la ON la.level = p.level AND la.area = p.area
      JOIN ${v} k ON k.indicator_id = p.indicator_id AND k.cell = p.cell AND k.period = p.period
        AND k.level = 'kunta' AND k.area = la.kunta
      WHERE p.level <> 'kunta' AND p.status IN ${SHOWN}
      GROUP BY k.indicator_id, k.cell, k.period, p.level, p.area
      HAVING count(*) FILTER (WHERE k.status = 'suppressed') = 1
    ) pick
    WHERE ${v}.level = 'kunta' AND ${v}.indicator_id = pick.indicator_id AND ${v}.cell = pick.cell
      AND ${v}.period = pick.period AND ${v}.area = pick.kunta`;
  const periodRule = `UPDATE ${v} SET status = 'suppressed', reason = 'secondary_period'
    FROM (
      SELECT q.indicator_id, q.cell, q.level, q.area,
        arg_min(q.period, ${pickOrder("q", "period")}) FILTER (WHERE q.status IN ${SHOWN}) AS period
      FROM ${v} y
      JOIN ${v} q ON q.indicator_id = y.indicator_id AND q.cell = y.cell AND q.level = y.level
        AND q.area = y.area AND q.year = y.year AND q.period_type = 'quarter'
      WHERE y.period_type = 'year' AND y.time_additive AND y.status IN ${SHOWN}
      GROUP BY q.indicator_id, q.cell, q.level, q.area, y.period
      HAVING count(*) FILTER (WHERE q.status = 'suppressed') = 1
    ) pick
    WHERE ${v}.indicator_id = pick.indicator_id AND ${v}.cell = pick.cell AND ${v}.level = pick.level
      AND ${v}.area = pick.area AND ${v}.period = pick.period`;
  const breakdownRule = `UPDATE ${v} SET status = 'suppressed', reason = 'secondary_breakdown'
    FROM (
      SELECT c.indicator_id, c.level, c.area, c.period,
        arg_min(c.cell, ${pickOrder("c", "cell")}) FILTER (WHERE c.status IN ${SHOWN}) AS cell
      FROM ${v} s
      JOIN ${v} c ON c.indicator_id = s.indicator_id AND c.level = s.level AND c.area = s.area
        AND c.period = s.period AND c.cell <> ''
      WHERE s.cell = '' AND s.status IN ${SHOWN}
      GROUP BY c.indicator_id, c.level, c.area, c.period
      HAVING count(*) FILTER (WHERE c.status = 'suppressed') = 1
    ) pick
    WHERE ${v}.indicator_id = pick.indicator_id AND ${v}.level = pick.level AND ${v}.area = pick.area
      AND ${v}.period = pick.period AND ${v}.cell = pick.cell`;

  let rounds = 0;
  // Each round hides at least one more cell, so this ends; the bound only guards against a bug.
  for (; rounds < 50; rounds++) {
    let n = 0;
    for (const rule of [breakdownRule, areaRule, periodRule]) n += await changed(db, rule);
    if (n === 0) break;
  }
  const hidden = await suppressedCount();
  return { primary: primaryHidden, secondary: hidden - primaryHidden, rounds: rounds + 1 };
}

async function changed(db: Database, sql: string, params?: Record<string, number>): Promise<number> {
  const result = await db.connection.run(sql, params);
  return Number(result.rowsChanged);
}

/** A stored value as computed (raw counts; only admins and the engine see these). */
export interface StoredValue {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  status: Status;
  reason: string | null;
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
 * (numerator and denominator to whole numbers); a suppressed value shows neither value nor counts.
 * `unsuppressed` (admins' exports only) shows the numbers of suppressed values too, still flagged.
 */
export function publish(
  row: StoredValue,
  decimals: number,
  options: { unsuppressed?: boolean } = {},
): PublishedValue {
  const reason = (row.reason ?? null) as Reason | null;
  const hide = row.status === "suppressed" && !options.unsuppressed;
  const shown = row.status === "value" || row.status === "zero" || (row.status === "suppressed" && !hide);
  return {
    value: shown && row.value !== null ? roundHalfAwayFromZero(row.value, decimals) : null,
    numerator: hide || row.numerator === null ? null : roundHalfAwayFromZero(row.numerator, 0),
    denominator: hide || row.denominator === null ? null : roundHalfAwayFromZero(row.denominator, 0),
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
