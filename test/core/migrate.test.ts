import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { Database } from "../../core/db.ts";

describe("schema migration", () => {
  it("a database made before uploads existed gets the loads.sender_id column and keeps its loads", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-migrate-"));
    const file = path.join(dir, "old.duckdb");
    // the loads table as session 1 made it: no sender_id
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run(`CREATE SEQUENCE load_id_seq START 1`);
    await connection.run(`CREATE TABLE loads (
      load_id BIGINT PRIMARY KEY DEFAULT nextval('load_id_seq'), file_name VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL, dataset VARCHAR, status VARCHAR NOT NULL, sender VARCHAR NOT NULL,
      source VARCHAR NOT NULL, received_at TIMESTAMPTZ NOT NULL, rows INTEGER NOT NULL,
      keys_replaced JSON NOT NULL, warnings INTEGER NOT NULL, errors INTEGER NOT NULL, report JSON NOT NULL)`);
    await connection.run(`INSERT INTO loads VALUES (1, 'vanha.csv', 'x', 'tiimi', 'loaded', 'cli', 'cli',
      '2025-01-01T00:00:00Z', 3, '[]', 0, 0, '{}')`);
    connection.closeSync();
    instance.closeSync();

    const db = await Database.open(file);
    try {
      const columns = await db.all<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'loads'`,
      );
      expect(columns.map((c) => c.column_name)).toContain("sender_id");
      const old = await db.one<{ file_name: string; sender_id: string | null }>(
        "SELECT file_name, sender_id FROM loads WHERE load_id = 1",
      );
      expect(old).toEqual({ file_name: "vanha.csv", sender_id: null });
    } finally {
      await db.close();
    }
    // opening again is a no-op
    const again = await Database.open(file);
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
