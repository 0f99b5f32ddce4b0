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
import { FIGURE_COLUMNS, FIGURE_KEY } from "./figures.ts";

/**
 * Tables a snapshot leaves empty: who signed in (session hashes) and the audit log (names, addresses).
 * A replica serves anonymous readers only and needs neither.
 */
export const PRIVATE_TABLES = ["sessions", "audit_log"] as const;

/** A SQL string literal of a path of our own: quotes doubled. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const SNAPSHOT_ALIAS = "seuranta_snapshot";

/**
 * Writes the latest release as a read-only snapshot into the releases folder, unless the manifest
 * already names it: a DuckDB file with every table of the database (the private ones empty) and the
 * release's published figures as Parquet, both under temporary names, renamed into place, then the
 * manifest. The database copy is made inside the database's exclusive section, so it holds the release
 * and the loads it was made from whole; the Parquet is written from that copy afterwards, so the writer
 * waits for the copy only. Returns the new manifest, or null when there was nothing new.
 */
export async function publishLatestSnapshot(db: Database, dir: string): Promise<SnapshotManifest | null> {
  fs.mkdirSync(dir, { recursive: true });
  const began = performance.now();
  const copied = await db.exclusive(async () => {
    const latest = await db.one<{ id: number | null }>(`SELECT max(release_id) AS id FROM releases`);
    const id = latest?.id ?? null;
    if (id === null) return null;
    const files = snapshotFiles(id);
    const published = readSnapshotManifest(dir);
    if (published?.release === id && fs.existsSync(path.join(dir, files.database))) return null;
    const database = temporaryName(dir, files.database);
    for (const file of [database, `${database}.wal`]) fs.rmSync(file, { force: true });
    const source = (await db.one<{ name: string }>(`SELECT current_database() AS name`))?.name ?? "";
    const tables = await db.all<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_tables()
       WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY 1`,
    );
    await db.run(`ATTACH ${literal(database)} AS ${SNAPSHOT_ALIAS}`);
    try {
      await db.run(`COPY FROM DATABASE "${source}" TO ${SNAPSHOT_ALIAS} (SCHEMA)`);
      for (const { name } of tables) {
        if ((PRIVATE_TABLES as readonly string[]).includes(name)) continue;
        await db.run(`INSERT INTO ${SNAPSHOT_ALIAS}.main."${name}" SELECT * FROM "${source}".main."${name}"`);
      }
      await db.run(`CHECKPOINT ${SNAPSHOT_ALIAS}`);
    } finally {
      await db.run(`DETACH ${SNAPSHOT_ALIAS}`);
    }
    return { id, files, database };
  });
  if (!copied) return null;
  const parquet = temporaryName(dir, copied.files.parquet);
  const snapshot = await Database.openReadOnly(copied.database);
  try {
    await snapshot.run(
      `COPY (SELECT ${copied.id}::INTEGER AS release_id, ${FIGURE_COLUMNS.join(", ")} FROM release_latest
             ORDER BY ${FIGURE_KEY.join(", ")})
       TO ${literal(parquet)} (FORMAT parquet, KV_METADATA {'seuranta.release': '${copied.id}'})`,
    );
  } finally {
    await snapshot.close();
  }
  renameIntoPlace(copied.database, path.join(dir, copied.files.database));
  renameIntoPlace(parquet, path.join(dir, copied.files.parquet));
  const manifest: SnapshotManifest = {
    format: "seuranta-snapshot/1",
    release: copied.id,
    ...copied.files,
    schema_version: SCHEMA_VERSION,
    created_at: new Date().toISOString(),
    write_ms: Math.round(performance.now() - began),
  };
  writeSnapshotManifest(dir, manifest);
  pruneSnapshots(dir);
  return manifest;
}
