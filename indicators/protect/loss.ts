import type { Queryable } from "../../core/db.ts";
import { LEVEL_NAMES, type LevelName } from "../levels.ts";
import { PERIOD_TYPES, type PeriodType } from "../periods.ts";

/** Hidden values of one level and period type: by the primary rule alone, and after protection. */
export interface LossRow {
  level: LevelName;
  periodType: PeriodType;
  /** Values that have a number to show or hide (not missing). */
  values: number;
  primary: number;
  hidden: number;
}

/**
 * The information loss of the release being served: per level and period type, how many values the
 * primary rule hides and how many are hidden after protection (README, "Privacy").
 */
export async function informationLoss(db: Queryable): Promise<LossRow[]> {
  const rows = await db.all<{
    level: string;
    period_type: string;
    values: bigint;
    primary: bigint;
    hidden: bigint;
  }>(
    `SELECT level, period_type,
       count(*) FILTER (WHERE status <> 'missing') AS values,
       count(*) FILTER (WHERE status = 'suppressed' AND reason IN ('small_count', 'small_numerator', 'small_denominator')) AS primary,
       count(*) FILTER (WHERE status = 'suppressed') AS hidden
     FROM indicator_values GROUP BY level, period_type`,
  );
  return rows
    .map((r) => ({
      level: r.level as LevelName,
      periodType: r.period_type as PeriodType,
      values: Number(r.values),
      primary: Number(r.primary),
      hidden: Number(r.hidden),
    }))
    .sort(
      (a, b) =>
        LEVEL_NAMES.indexOf(a.level) - LEVEL_NAMES.indexOf(b.level) ||
        PERIOD_TYPES.indexOf(a.periodType) - PERIOD_TYPES.indexOf(b.periodType),
    );
}
