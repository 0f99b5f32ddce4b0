import { columnsOf, type DatasetDefinition } from "../pipelines/datasets/dataset.ts";
import { DATASETS } from "../pipelines/datasets/index.ts";
import type { Database } from "./db.ts";

/** SQL type of a dataset column as stored. */
function sqlType(kind: string): string {
  return kind === "count" ? "INTEGER" : "VARCHAR";
}

/**
 * DDL of a dataset's data table: the canonical columns plus where each row came from. No primary key:
 * validation guarantees one row per key, and an index would slow the bulk insert of a large file.
 */
export function datasetTableDdl(dataset: DatasetDefinition): string {
  const columns = columnsOf(dataset).map(
    (c) => `${c.name} ${sqlType(c.kind)}${c.nullable ? "" : " NOT NULL"}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${dataset.name} (
    load_id BIGINT NOT NULL,
    vuosi INTEGER NOT NULL,
    neljannes INTEGER NOT NULL,
    ${columns.join(",\n    ")}
  )`;
}

const SYSTEM_TABLES = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1`,
  // One row per file that reached validation: loaded, unchanged (same bytes again) or rejected.
  `CREATE TABLE IF NOT EXISTS loads (
    load_id BIGINT PRIMARY KEY DEFAULT nextval('load_id_seq'),
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    dataset VARCHAR,
    status VARCHAR NOT NULL,
    sender VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    rows INTEGER NOT NULL,
    keys_replaced JSON NOT NULL,
    warnings INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    report JSON NOT NULL
  )`,
  `CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1`,
  // One row per scheduler or CLI run over the inbox.
  `CREATE TABLE IF NOT EXISTS runs (
    run_id BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),
    trigger VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    loaded INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    message VARCHAR
  )`,
];

/** Creates every table the system needs; safe to run at every start. */
export async function migrate(db: Database): Promise<void> {
  await db.withTransaction(async (tx) => {
    for (const ddl of SYSTEM_TABLES) await tx.run(ddl);
    for (const dataset of DATASETS) await tx.run(datasetTableDdl(dataset));
    await tx.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '1')`);
  });
}
