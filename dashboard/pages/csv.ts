import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { neutralise } from "../../exports/neutralise.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import { UNIT_TEXT } from "../../indicators/format.ts";
import { LEVELS } from "../../indicators/levels.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import { reasonText } from "../../indicators/suppress/status.ts";
import type { Lang } from "../i18n.ts";
import { type IndicatorData, indicatorData, type Query } from "./indicator-data.ts";
import { pinnedFileTag } from "./pinned.ts";

// moved to exports/ (the reporting exports use it too); kept here for existing importers
export { neutralise };

/** Column headings of the downloads (CSV and XLSX). */
export const H = {
  indicator: { fi: "indikaattori", sv: "indikator", en: "indicator" },
  level: { fi: "taso", sv: "nivå", en: "level" },
  code: { fi: "aluekoodi", sv: "områdeskod", en: "area code" },
  area: { fi: "alue", sv: "område", en: "area" },
  period: { fi: "jakso", sv: "period", en: "period" },
  value: { fi: "arvo", sv: "värde", en: "value" },
  unit: { fi: "yksikkö", sv: "enhet", en: "unit" },
  numerator: { fi: "osoittaja", sv: "täljare", en: "numerator" },
  denominator: { fi: "nimittäjä", sv: "nämnare", en: "denominator" },
  reported: { fi: "ilmoittaneet kunnat", sv: "kommuner som rapporterat", en: "municipalities reporting" },
  members: { fi: "kuntia", sv: "kommuner", en: "municipalities" },
  note: { fi: "huomautus", sv: "anmärkning", en: "note" },
} as const;

/** A text cell safe for Excel: a leading = + - @ (or tab/CR) is neutralised, quotes where needed. */
export function csvText(value: string): string {
  const safe = neutralise(value);
  return /[;"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A number for Excel in Finnish use: decimal comma, no thousands separator. */
function csvNumber(n: number | null, decimals: number): string {
  return n === null ? "" : n.toFixed(decimals).replace(".", ",");
}

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

/** The title of an area level in the language ("Kunta", "Kommun"). */
export function levelTitle(name: string, lang: Lang): string {
  return LEVELS.find((l) => l.name === name)?.title[lang] ?? name;
}

/** Why a value is not shown (its note), or "" for a shown one. */
export function noteText(v: ReaderValue, lang: Lang, threshold: number): string {
  return v.value === null && v.reason ? reasonText(v.reason, lang, threshold) : "";
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
 * Values as CSV for Excel: UTF-8 with a BOM, `;` between cells, decimal comma; a hidden value is `..`
 * (not reported `.`, not computable `–`), never a number.
 */
export function valuesCsv(
  def: IndicatorDefinition,
  values: ReaderValue[],
  lang: Lang,
  threshold: number,
): Buffer {
  const header = [
    H.indicator,
    H.level,
    H.code,
    H.area,
    H.period,
    H.value,
    H.unit,
    H.numerator,
    H.denominator,
    H.reported,
    H.members,
    H.note,
  ].map((h) => csvText(h[lang]));
  const lines = [header.join(";")];
  for (const v of values) {
    lines.push(
      [
        csvText(def.id),
        csvText(levelTitle(v.level, lang)),
        csvText(v.area),
        csvText(v.areaName[lang]),
        csvText(v.period),
        v.value === null ? csvText(v.symbol ?? "") : csvNumber(v.value, def.decimals),
        csvText(UNIT_TEXT[def.unit][lang]),
        csvNumber(v.numerator, 0),
        csvNumber(v.denominator, 0),
        String(v.reported),
        String(v.members),
        csvText(noteText(v, lang, threshold)),
      ].join(";"),
    );
  }
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}
