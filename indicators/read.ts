import type { Queryable } from "../core/db.ts";
import type { Localised } from "../core/lang.ts";
import { Params } from "../core/sql.ts";
import type { IndicatorDefinition } from "./definition.ts";
import { KOKO_MAA, KOKO_MAA_NAME, LEVEL_NAMES, LEVELS, type LevelName } from "./levels.ts";
import type { PeriodType } from "./periods.ts";
import { type Catalogue, loadCatalogue } from "./registry.ts";
import { catalogueAt } from "./release/definitions.ts";
import { releaseFiguresSql } from "./release/figures.ts";
import { type PublishedValue, publish } from "./suppress/publish.ts";
import type { Status } from "./suppress/status.ts";

/** Which stored values to read; every field narrows, none = all of the indicator. */
export interface ValueQuery {
  indicator: string;
  level?: LevelName;
  area?: string;
  /** An exact period label: `2024Q1`, `2024` or `2023Q2-2024Q1`. */
  period?: string;
  periodType?: PeriodType;
  /** "" = the total; a breakdown value; undefined = the total and every cell. */
  category?: string;
  /** Several areas at once, each a level and a code (one read for a page's columns). */
  areas?: { level: LevelName; area: string }[];
}

/** A pinned read: the release asked for and the latest release's number (see releaseFiguresSql). */
export interface ReleasePin {
  id: number;
  latest: number;
}

/** One value as a reader of the dashboard gets it (suppressed per publish()). */
export interface ReaderValue extends PublishedValue {
  indicator: string;
  category: string | null;
  categoryLabel: Localised | null;
  level: LevelName;
  area: string;
  areaName: Localised;
  periodType: PeriodType;
  period: string;
  firstQuarter: string;
  lastQuarter: string;
  /** The population year a per-inhabitant rate used; differs from the period's year when missing. */
  populationYear: number | null;
  reported: number;
  members: number;
  missingKunnat: string[];
}

/** An indicator's values for a query, with its definition. */
export interface ReadResult {
  definition: IndicatorDefinition;
  values: ReaderValue[];
  /** True when results exist only for an older version of the definition (recompute needed). */
  stale: boolean;
}

type Row = {
  category: string;
  level: LevelName;
  area: string;
  period_type: PeriodType;
  period: string;
  first_quarter: string;
  last_quarter: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  population_year: number | null;
  reported: number;
  members: number;
  missing_kunnat: string[];
  status: Status;
  reason: string | null;
  shown_parts: number;
  name_fi: string | null;
  name_sv: string | null;
  name_en: string | null;
};

/** SQL of (level, area, name_fi, name_sv, name_en) for every area of every level. */
function areaNamesSql(params: Params): string {
  return LEVELS.map((l) =>
    l.column === null
      ? `SELECT ${params.bind(l.name)} AS level, ${params.bind(KOKO_MAA)} AS area, ${params.bind(KOKO_MAA_NAME.fi)} AS name_fi,
           ${params.bind(KOKO_MAA_NAME.sv)} AS name_sv, ${params.bind(KOKO_MAA_NAME.en)} AS name_en`
      : `SELECT DISTINCT ${params.bind(l.name)} AS level, ${l.column} AS area, ${l.names.fi} AS name_fi,
           ${l.names.sv} AS name_sv, ${l.names.en} AS name_en FROM ref_kunta`,
  ).join(" UNION ALL ");
}

/** Options of a read: the catalogue to use, an admin's unsuppressed read, or a release's figures. */
export interface ReadOptions {
  catalogue?: Catalogue;
  unsuppressed?: boolean;
  /** A release's figures (pinned read) instead of the latest: [its number, the latest release's]. */
  release?: ReleasePin;
}

/**
 * Reads an indicator's current values (those of the definition's current version) at the levels the
 * definition publishes, each passed through publish(): suppressed values carry no numbers. Throws for
 * an unknown indicator id.
 */
export async function readValues(
  db: Queryable,
  query: ValueQuery,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const [result] = await readManyValues(db, [query], options);
  if (!result) throw new Error("readManyValues returned no result for a query");
  return result;
}

/**
 * readValues for several queries (of any indicators) in one database read, one result per query in
 * their order: a page that shows a row per indicator pays for one query instead of one per indicator
 * (each read costs a few milliseconds of DuckDB's start-up however few rows it finds).
 */
export async function readManyValues(
  db: Queryable,
  queries: ValueQuery[],
  options: ReadOptions = {},
): Promise<ReadResult[]> {
  // a pinned read's definitions (decimals, labels) are the release's own
  const catalogue =
    options.catalogue ??
    (options.release ? await catalogueAt(db, options.release.id) : await loadCatalogue());
  const entries = queries.map((query) => {
    const entry = catalogue.byId(query.indicator);
    if (!entry) throw new UnknownIndicatorError(query.indicator, catalogue);
    return entry;
  });
  const pin = options.release;
  if (pin && options.unsuppressed) throw new Error("a release holds published figures only");
  if (queries.length === 0) return [];
  if (!pin) {
    const exists = await db.one(
      `SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'indicator_values'`,
    );
    if (!exists) return entries.map((e) => ({ definition: e.definition, values: [], stale: true }));
  }
  const params = new Params();
  const matches = queries.map((query, i) => {
    const { definition: def, version } = entries[i] as (typeof entries)[number];
    // a release keeps its figures whatever definition version they were computed with
    const where = [
      `v.indicator_id = ${params.bind(def.id)}`,
      ...(pin ? [] : [`v.definition_version = ${params.bind(version)}`]),
      `v.level IN (${def.levels.map((l) => params.bind(l)).join(", ")})`,
    ];
    if (query.level) where.push(`v.level = ${params.bind(query.level)}`);
    if (query.area) where.push(`v.area = ${params.bind(query.area)}`);
    if (query.period) where.push(`v.period = ${params.bind(query.period)}`);
    if (query.periodType) where.push(`v.period_type = ${params.bind(query.periodType)}`);
    if (query.category !== undefined) where.push(`v.category = ${params.bind(query.category)}`);
    if (query.areas)
      where.push(
        query.areas.length === 0
          ? "FALSE"
          : `(${query.areas.map((a) => `(v.level = ${params.bind(a.level)} AND v.area = ${params.bind(a.area)})`).join(" OR ")})`,
      );
    return `(${where.join(" AND ")})`;
  });
  // which query a row answers (a row may answer several: the same indicator asked twice)
  const rows = await db.all<Row & { matched: boolean[] }>(
    `SELECT v.*, n.name_fi, n.name_sv, n.name_en, [${matches.join(", ")}] AS matched
     FROM ${pin ? `(${releaseFiguresSql(pin.id, pin.latest)})` : "indicator_values"} v LEFT JOIN (${areaNamesSql(params)}) n ON n.level = v.level AND n.area = v.area
     WHERE ${matches.join(" OR ")}`,
    params.values,
  );
  const results: ReadResult[] = [];
  for (const [i, entry] of entries.entries()) {
    const def = entry.definition;
    const own = rows.filter((r) => r.matched[i]);
    let stale = false;
    if (own.length === 0 && !pin) {
      const other = await db.one(`SELECT 1 AS x FROM indicator_values WHERE indicator_id = ? LIMIT 1`, [
        def.id,
      ]);
      stale = other !== undefined;
    }
    results.push({ definition: def, values: readerValues(def, own, options.unsuppressed), stale });
  }
  return results;
}

/** Stored rows as readers get them: in level, area, period and category order, each through publish(). */
function readerValues(
  def: IndicatorDefinition,
  rows: Row[],
  unsuppressed: boolean | undefined,
): ReaderValue[] {
  const cells = ["", ...Object.keys(def.breakdown?.labels ?? {})];
  const levelOrder = (l: string) => LEVEL_NAMES.indexOf(l as LevelName);
  const typeOrder = (t: string) => ["quarter", "year", "rolling4q"].indexOf(t);
  const sorted = [...rows].sort(
    (a, b) =>
      levelOrder(a.level) - levelOrder(b.level) ||
      a.area.localeCompare(b.area) ||
      typeOrder(a.period_type) - typeOrder(b.period_type) ||
      a.last_quarter.localeCompare(b.last_quarter) ||
      cells.indexOf(a.category) - cells.indexOf(b.category),
  );
  return sorted.map((r): ReaderValue => {
    const published = publish(r, def.decimals, { unsuppressed });
    return {
      indicator: def.id,
      category: r.category === "" ? null : r.category,
      categoryLabel: r.category === "" ? null : (def.breakdown?.labels[r.category] ?? null),
      level: r.level,
      area: r.area,
      areaName: { fi: r.name_fi ?? r.area, sv: r.name_sv ?? r.area, en: r.name_en ?? r.area },
      periodType: r.period_type,
      period: r.period,
      firstQuarter: r.first_quarter,
      lastQuarter: r.last_quarter,
      ...published,
      // the population of an area is public; a suppressed rate still says which year it would use
      populationYear: r.population_year,
      reported: r.reported,
      members: r.members,
      missingKunnat: r.missing_kunnat,
    };
  });
}

/** Thrown for an indicator id that is not in the catalogue. */
export class UnknownIndicatorError extends Error {
  constructor(
    readonly id: string,
    catalogue: Catalogue,
  ) {
    super(
      `Tuntematon indikaattori: ${id}. Tunnetut: ${catalogue.entries.map((e) => e.definition.id).join(", ")}`,
    );
    this.name = "UnknownIndicatorError";
  }
}
