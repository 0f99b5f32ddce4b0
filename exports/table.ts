import { UNIT_TEXT } from "../indicators/format.ts";
import { LEVELS } from "../indicators/levels.ts";
import { reasonText, type Status } from "../indicators/suppress.ts";
import type { Localised } from "../pipelines/datasets/dataset.ts";
import { periodLabel, type Report } from "./report.ts";

export type Lang = keyof Localised;

/**
 * One value of a report as a flat row: what every tabular format (both CSVs, XLSX, Arrow, Parquet)
 * writes. `status` keeps a shown value, a zero, a hidden (`suppressed`), a not reported (`missing`)
 * and a 0/0 (`not_computable`) value apart; `value`, `numerator` and `denominator` are null wherever
 * publish() gave no number.
 */
export interface TableRow {
  indicator: string;
  /** The breakdown cell's code, "" for the indicator's total. */
  category: string;
  level: string;
  area: string;
  area_name: string;
  period_type: string;
  period: string;
  value: number | null;
  unit: string;
  decimals: number;
  numerator: number | null;
  denominator: number | null;
  status: Status;
  /** `..`, `.` or `–` where no number is shown, else "". */
  symbol: string;
  /** The reason code (indicators/suppress.ts REASONS), else "". */
  reason: string;
  /** The reason in words, in the export's language. */
  note: string;
  reported: number;
  members: number;
  missing_kunnat: string[];
}

/** The columns of TableRow in file order, with their headings for people. */
export const COLUMNS: { key: keyof TableRow; kind: "text" | "number" | "list"; label: Localised }[] = [
  { key: "indicator", kind: "text", label: { fi: "indikaattori", sv: "indikator", en: "indicator" } },
  { key: "category", kind: "text", label: { fi: "luokka", sv: "kategori", en: "category" } },
  { key: "level", kind: "text", label: { fi: "taso", sv: "nivå", en: "level" } },
  { key: "area", kind: "text", label: { fi: "aluekoodi", sv: "områdeskod", en: "area code" } },
  { key: "area_name", kind: "text", label: { fi: "alue", sv: "område", en: "area" } },
  { key: "period_type", kind: "text", label: { fi: "jakson tyyppi", sv: "periodtyp", en: "period type" } },
  { key: "period", kind: "text", label: { fi: "jakso", sv: "period", en: "period" } },
  { key: "value", kind: "number", label: { fi: "arvo", sv: "värde", en: "value" } },
  { key: "unit", kind: "text", label: { fi: "yksikkö", sv: "enhet", en: "unit" } },
  { key: "decimals", kind: "number", label: { fi: "desimaalit", sv: "decimaler", en: "decimals" } },
  { key: "numerator", kind: "number", label: { fi: "osoittaja", sv: "täljare", en: "numerator" } },
  { key: "denominator", kind: "number", label: { fi: "nimittäjä", sv: "nämnare", en: "denominator" } },
  { key: "status", kind: "text", label: { fi: "tila", sv: "status", en: "status" } },
  { key: "symbol", kind: "text", label: { fi: "merkintä", sv: "tecken", en: "symbol" } },
  { key: "reason", kind: "text", label: { fi: "syykoodi", sv: "orsakskod", en: "reason code" } },
  { key: "note", kind: "text", label: { fi: "huomautus", sv: "anmärkning", en: "note" } },
  {
    key: "reported",
    kind: "number",
    label: { fi: "ilmoittaneet kunnat", sv: "kommuner som rapporterat", en: "municipalities reporting" },
  },
  { key: "members", kind: "number", label: { fi: "kuntia", sv: "kommuner", en: "municipalities" } },
  {
    key: "missing_kunnat",
    kind: "list",
    label: { fi: "ei ilmoittaneet", sv: "har inte rapporterat", en: "not reported" },
  },
];

/** How each status is written for people. */
export const STATUS_TEXT: Record<Status, Localised> = {
  value: { fi: "arvo", sv: "värde", en: "value" },
  zero: { fi: "nolla", sv: "noll", en: "zero" },
  suppressed: { fi: "peitetty", sv: "dolt", en: "suppressed" },
  missing: { fi: "ei ilmoitettu", sv: "inte rapporterat", en: "not reported" },
  not_computable: { fi: "ei laskettavissa", sv: "kan inte beräknas", en: "not computable" },
};

/** The report's values as flat rows, with names and notes in the language. */
export function tableRows(report: Report, lang: Lang): TableRow[] {
  const defs = new Map(report.definitions.map((e) => [e.definition.id, e.definition]));
  const threshold = report.metadata.suppressionThreshold;
  return report.rows.map((v) => {
    const def = defs.get(v.indicator);
    return {
      indicator: v.indicator,
      category: v.category ?? "",
      level: v.level,
      area: v.area,
      area_name: v.areaName[lang],
      period_type: v.periodType,
      period: v.period,
      value: v.value,
      unit: def?.unit ?? "",
      decimals: def?.decimals ?? 0,
      numerator: v.numerator,
      denominator: v.denominator,
      status: v.status,
      symbol: v.symbol ?? "",
      reason: v.reason ?? "",
      note: v.reason ? reasonText(v.reason, lang, threshold) : "",
      reported: v.reported,
      members: v.members,
      missing_kunnat: v.missingKunnat,
    };
  });
}

/** The title of a level in a language ("Hyvinvointialue"). */
export function levelTitle(level: string, lang: Lang): string {
  return LEVELS.find((l) => l.name === level)?.title[lang] ?? level;
}

/** A unit for people ("%", "/ 1 000 as."). */
export function unitText(unit: string, lang: Lang): string {
  return UNIT_TEXT[unit as keyof typeof UNIT_TEXT]?.[lang] ?? unit;
}

/** The selection in words: "Hyvinvointialue, Koko maa: 2024". */
export function selectionText(report: Report, lang: Lang): string {
  const levels = [...report.selection.levels, "koko_maa"].map((l) => levelTitle(l, lang)).join(", ");
  return `${levels}: ${periodLabel(report.selection)}`;
}

/** A municipality's name in the language, or its code when the key does not know it. */
export function kuntaName(report: Report, lang: Lang): (code: string) => string {
  return (code) => report.kuntaNames.get(code)?.[lang] ?? code;
}
