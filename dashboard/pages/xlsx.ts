import ExcelJS from "exceljs";
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { neutralise } from "../../exports/neutralise.ts";
import type { PlacedAnnotation } from "../../indicators/annotations.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import { UNIT_TEXT } from "../../indicators/format.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import type { Status } from "../../indicators/suppress/status.ts";
import type { Lang } from "../i18n.ts";
import { downloadName, H, levelTitle, noteText, pageValues } from "./csv.ts";
import { type IndicatorData, indicatorData, type Query } from "./indicator-data.ts";
import { pinnedNote } from "./pinned.ts";
import { PERIOD_TYPE_TEXT, V } from "./values.ts";

/**
 * The values of an indicator page as an Excel workbook: the values (the same rows as the CSV, numbers
 * as number cells), the definition, and notes. A hidden value is its symbol as text with its reason,
 * never a number; every text cell is neutralised against formula injection.
 */

const X = {
  values: { fi: "Arvot", sv: "Värden", en: "Values" },
  definition: { fi: "Määritelmä", sv: "Definition", en: "Definition" },
  notes: { fi: "Huomautukset", sv: "Anmärkningar", en: "Notes" },
  status: { fi: "tila", sv: "status", en: "status" },
  field: { fi: "kohta", sv: "uppgift", en: "field" },
  text: { fi: "teksti", sv: "text", en: "text" },
  title: { fi: "Nimi", sv: "Namn", en: "Title" },
  description: { fi: "Mitä lasketaan", sv: "Vad räknas", en: "What is counted" },
  interpretation: { fi: "Tulkinta", sv: "Tolkning", en: "Interpretation" },
  limitations: { fi: "Rajoitukset", sv: "Begränsningar", en: "Limitations" },
  source: { fi: "Lähde", sv: "Källa", en: "Source" },
  unit: { fi: "Yksikkö", sv: "Enhet", en: "Unit" },
  selection: { fi: "Valinta", sv: "Urval", en: "Selection" },
  threshold: {
    fi: "Tietosuoja: luvut, jotka ovat pienempiä kuin {threshold}, ja osuudet, joiden osoittaja tai nimittäjä on pienempi kuin {threshold}, on peitetty (..). Lisäksi on peitetty luvut, joista peitetyn luvun voisi laskea.",
    sv: "Dataskydd: tal under {threshold} och andelar vars täljare eller nämnare är under {threshold} har dolts (..). Även tal ur vilka ett dolt tal kunde räknas ut har dolts.",
    en: "Privacy: counts below {threshold}, and rates whose numerator or denominator is below {threshold}, are hidden (..), as are figures from which a hidden one could be worked out.",
  },
  missing: {
    fi: "{area}, {period}: ei ilmoittaneet: {list}",
    sv: "{area}, {period}: har inte rapporterat: {list}",
    en: "{area}, {period}: not reported: {list}",
  },
  allReported: {
    fi: "{area}, {period}: kaikki kunnat ilmoittivat",
    sv: "{area}, {period}: alla kommuner rapporterade",
    en: "{area}, {period}: all municipalities reported",
  },
} as const;

/** How each status is written in the values sheet. */
export const STATUS_TEXT: Record<Status, Record<Lang, string>> = {
  value: { fi: "arvo", sv: "värde", en: "value" },
  zero: { fi: "nolla", sv: "noll", en: "zero" },
  suppressed: { fi: "peitetty", sv: "dolt", en: "suppressed" },
  missing: { fi: "ei ilmoitettu", sv: "inte rapporterat", en: "not reported" },
  not_computable: { fi: "ei laskettavissa", sv: "kan inte beräknas", en: "not computable" },
};

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
}

/** Excel's number format for a number of decimals: `0`, `0.0`, `0.00` (with a thousands separator). */
export function numberFormat(decimals: number): string {
  return decimals > 0 ? `#,##0.${"0".repeat(decimals)}` : "#,##0";
}

/** A cell value: a number as a number, a text neutralised, nothing as an empty cell. */
export function cellValue(value: string | number | null): string | number | null {
  if (value === null || typeof value === "number") return value;
  return value === "" ? null : neutralise(value);
}

/** A sheet with a bold, frozen header row and the given rows (each cell through cellValue). */
function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: { header: string; width: number; numFmt?: string }[],
  rows: (string | number | null)[][],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: neutralise(c.header),
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  for (const row of rows) ws.addRow(row.map(cellValue));
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** One row of the values sheet: the value a number cell, or its symbol as text where hidden. */
function valueRow(v: ReaderValue, def: IndicatorDefinition, lang: Lang, threshold: number) {
  return [
    levelTitle(v.level, lang),
    v.area,
    v.areaName[lang],
    v.period,
    v.value ?? v.symbol ?? "",
    UNIT_TEXT[def.unit][lang],
    v.numerator,
    v.denominator,
    v.reported,
    v.members,
    STATUS_TEXT[v.status][lang],
    noteText(v, lang, threshold),
  ];
}

/** What a workbook of values holds: the values (as readValues gave them), the selection and notes. */
export interface WorkbookInput {
  definition: IndicatorDefinition;
  values: ReaderValue[];
  /** The choices that made the values, in words. */
  selection: string;
  /** Lines of the notes sheet after the privacy and symbol notes (completeness, annotations). */
  notes: string[];
}

function valuesSheet(wb: ExcelJS.Workbook, input: WorkbookInput, lang: Lang, threshold: number): void {
  const whole = numberFormat(0);
  addSheet(
    wb,
    X.values[lang],
    [
      { header: H.level[lang], width: 18 },
      { header: H.code[lang], width: 10 },
      { header: H.area[lang], width: 32 },
      { header: H.period[lang], width: 14 },
      { header: H.value[lang], width: 10, numFmt: numberFormat(input.definition.decimals) },
      { header: H.unit[lang], width: 12 },
      { header: H.numerator[lang], width: 12, numFmt: whole },
      { header: H.denominator[lang], width: 12, numFmt: whole },
      { header: H.reported[lang], width: 12, numFmt: whole },
      { header: H.members[lang], width: 10, numFmt: whole },
      { header: X.status[lang], width: 16 },
      { header: H.note[lang], width: 60 },
    ],
    input.values.map((v) => valueRow(v, input.definition, lang, threshold)),
  );
}

function definitionSheet(wb: ExcelJS.Workbook, input: WorkbookInput, lang: Lang): void {
  const def = input.definition;
  addSheet(
    wb,
    X.definition[lang],
    [
      { header: X.field[lang], width: 20 },
      { header: X.text[lang], width: 100 },
    ],
    [
      [H.indicator[lang], def.id],
      [X.title[lang], def.title[lang]],
      [X.description[lang], def.description[lang]],
      [X.interpretation[lang], def.interpretation[lang]],
      [X.limitations[lang], def.limitations[lang]],
      [X.source[lang], def.source[lang]],
      [X.unit[lang], UNIT_TEXT[def.unit][lang]],
      [X.selection[lang], input.selection],
    ],
  ).getColumn(2).alignment = { wrapText: true, vertical: "top" };
}

/** Who did not report in the chosen period, per area of the time series (as the page's table). */
function completenessNotes(d: IndicatorData, lang: Lang): string[] {
  if (!d.period) return [];
  const period = d.period;
  return d.series.flatMap((s) => {
    const v = s.values.find((x) => x.period === period);
    if (!v) return [];
    return [missingNote(s.area.name[lang], v, (k) => d.areas.get("kunta", k)?.name[lang] ?? k, lang)];
  });
}

/** "<area>, <period>: not reported: …" (or "every municipality reported") for one value. */
export function missingNote(area: string, v: ReaderValue, kuntaName: (code: string) => string, lang: Lang) {
  const names = v.missingKunnat.map(kuntaName).sort((a, b) => a.localeCompare(b, lang));
  const values = { area, period: v.period, list: names.join(", ") };
  return fill(names.length === 0 ? X.allReported[lang] : X.missing[lang], values);
}

function notesSheet(wb: ExcelJS.Workbook, input: WorkbookInput, lang: Lang, threshold: number): void {
  const lines = [
    fill(X.threshold[lang], { threshold: String(threshold) }),
    V.symbols[lang],
    ...input.notes,
    `${X.source[lang]}: ${input.definition.source[lang]}`,
  ];
  addSheet(
    wb,
    X.notes[lang],
    [{ header: V.notes[lang], width: 120 }],
    lines.map((l) => [l]),
  ).getColumn(1).alignment = { wrapText: true, vertical: "top" };
}

/** A workbook of values: the values sheet, the definition and the notes. */
export function valuesWorkbook(input: WorkbookInput, lang: Lang, threshold: number): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Seuranta";
  valuesSheet(wb, input, lang, threshold);
  definitionSheet(wb, input, lang);
  notesSheet(wb, input, lang, threshold);
  return wb;
}

/** An annotation as a line of the notes: `2025Q1, TE-uudistus: …`. */
export function annotationNote(a: PlacedAnnotation, lang: Lang): string {
  return `${a.period}, ${a.annotation.label[lang]}: ${a.annotation.text[lang]}`;
}

/** The workbook of an indicator page's data: its values, the definition and the notes. */
export function indicatorWorkbook(d: IndicatorData, lang: Lang, threshold: number): ExcelJS.Workbook {
  const selection = [
    levelTitle(d.level, lang),
    d.area.name[lang],
    PERIOD_TYPE_TEXT[d.periodType][lang],
    d.period ?? "",
  ]
    .filter((s) => s !== "")
    .join(", ");
  return valuesWorkbook(
    {
      definition: d.definition,
      values: pageValues(d),
      selection,
      notes: [
        ...(d.pinned ? [pinnedNote(d.pinned, lang)] : []),
        ...completenessNotes(d, lang),
        ...d.annotations.map((a) => annotationNote(a, lang)),
      ],
    },
    lang,
    threshold,
  );
}

/** The XLSX download of an indicator page (the same parameters as the page). */
export async function indicatorXlsx(
  db: Queryable,
  config: Config,
  lang: Lang,
  id: string,
  query: Query,
): Promise<{ name: string; body: Buffer }> {
  const d = await indicatorData(db, config, id, query);
  const wb = indicatorWorkbook(d, lang, config.suppressionThreshold);
  return { name: downloadName(d, "xlsx"), body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
