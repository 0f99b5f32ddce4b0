import ExcelJS from "exceljs";
import type { Lang } from "../../core/lang.ts";
import { STATUS_TEXT } from "../../indicators/format.ts";
import { exportTitle, metadataLines, UNSUPPRESSED_NOTICE } from "../metadata.ts";
import { neutralise } from "../neutralise.ts";
import type { Report } from "../report.ts";
import {
  COLUMNS,
  type Column,
  kuntaName,
  levelTitle,
  selectionText,
  type TableRow,
  tableRows,
  unitText,
} from "../table.ts";
import { fixZipDates } from "../zip.ts";

const X = {
  values: { fi: "Arvot", sv: "Värden", en: "Values" },
  definitions: { fi: "Määritelmät", sv: "Definitioner", en: "Definitions" },
  notes: { fi: "Huomautukset", sv: "Anmärkningar", en: "Notes" },
  title: { fi: "nimi", sv: "namn", en: "title" },
  description: { fi: "mitä lasketaan", sv: "vad räknas", en: "what is counted" },
  interpretation: { fi: "tulkinta", sv: "tolkning", en: "interpretation" },
  limitations: { fi: "rajoitukset", sv: "begränsningar", en: "limitations" },
  source: { fi: "lähde", sv: "källa", en: "source" },
  dataset: { fi: "aineisto", sv: "datamaterial", en: "dataset" },
  version: { fi: "versio", sv: "version", en: "version" },
  item: { fi: "kohta", sv: "uppgift", en: "item" },
  text: { fi: "teksti", sv: "text", en: "text" },
} as const;

/** Excel's number format for a number of decimals: `#,##0`, `#,##0.0` (with a thousands separator). */
export function numberFormat(decimals: number): string {
  return decimals > 0 ? `#,##0.${"0".repeat(decimals)}` : "#,##0";
}

/** A cell: a number as a number, a text neutralised, nothing as an empty cell. */
export function cellValue(value: string | number | null): string | number | null {
  if (value === null || typeof value === "number") return value;
  return value === "" ? null : neutralise(value);
}

/** The cells of a row in the columns given: names and words in the language, numbers as numbers. */
export function valueCells(
  row: TableRow,
  lang: Lang,
  columns: readonly Column[] = COLUMNS,
): (string | number | null)[] {
  return columns.map(({ key }) => {
    switch (key) {
      // a hidden value is its symbol as text, never a number
      case "value":
        return row.value ?? row.symbol;
      case "level":
        return levelTitle(row.level, lang);
      case "unit":
        return unitText(row.unit, lang);
      case "status":
        return STATUS_TEXT[row.status][lang];
      case "missing_kunnat":
        return row.missing_kunnat.join(" ");
      default:
        return row[key];
    }
  });
}

function sheet(wb: ExcelJS.Workbook, name: string, notice: boolean): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: notice ? 2 : 1 }] });
  if (notice) {
    ws.addRow([UNSUPPRESSED_NOTICE]);
    ws.getRow(1).font = { bold: true, color: { argb: "FFC00000" } };
  }
  return ws;
}

function header(ws: ExcelJS.Worksheet, labels: string[]): void {
  ws.addRow(labels.map(neutralise)).font = { bold: true };
}

/**
 * The report as an Excel workbook: a sheet of values (numbers as number cells with the indicator's
 * decimals, a hidden value as its symbol with the status and the reason), one of definitions and one
 * of notes (the metadata: data as of, definitions' version, suppression, who did not report). An
 * unsuppressed export says so in the first row of its first sheet. Text cells are neutralised against
 * formula injection. The workbook's dates are the data's (last load) and the ZIP entries' dates are
 * fixed, so the same report gives the same bytes.
 */
export async function xlsxFile(report: Report, lang: Lang): Promise<Buffer> {
  const notice = !report.metadata.suppressionApplied;
  const wb = new ExcelJS.Workbook();
  wb.creator = "Seuranta";
  wb.lastModifiedBy = "Seuranta";
  wb.title = notice ? `${UNSUPPRESSED_NOTICE}: ${exportTitle(lang)}` : exportTitle(lang);
  wb.subject = selectionText(report, lang);
  const asOf = new Date(report.metadata.dataAsOf ?? "2000-01-01T00:00:00Z");
  wb.created = asOf;
  wb.modified = asOf;

  const values = sheet(wb, X.values[lang], notice);
  header(
    values,
    COLUMNS.map((c) => c.label[lang]),
  );
  const valueColumn = COLUMNS.findIndex((c) => c.key === "value") + 1;
  // column styles reach the cells added after them: one style object per column, not per cell
  COLUMNS.forEach(({ key }, i) => {
    const column = values.getColumn(i + 1);
    column.width = key === "note" ? 60 : key === "area_name" || key === "missing_kunnat" ? 30 : 14;
    if (["numerator", "denominator", "reported", "members"].includes(key)) column.numFmt = numberFormat(0);
  });
  // exceljs gives every cell a style object of its own and, when writing, renders each as XML to find
  // its style id unless it has seen that very object before; cells with alike styles share one object
  // here, so each style is rendered once: the same ids and bytes, about a third less time. Nothing
  // changes these cells' styles afterwards (a change to one shared object would reach them all).
  const shared = new Map<string, Partial<ExcelJS.Style>>();
  const share = (cell: ExcelJS.Cell | undefined) => {
    if (!cell) return;
    const key = JSON.stringify(cell.style);
    const style = shared.get(key) ?? cell.style;
    shared.set(key, style);
    cell.style = style;
  };
  // the value's decimals are the indicator's, so its format is set per cell
  for (const row of tableRows(report, lang)) {
    const added = values.addRow(valueCells(row, lang).map(cellValue));
    if (row.value !== null) added.getCell(valueColumn).numFmt = numberFormat(row.decimals);
    for (let i = 1; i <= COLUMNS.length; i++) share(added.findCell(i));
  }

  const defs = sheet(wb, X.definitions[lang], notice);
  header(defs, [
    COLUMNS[0]?.label[lang] ?? "indicator",
    X.title[lang],
    COLUMNS.find((c) => c.key === "unit")?.label[lang] ?? "unit",
    COLUMNS.find((c) => c.key === "decimals")?.label[lang] ?? "decimals",
    X.dataset[lang],
    X.description[lang],
    X.interpretation[lang],
    X.limitations[lang],
    X.source[lang],
    X.version[lang],
  ]);
  for (const { definition: d, version } of report.definitions)
    defs.addRow(
      [
        d.id,
        d.title[lang],
        unitText(d.unit, lang),
        d.decimals,
        d.dataset,
        d.description[lang],
        d.interpretation[lang],
        d.limitations[lang],
        d.source[lang],
        version,
      ].map(cellValue),
    );
  defs.columns.forEach((column, i) => {
    column.width = i >= 5 && i <= 8 ? 50 : 16;
  });

  const notes = sheet(wb, X.notes[lang], false);
  header(notes, [X.item[lang], X.text[lang]]);
  const lines = metadataLines(report.metadata, lang, {
    selection: selectionText(report, lang),
    kuntaName: kuntaName(report, lang),
  });
  for (const [label, text] of lines) notes.addRow([cellValue(label), cellValue(text)]);
  notes.getColumn(1).width = 40;
  notes.getColumn(2).width = 120;
  notes.getColumn(2).alignment = { wrapText: true, vertical: "top" };
  if (notice) notes.getRow(2).font = { bold: true, color: { argb: "FFC00000" } };

  return fixZipDates(Buffer.from(await wb.xlsx.writeBuffer()));
}
