import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, LIST, VARCHAR } from "@duckdb/node-api";
import type { Lang } from "../../core/lang.ts";
import { sqlString } from "../../core/sql.ts";
import { metadataPairs } from "../metadata.ts";
import { periodLabel, type Report } from "../report.ts";
import { COLUMNS, tableRows } from "../table.ts";

function sqlType(key: string, kind: (typeof COLUMNS)[number]["kind"]): string {
  if (kind === "list") return "VARCHAR[]";
  if (kind === "text") return "VARCHAR";
  return key === "reported" || key === "members" || key === "decimals" ? "INTEGER" : "DOUBLE";
}

/**
 * The report as a Parquet file written by DuckDB (COPY … TO a temporary file, whose bytes are read
 * back): the columns of TableRow with the metadata as the file's key-value metadata (`seuranta.*`).
 * The rows go into a private in-memory DuckDB, not the application's database, so an export never
 * touches the data it reports; one thread keeps the row groups, and so the bytes, in one order.
 */
export async function parquetFile(report: Report, lang: Lang): Promise<Buffer> {
  const rows = tableRows(report, lang);
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-export-"));
  try {
    await connection.run(
      `CREATE TABLE report (${COLUMNS.map((c) => `${c.key} ${sqlType(c.key, c.kind)}`).join(", ")})`,
    );
    const appender = await connection.createAppender("report");
    for (const row of rows) {
      for (const { key, kind } of COLUMNS) {
        const value = row[key];
        if (value === null) appender.appendNull();
        else if (kind === "list") appender.appendList(value as string[], LIST(VARCHAR));
        else if (kind === "text") appender.appendVarchar(String(value));
        else if (sqlType(key, kind) === "INTEGER") appender.appendInteger(value as number);
        else appender.appendDouble(value as number);
      }
      appender.endRow();
    }
    appender.closeSync();
    const file = path.join(dir, "report.parquet");
    const kv = metadataPairs(report.metadata, periodLabel(report.selection))
      .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
      .join(", ");
    await connection.run(
      `COPY (SELECT * FROM report ORDER BY rowid) TO ${sqlString(file)} (FORMAT parquet, KV_METADATA {${kv}})`,
    );
    return fs.readFileSync(file);
  } finally {
    connection.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
