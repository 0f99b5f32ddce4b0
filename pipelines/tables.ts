import type { Database } from "../core/db.ts";
import { columnsOf, type DatasetDefinition } from "./datasets/dataset.ts";
import { DATASETS } from "./datasets/index.ts";
import { loadReferenceData } from "./reference.ts";

/** SQL type of a dataset column as stored. */
function sqlType(kind: string): string {
  if (kind === "count" || kind === "score") return "INTEGER";
  return kind === "date" ? "DATE" : "VARCHAR";
}

/**
 * DDL of a dataset's data table: the canonical columns plus where each row came from. No primary key:
 * validation guarantees one row per key, and an index would slow the bulk insert of a large file.
 */
function datasetTableDdl(dataset: DatasetDefinition): string {
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

/**
 * Creates the table of every dataset of the code that the database does not have yet (a dataset added
 * later needs no migration; a change to an existing dataset's columns does), in one transaction with a
 * CHECKPOINT after it. The schema's own tables are core/migrations/'s; the indicators' are
 * indicators/'s (ensureResultsTables).
 */
export async function ensureDatasetTables(db: Database): Promise<void> {
  const names = DATASETS.map((d) => `'${d.name}'`).join(", ");
  const present = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN (${names})`,
  );
  if (Number(present?.n) === DATASETS.length) return;
  await db.withTransaction(async (tx) => {
    for (const dataset of DATASETS) await tx.run(datasetTableDdl(dataset));
  });
  await db.run("CHECKPOINT");
}

/** What the pipelines need in a database they work on: a table for every dataset and the reference data. */
export async function preparePipelines(db: Database, referenceDir: string): Promise<{ loaded: boolean }> {
  await ensureDatasetTables(db);
  return loadReferenceData(db, referenceDir);
}
