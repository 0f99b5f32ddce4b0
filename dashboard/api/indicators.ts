import type { Queryable } from "../../core/db.ts";
import { UNIT_TEXT } from "../../indicators/format.ts";
import { KOKO_MAA } from "../../indicators/levels.ts";
import { PERIOD_TYPES, type PeriodType } from "../../indicators/periods.ts";
import type { ReleasePin } from "../../indicators/read.ts";
import type { CatalogueEntry } from "../../indicators/registry.ts";
import { releaseFiguresSql } from "../../indicators/release/figures.ts";
import type { ApiIndicator } from "./schemas.ts";

/** Periods with at least one reported value, by period type, oldest first. */
export type PeriodLists = Record<PeriodType, string[]>;

const emptyLists = (): PeriodLists => ({ quarter: [], year: [], rolling4q: [] });

/**
 * The periods that hold values (anything but "not reported") of each indicator's current definition,
 * read from the values as computed.
 */
export async function availablePeriods(
  db: Queryable,
  entries: readonly CatalogueEntry[],
  pin?: ReleasePin,
): Promise<Map<string, PeriodLists>> {
  const out = new Map(entries.map((e) => [e.definition.id, emptyLists()]));
  if (pin) {
    // a release's periods, whatever definition version its figures were computed with
    const rows = await db.all<{ indicator_id: string; period_type: PeriodType; period: string }>(
      `SELECT indicator_id, period_type, period, min(last_quarter) AS last_quarter
       FROM (${releaseFiguresSql(pin.id, pin.latest)})
       WHERE status <> 'missing' GROUP BY ALL ORDER BY indicator_id, period_type, last_quarter`,
    );
    for (const r of rows) out.get(r.indicator_id)?.[r.period_type]?.push(r.period);
    return out;
  }
  const exists = await db.one(
    `SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'indicator_values'`,
  );
  if (!exists || entries.length === 0) return out;
  const rows = await db.all<{ indicator_id: string; period_type: PeriodType; period: string }>(
    `SELECT indicator_id, period_type, period, min(last_quarter) AS last_quarter
     FROM indicator_values
     WHERE indicator_id || ':' || definition_version IN (${entries.map(() => "?").join(", ")})
       AND status <> 'missing'
     GROUP BY ALL ORDER BY indicator_id, period_type, last_quarter`,
    entries.map((e) => `${e.definition.id}:${e.version}`),
  );
  for (const r of rows) out.get(r.indicator_id)?.[r.period_type]?.push(r.period);
  return out;
}

/** An indicator's definition as the API describes it (every field of the definition, in snake_case). */
export function indicatorJson(entry: CatalogueEntry, periods: PeriodLists | undefined): ApiIndicator {
  const def = entry.definition;
  const den = def.denominator;
  const breakdown = def.breakdown;
  return {
    id: def.id,
    version: entry.version,
    title: def.title,
    description: def.description,
    interpretation: def.interpretation,
    limitations: def.limitations,
    source: def.source,
    dataset: def.dataset,
    unit: def.unit,
    unit_text: UNIT_TEXT[def.unit],
    decimals: def.decimals,
    higher_is_better: def.higherIsBetter,
    numerator: { sum: def.numerator.sum, where: def.numerator.where ?? null, over: def.numerator.over },
    denominator:
      den === null
        ? null
        : "sum" in den
          ? { kind: "measure", sum: den.sum, where: den.where ?? null, over: den.over }
          : { kind: "population", population: den.population },
    period_types: PERIOD_TYPES.filter((t) => def.periods.includes(t)),
    levels: def.levels,
    breakdown: breakdown
      ? {
          by: breakdown.by,
          column: breakdown.by === "category" ? breakdown.column : null,
          title: breakdown.title,
          categories: Object.entries(breakdown.labels).map(([code, label]) => ({ code, label })),
        }
      : null,
    periods: periods ?? emptyLists(),
    links: {
      values: `/api/v1/values?indicator=${def.id}&level=koko_maa&area=${KOKO_MAA}`,
      page: `/indikaattori/${def.id}`,
    },
  };
}
