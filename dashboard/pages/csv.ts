import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { excelFile, excelTable } from "../../exports/formats/csv-excel.ts";
import { columnsOf, valueRow } from "../../exports/table.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import type { Lang } from "../i18n.ts";
import { type IndicatorData, indicatorData, type Query } from "./indicator-data.ts";
import { pinnedFileTag } from "./pinned.ts";

/** The columns of a page's CSV download, in file order. */
const CSV_COLUMNS = columnsOf([
  "indicator",
  "level",
  "area",
  "area_name",
  "period",
  "value",
  "unit",
  "numerator",
  "denominator",
  "reported",
  "members",
  "note",
]);

/**
 * The values an indicator page shows, once each (what every download holds): the time series of the
 * area, its county and the country, then the compared members; as readValues gave them, suppressed.
 */
export function pageValues(d: IndicatorData): ReaderValue[] {
  const rows: ReaderValue[] = [];
  const seen = new Set<string>();
  const add = (v: ReaderValue | undefined) => {
    if (!v) return;
    const key = `${v.level}|${v.area}|${v.period}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(v);
  };
  for (const s of d.series) for (const v of s.values) add(v);
  if (d.comparison) for (const m of d.comparison.members) add(d.comparison.values.get(m.code));
  return rows;
}

/** The file name of a data download: `<id>_<level>_<area>_<period type>[_julkaisu-<n>].<ext>`. */
export function downloadName(d: IndicatorData, ext: string): string {
  return `${d.definition.id}_${d.level}_${d.area.code}_${d.periodType}${pinnedFileTag(d.pinned)}.${ext}`;
}

/**
 * The values an indicator page shows, as CSV for Excel: UTF-8 with a BOM, `;` between cells, decimal
 * comma; a hidden value is `..` (not reported `.`, not computable `–`) with its reason, and never a number.
 */
export async function indicatorCsv(db: Queryable, config: Config, lang: Lang, id: string, query: Query) {
  const d = await indicatorData(db, config, id, query);
  return {
    name: downloadName(d, "csv"),
    body: valuesCsv(d.definition, pageValues(d), lang, config.suppressionThreshold),
  };
}

/**
 * Values as CSV for Excel, written by the reporting exports' writer (exports/formats/csv-excel.ts):
 * UTF-8 with a BOM, `;` between cells, decimal comma; a hidden value is `..` (not reported `.`, not
 * computable `–`) with its reason, never a number.
 */
export function valuesCsv(
  def: IndicatorDefinition,
  values: ReaderValue[],
  lang: Lang,
  threshold: number,
): Buffer {
  return excelFile(excelTable(pageRows(def, values, lang, threshold), CSV_COLUMNS, lang));
}

/** The values of a page download as the export writers' rows (names and notes in the language). */
export function pageRows(def: IndicatorDefinition, values: ReaderValue[], lang: Lang, threshold: number) {
  return values.map((v) => valueRow(v, def, lang, threshold));
}
