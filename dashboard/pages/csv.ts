import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { UNIT_TEXT } from "../../indicators/format.ts";
import { LEVELS } from "../../indicators/levels.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import { reasonText } from "../../indicators/suppress.ts";
import type { Lang } from "../i18n.ts";
import { indicatorData, type Query } from "./indicator-data.ts";

const H = {
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
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A number for Excel in Finnish use: decimal comma, no thousands separator. */
function csvNumber(n: number | null, decimals: number): string {
  return n === null ? "" : n.toFixed(decimals).replace(".", ",");
}

/**
 * The values an indicator page shows, as CSV for Excel: UTF-8 with a BOM, `;` between cells, decimal
 * comma; a hidden value is `..` (not reported `.`, not computable `–`) with its reason, and never a number.
 */
export async function indicatorCsv(db: Queryable, config: Config, lang: Lang, id: string, query: Query) {
  const d = await indicatorData(db, config, id, query);
  const def = d.definition;
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
  const levelTitle = (name: string) => LEVELS.find((l) => l.name === name)?.title[lang] ?? name;
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
  for (const v of rows) {
    lines.push(
      [
        csvText(def.id),
        csvText(levelTitle(v.level)),
        csvText(v.area),
        csvText(v.areaName[lang]),
        csvText(v.period),
        v.value === null ? csvText(v.symbol ?? "") : csvNumber(v.value, def.decimals),
        csvText(UNIT_TEXT[def.unit][lang]),
        csvNumber(v.numerator, 0),
        csvNumber(v.denominator, 0),
        String(v.reported),
        String(v.members),
        v.value === null && v.reason ? csvText(reasonText(v.reason, lang, config.suppressionThreshold)) : "",
      ].join(";"),
    );
  }
  const name = `${def.id}_${d.level}_${d.area.code}_${d.periodType}.csv`;
  return { name, body: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8") };
}
