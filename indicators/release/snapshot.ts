import fs from "node:fs";
import path from "node:path";
import { Database } from "../../core/db.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import {
  pruneSnapshots,
  readSnapshotManifest,
  renameIntoPlace,
  type SnapshotManifest,
  snapshotFiles,
  temporaryName,
  writeSnapshotManifest,
} from "../../core/snapshots.ts";
import { sqlString } from "../../core/sql.ts";
import { FIGURE_COLUMNS, FIGURE_KEY } from "./figures.ts";

/**
 * Tables a snapshot leaves empty: who signed in (session hashes) and the audit log (names, addresses).
 * A replica serves anonymous readers only and needs neither.
 */
export const PRIVATE_TABLES = ["sessions", "audit_log"] as const;

const SNAPSHOT_ALIAS = "seuranta_snapshot";

/**
 * Copies every table of `source` into a new database file at `target`, the private ones left empty:
 * written afresh (never a copy of the source's blocks), so nothing of the private tables is in it.
 */
async function copyWithoutPrivateTables(source: Database, target: string): Promise<void> {
  const name = (await source.one<{ name: string }>(`SELECT current_database() AS name`))?.name ?? "";
  const tables = await source.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1`,
  );
  await source.run(`ATTACH ${sqlString(target)} AS ${SNAPSHOT_ALIAS}`);
  try {
    await source.run(`COPY FROM DATABASE "${name}" TO ${SNAPSHOT_ALIAS} (SCHEMA)`);
    for (const table of tables) {
      if ((PRIVATE_TABLES as readonly string[]).includes(table.name)) continue;
      await source.run(
        `INSERT INTO ${SNAPSHOT_ALIAS}.main."${table.name}" SELECT * FROM "${name}".main."${table.name}"`,
      );
    }
    await source.run(`CHECKPOINT ${SNAPSHOT_ALIAS}`);
  } finally {
    await source.run(`DETACH ${SNAPSHOT_ALIAS}`);
  }
}

/**
 * Writes the latest release as a read-only snapshot into the releases folder, unless the manifest
 * already names it: a DuckDB file with every table of the database (the private ones empty) and the
 * release's published figures as Parquet, both under temporary names, renamed into place, then the
 * manifest. Inside the database's exclusive section the file is only checkpointed and copied as it is
 * (as a backup does), so the copy holds the release and the loads it was made from whole and the writer
 * waits for no more than that; the snapshot and the Parquet are written from the copy afterwards.
 * Returns the new manifest, or null when there was nothing new. Calls for one folder run one after the
 * other (an upload's and an inbox run's recomputes may both ask).
 */
export function publishLatestSnapshot(db: Database, dir: string): Promise<SnapshotManifest | null> {
  const next = (publishing.get(dir) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => publishOnce(db, dir));
  publishing.set(dir, next);
  return next;
}

/** The latest publishing of each releases folder, which the next one waits for. */
const publishing = new Map<string, Promise<unknown>>();

async function publishOnce(db: Database, dir: string): Promise<SnapshotManifest | null> {
  fs.mkdirSync(dir, { recursive: true });
  const began = performance.now();
  const copied = await db.exclusive(async () => {
    const held = performance.now();
    const latest = await db.one<{ id: number | null }>(`SELECT max(release_id) AS id FROM releases`);
    const id = latest?.id ?? null;
    if (id === null) return null;
    const files = snapshotFiles(id);
    const published = readSnapshotManifest(dir);
    if (published?.release === id && fs.existsSync(path.join(dir, files.database))) return null;
    const whole = temporaryName(dir, `whole-${files.database}`);
    await db.run("CHECKPOINT");
    fs.copyFileSync(db.path, whole);
    return { id, files, whole, holdMs: performance.now() - held };
  });
  if (!copied) return null;
  const database = temporaryName(dir, copied.files.database);
  const parquet = temporaryName(dir, copied.files.parquet);
  try {
    for (const file of [database, `${database}.wal`]) fs.rmSync(file, { force: true });
    const source = await Database.open(copied.whole);
    try {
      await copyWithoutPrivateTables(source, database);
    } finally {
      await source.close();
    }
  } finally {
    for (const file of [copied.whole, `${copied.whole}.wal`]) fs.rmSync(file, { force: true });
  }
  const snapshot = await Database.openReadOnly(database);
  try {
    await snapshot.run(
      `COPY (SELECT ${copied.id}::INTEGER AS release_id, ${FIGURE_COLUMNS.join(", ")} FROM release_latest
             ORDER BY ${FIGURE_KEY.join(", ")})
       TO ${sqlString(parquet)} (FORMAT parquet, KV_METADATA {'seuranta.release': '${copied.id}'})`,
    );
  } finally {
    await snapshot.close();
  }
  renameIntoPlace(database, path.join(dir, copied.files.database));
  renameIntoPlace(parquet, path.join(dir, copied.files.parquet));
  const manifest: SnapshotManifest = {
    format: "seuranta-snapshot/1",
    release: copied.id,
    ...copied.files,
    schema_version: SCHEMA_VERSION,
    created_at: new Date().toISOString(),
    write_ms: Math.round(performance.now() - began),
    hold_ms: Math.round(copied.holdMs),
  };
  writeSnapshotManifest(dir, manifest);
  pruneSnapshots(dir);
  return manifest;
}
