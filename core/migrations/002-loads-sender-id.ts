import type { Migration } from "./migration.ts";

/**
 * Uploads remember the token that sent them (the analyst's own load history). A database made before
 * uploads existed has loads without sender_id; it gets the column (the runner checkpoints right after:
 * DuckDB 1.x can fail to replay an ALTER from the write-ahead log after a crash).
 */
export const loadsSenderId: Migration = {
  version: 2,
  name: "loads.sender_id",
  async up(db) {
    const column = await db.one(
      `SELECT 1 AS x FROM information_schema.columns WHERE table_name = 'loads' AND column_name = 'sender_id'`,
    );
    if (!column) await db.run(`ALTER TABLE loads ADD COLUMN sender_id VARCHAR`);
  },
};
