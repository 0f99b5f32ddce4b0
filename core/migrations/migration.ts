import type { Database } from "../db.ts";

/**
 * One numbered step of the schema. The runner (core/schema.ts) runs each step not yet applied in its
 * own transaction, records its number as meta.schema_version in the same transaction, and checkpoints
 * after the commit, so that no ALTER is left to be replayed from the write-ahead log (DuckDB 1.x has
 * crashed replaying ALTERs after an unclean stop, e.g. duckdb/duckdb#25510). A step is never edited
 * once released: a change of the schema is a new file with the next number.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order. */
  statements?: readonly string[];
  /** Or code, for a step that must look at what is there first. */
  up?: (db: Database) => Promise<void>;
}
