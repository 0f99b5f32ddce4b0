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
    sender_id VARCHAR,
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
  // Browser sessions: only a hash of the session id is kept; the cookie holds the id itself.
  `CREATE TABLE IF NOT EXISTS sessions (
    id_hash VARCHAR PRIMARY KEY,
    token_id VARCHAR NOT NULL,
    csrf VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1`,
  // Every data change and sign-in: who (token id and name, or the CLI / inbox), what, when.
  `CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    occurred_at TIMESTAMPTZ NOT NULL,
    action VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    actor_name VARCHAR,
    load_id BIGINT,
    detail JSON NOT NULL
  )`,
];

/** Creates every table the system needs; safe to run at every start. */
export async function migrate(db: Database): Promise<void> {
  await addSenderId(db);
  await db.withTransaction(async (tx) => {
    for (const ddl of SYSTEM_TABLES) await tx.run(ddl);
    for (const dataset of DATASETS) await tx.run(datasetTableDdl(dataset));
    await tx.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '2')`);
  });
}

/**
 * Version 2: uploads remember the token that sent them (the analyst's own load history). A database
 * made before has no such column; it is added once and checkpointed at once, because DuckDB 1.5
 * fails to replay an ALTER of this table from the write-ahead log after a crash.
 */
async function addSenderId(db: Database): Promise<void> {
  const loads = await db.one(`SELECT 1 FROM information_schema.tables WHERE table_name = 'loads'`);
  if (!loads) return;
  const column = await db.one(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'loads' AND column_name = 'sender_id'`,
  );
  if (column) return;
  await db.run(`ALTER TABLE loads ADD COLUMN sender_id VARCHAR`);
  await db.run("CHECKPOINT");
}
