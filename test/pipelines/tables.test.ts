import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database } from "../../core/db.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import { ensureDatasetTables } from "../../pipelines/tables.ts";

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-tables-"));
  file = path.join(dir, "t.duckdb");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const tableNames = async (db: Database) =>
  (await db.all<{ table_name: string }>(`SELECT table_name FROM information_schema.tables`)).map(
    (r) => r.table_name,
  );

describe("dataset tables", () => {
  it("the pipelines create a table for every dataset, which the schema's migrations leave to them", async () => {
    const db = await Database.open(file);
    try {
      expect(await tableNames(db)).not.toContain("polku");
      await ensureDatasetTables(db);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(DATASETS.map((d) => d.name)));
      // checkpointed after the DDL: nothing is left to replay from the write-ahead log, even before closing
      expect(fs.existsSync(`${file}.wal`) ? fs.statSync(`${file}.wal`).size : 0).toBe(0);
    } finally {
      await db.close();
    }
  });
});
