import type { Database } from "./db.ts";
import { MIGRATIONS } from "./migrations/index.ts";

/** The schema version this code writes: the number of the last migration. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Thrown when the database was written by a newer version of Seuranta than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database has schema version ${found}, newer than this program knows (${known}): ` +
        "run the newer version of Seuranta, or restore a backup taken before the upgrade.",
    );
    this.name = "SchemaTooNewError";
  }
}

/** The schema version stored in the database (0 for one made before versions were recorded). */
export async function schemaVersion(db: Database): Promise<number> {
  const meta = await db.one(`SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'meta'`);
  if (!meta) return 0;
  const row = await db.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
  return row ? Number(row.value) : 0;
}

/**
 * Brings the schema up to date: every migration of core/migrations/ newer than the stored version, in
 * order, each in its own transaction that also records its number, with a CHECKPOINT after each commit
 * (see core/migrations/migration.ts). Safe at every start. The layers above create their own tables
 * (pipelines/tables.ts the datasets', indicators/compute.ts the results').
 */
export async function migrate(db: Database): Promise<{ from: number; to: number }> {
  return db.exclusive(async () => {
    await db.run(`CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
    const from = await schemaVersion(db);
    if (from > SCHEMA_VERSION) throw new SchemaTooNewError(from, SCHEMA_VERSION);
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await db.inTransaction(async (tx) => {
        for (const sql of migration.statements ?? []) await tx.run(sql);
        await migration.up?.(tx);
        await tx.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)`, [String(migration.version)]);
      });
      await db.run("CHECKPOINT");
    }
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  });
}
