import type { Lang, Localised } from "../core/lang.ts";
import type { IndicatorDefinition } from "../indicators/definition.ts";
import { TERMS, UNIT_TEXT } from "../indicators/format.ts";
import { LEVELS } from "../indicators/levels.ts";
import type { ReaderValue } from "../indicators/read.ts";
import { reasonText, type Status, SYMBOLS } from "../indicators/suppress/status.ts";
import { ipsFigures } from "./ips.ts";
import { periodLabel, type Report } from "./report.ts";

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
  /** The reason code (indicators/suppress/status.ts REASONS), else "". */
  reason: string;
  /** The reason in words, in the export's language. */
  note: string;
  reported: number;
  members: number;
  missing_kunnat: string[];
}

/** A column of TableRow with its heading for people. */
export interface Column {
  key: keyof TableRow;
  kind: "text" | "number" | "list";
  label: Localised;
}

/** The columns of TableRow in file order, with their headings for people. */
export const COLUMNS: Column[] = [
  { key: "indicator", kind: "text", label: TERMS.indicator },
  { key: "category", kind: "text", label: { fi: "luokka", sv: "kategori", en: "category" } },
  { key: "level", kind: "text", label: TERMS.level },
  { key: "area", kind: "text", label: TERMS.areaCode },
  { key: "area_name", kind: "text", label: TERMS.area },
  { key: "period_type", kind: "text", label: { fi: "jakson tyyppi", sv: "periodtyp", en: "period type" } },
  { key: "period", kind: "text", label: TERMS.period },
  { key: "value", kind: "number", label: TERMS.value },
  { key: "unit", kind: "text", label: TERMS.unit },
  { key: "decimals", kind: "number", label: { fi: "desimaalit", sv: "decimaler", en: "decimals" } },
  { key: "numerator", kind: "number", label: { fi: "osoittaja", sv: "täljare", en: "numerator" } },
  { key: "denominator", kind: "number", label: { fi: "nimittäjä", sv: "nämnare", en: "denominator" } },
  { key: "status", kind: "text", label: TERMS.status },
  { key: "symbol", kind: "text", label: { fi: "merkintä", sv: "tecken", en: "symbol" } },
  { key: "reason", kind: "text", label: { fi: "syykoodi", sv: "orsakskod", en: "reason code" } },
  { key: "note", kind: "text", label: TERMS.note },
  {
    key: "reported",
    kind: "number",
    label: TERMS.reportingMunicipalities,
  },
  { key: "members", kind: "number", label: TERMS.municipalities },
  {
    key: "missing_kunnat",
    kind: "list",
    label: { fi: "ei ilmoittaneet", sv: "har inte rapporterat", en: "not reported" },
  },
];

/** Some of the columns, in the order given (a page download's smaller table). */
export function columnsOf(keys: readonly (keyof TableRow)[]): Column[] {
  return keys.map((key) => {
    const column = COLUMNS.find((c) => c.key === key);
    if (!column) throw new Error(`no column ${key}`);
    return column;
  });
}

/** The report's IPS reviews as flat rows after the indicators' (exports/ips.ts): level `yksikko`, period the review date. */
export function ipsTableRows(report: Report, lang: Lang): TableRow[] {
  const threshold = report.metadata.suppressionThreshold;
  return ipsFigures(
    report.ips,
    lang,
    periodLabel(report.selection),
    report.selection.period.kind === "year",
  ).map((f) => {
    const status: Status = f.hidden
      ? "suppressed"
      : f.value === null
        ? f.numerator === null
          ? "missing"
          : "not_computable"
        : f.value === 0
          ? "zero"
          : "value";
    const shown = status === "value" || status === "zero";
    return {
      indicator: f.indicator,
      category: f.category,
      level: f.level,
      area: f.area,
      area_name: f.areaName,
      period_type: f.periodType,
      period: f.period,
      value: f.value,
      unit: f.unit,
      decimals: f.unit === "per_specialist" ? 1 : 0,
      numerator: f.numerator,
      denominator: f.denominator,
      status,
      symbol: shown ? "" : (SYMBOLS[status] ?? ""),
      reason: f.hidden ? "confidential" : "",
      note: f.hidden ? reasonText("confidential", lang, threshold) : f.note,
      reported: 1,
      members: 1,
      missing_kunnat: [],
    };
  });
}

/** The report's values as flat rows, with names and notes in the language (the IPS reviews last). */
export function tableRows(report: Report, lang: Lang): TableRow[] {
  return [...indicatorRows(report, lang), ...ipsTableRows(report, lang)];
}

function indicatorRows(report: Report, lang: Lang): TableRow[] {
  const defs = new Map(report.definitions.map((e) => [e.definition.id, e.definition]));
  const threshold = report.metadata.suppressionThreshold;
  return report.rows.map((v) => valueRow(v, defs.get(v.indicator), lang, threshold));
}

/**
 * One value as read (readValues, already protected) as a flat row, with its names and note in the
 * language: what the page downloads and the reporting exports both write.
 */
export function valueRow(
  v: ReaderValue,
  def: Pick<IndicatorDefinition, "unit" | "decimals"> | undefined,
  lang: Lang,
  threshold: number,
): TableRow {
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
