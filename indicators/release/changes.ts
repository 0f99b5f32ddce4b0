import type { Queryable } from "../../core/db.ts";
import type { LevelName } from "../levels.ts";
import type { PeriodType } from "../periods.ts";
import type { Catalogue } from "../registry.ts";
import { type PublishedValue, publish } from "../suppress/publish.ts";
import type { Status } from "../suppress/status.ts";
import { FIGURE_COLUMNS, FIGURE_KEY, listReleases, type Release, releaseFiguresSql } from "./figures.ts";
import type { DataChange } from "./make.ts";

/** A published figure as a change lists it: what readers saw (never why a value is hidden). */
export interface ShownFigure {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: Status;
  symbol: string | null;
}

/** One figure that differs between a release and the one before it. */
export interface FigureChange {
  indicator: string;
  category: string | null;
  level: LevelName;
  area: string;
  periodType: PeriodType;
  period: string;
  /** The figure in the previous release (null: it had none). */
  before: ShownFigure | null;
  /** The figure in this release (null: it has none). */
  after: ShownFigure | null;
}

/** What changed from the previous release to a release. */
export interface ReleaseChanges {
  release: Release;
  previous: number | null;
  /** Municipality-quarters the release's loads brought, new or sent again. */
  data: DataChange[];
  /** Figures shown in both whose numbers moved. */
  moved: FigureChange[];
  /** Figures shown before and hidden now (`..`): never why. */
  newlyHidden: FigureChange[];
  /** Figures hidden before and shown now. */
  newlyShown: FigureChange[];
  /** Figures that the previous release did not have, or had as not reported, by indicator. */
  added: Record<string, number>;
  /** Every other difference (a figure gone, a change of completeness or of a not computable value). */
  other: number;
}

type Row = Record<(typeof FIGURE_COLUMNS)[number], unknown> & { side: "before" | "after" };

const shownOf = (p: PublishedValue): ShownFigure => ({
  value: p.value,
  numerator: p.numerator,
  denominator: p.denominator,
  status: p.status,
  symbol: p.symbol,
});

const isShown = (f: ShownFigure | null) => f !== null && (f.status === "value" || f.status === "zero");

/**
 * The changes of release `id` against the one before it (null for an unknown release). Read from the
 * releases' published figures only, so nothing here was not already public in one of the two.
 */
export async function releaseChanges(
  db: Queryable,
  id: number,
  catalogue: Catalogue,
): Promise<ReleaseChanges | null> {
  const releases = await listReleases(db);
  const release = releases.find((r) => r.id === id);
  const latest = releases[0]?.id;
  if (!release || latest === undefined) return null;
  const data = await db.one<{ data_changes: string }>(
    `SELECT data_changes::VARCHAR AS data_changes FROM releases WHERE release_id = ?`,
    [id],
  );
  const out: ReleaseChanges = {
    release,
    previous: id > 1 ? id - 1 : null,
    data: JSON.parse(data?.data_changes ?? "[]") as DataChange[],
    moved: [],
    newlyHidden: [],
    newlyShown: [],
    added: {},
    other: 0,
  };
  if (id === 1) {
    const counts = await db.all<{ indicator_id: string; n: bigint }>(
      `SELECT indicator_id, count(*) AS n FROM (${releaseFiguresSql(1, latest)}) WHERE status <> 'missing' GROUP BY 1 ORDER BY 1`,
    );
    for (const c of counts) out.added[c.indicator_id] = Number(c.n);
    return out;
  }
  // the keys release id − 1 kept in release_history are exactly those that differ in release id
  const key = FIGURE_KEY.join(", ");
  const cols = FIGURE_COLUMNS.join(", ");
  const rows = await db.all<Row>(
    `WITH changed AS (SELECT * FROM release_history WHERE release_id = ${id - 1})
     SELECT 'before' AS side, ${cols} FROM changed WHERE present
     UNION ALL
     SELECT 'after' AS side, ${FIGURE_COLUMNS.map((c) => `a.${c}`).join(", ")}
     FROM (${releaseFiguresSql(id, latest)}) a SEMI JOIN changed USING (${key})
     ORDER BY indicator_id, level, area, period_type, last_quarter, category`,
  );
  const pairs = new Map<string, { before: ShownFigure | null; after: ShownFigure | null; row: Row }>();
  for (const row of rows) {
    const decimals = catalogue.byId(String(row.indicator_id))?.definition.decimals ?? 1;
    const published = shownOf(
      publish(
        {
          value: row.value as number | null,
          numerator: row.numerator as number | null,
          denominator: row.denominator as number | null,
          status: row.status as Status,
          reason: row.reason as string | null,
          shown_parts: row.shown_parts as number,
        },
        decimals,
      ),
    );
    const k = FIGURE_KEY.map((c) => String(row[c])).join("|");
    const pair = pairs.get(k) ?? { before: null, after: null, row };
    pair[row.side] = published;
    pairs.set(k, pair);
  }
  for (const { before, after, row } of pairs.values()) {
    const change: FigureChange = {
      indicator: String(row.indicator_id),
      category: row.category === "" ? null : String(row.category),
      level: row.level as LevelName,
      area: String(row.area),
      periodType: row.period_type as PeriodType,
      period: String(row.period),
      before,
      after,
    };
    const hiddenBefore = before?.status === "suppressed";
    const hiddenAfter = after?.status === "suppressed";
    if ((before === null || before.status === "missing") && after !== null && after.status !== "missing")
      out.added[change.indicator] = (out.added[change.indicator] ?? 0) + 1;
    else if (hiddenAfter && !hiddenBefore && before !== null) out.newlyHidden.push(change);
    else if (hiddenBefore && !hiddenAfter && isShown(after)) out.newlyShown.push(change);
    else if (
      isShown(before) &&
      isShown(after) &&
      (before?.value !== after?.value ||
        before?.numerator !== after?.numerator ||
        before?.denominator !== after?.denominator)
    )
      out.moved.push(change);
    else out.other++;
  }
  return out;
}
