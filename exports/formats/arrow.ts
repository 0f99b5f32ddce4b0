import {
  type DataType,
  Field,
  Float64,
  Int32,
  List,
  Schema,
  Table,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import type { Lang } from "../../core/lang.ts";
import { metadataPairs } from "../metadata.ts";
import { periodLabel, type Report } from "../report.ts";
import { COLUMNS, type TableRow, tableRows } from "../table.ts";

/** The Arrow type of each column of TableRow (texts Utf8, counts Int32, figures Float64). */
function typeOf(key: keyof TableRow, kind: (typeof COLUMNS)[number]["kind"]): DataType {
  if (kind === "list") return new List(new Field("item", new Utf8(), false));
  if (kind === "text") return new Utf8();
  return key === "reported" || key === "members" || key === "decimals" ? new Int32() : new Float64();
}

/**
 * The report as an Apache Arrow IPC file: the columns of TableRow (missing_kunnat a list of codes),
 * null where no number is shown, with the metadata as the schema's key-value metadata (`seuranta.*`).
 * `category` is "" for an indicator's total, as in the other tabular formats.
 */
export async function arrowFile(report: Report, lang: Lang): Promise<Buffer> {
  const rows = tableRows(report, lang);
  const fields: Field[] = [];
  const columns: Record<string, Vector> = {};
  for (const { key, kind } of COLUMNS) {
    const type = typeOf(key, kind);
    const nullable = key === "value" || key === "numerator" || key === "denominator";
    fields.push(new Field(key, type, nullable));
    columns[key] = vectorFromArray(
      rows.map((r) => r[key]),
      type,
    );
  }
  const schema = new Schema(fields, new Map(metadataPairs(report.metadata, periodLabel(report.selection))));
  const table = new Table(schema, columns);
  return Buffer.from(tableToIPC(table, "file"));
}
