import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { MIGRATIONS } from "../../core/migrations/index.ts";
import { SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from "../../core/schema.ts";
import { recomputeIfStale } from "../../indicators/compute.ts";
import { readValues } from "../../indicators/read.ts";
import { definitionsVersion, loadCatalogue } from "../../indicators/registry.ts";
import { preparePipelines } from "../../pipelines/tables.ts";
import { TEST_TODAY } from "../support/env.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-migrate-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows of a query on a database file opened directly (no migration), as JSON text per row. */
async function rawRows(file: string, sql: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson().map((r) => JSON.stringify(r));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const LOADS = "SELECT * EXCLUDE (received_at) FROM loads ORDER BY load_id";
const DATA = [
  "SELECT * FROM kuntouttava ORDER BY ALL",
  "SELECT * FROM tiimi ORDER BY ALL",
  "SELECT * FROM vammaispalvelut ORDER BY ALL",
];
const VALUES = "SELECT * FROM indicator_values ORDER BY ALL";

describe("schema migrations", () => {
  it("are numbered 1, 2, 3, … in order, and the last one is the version this code writes", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it("a database of schema version 2, written by the code before migrations were numbered, migrates and keeps every load, row and figure", async () => {
    // test/fixtures/schema/make-v2.ts wrote it with the code of commit c1a9b7c
    const dir = tempDir();
    const file = path.join(dir, "seuranta.duckdb");
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync("test/fixtures/schema/v2.duckdb.gz")));
    expect(await rawRows(file, "SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([
      JSON.stringify({ value: "2" }),
    ]);
    const before = {
      loads: await rawRows(file, LOADS),
      data: await Promise.all(DATA.map((sql) => rawRows(file, sql))),
      values: await rawRows(file, VALUES),
    };
    expect(before.loads).toHaveLength(3);
    expect(before.values.length).toBeGreaterThan(100);

    const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY });
    const db = await Database.open(file);
    try {
      expect(await schemaVersion(db)).toBe(SCHEMA_VERSION);
      // the migration keeps every stored figure as it was
      const migrated = (await db.connection.runAndReadAll(VALUES))
        .getRowObjectsJson()
        .map((r) => JSON.stringify(r));
      expect(migrated).toEqual(before.values);
      await preparePipelines(db, config.referenceDir);
      const read = await readValues(
        db,
        { indicator: "kt-tyohon", level: "kunta", area: "106", period: "2024Q1" },
        { unsuppressed: true },
      );
      // the correction (kt_106_korjaus.csv: 12 + 5 of 50 to work, not 10 + 5) is what the stored figure says
      expect(read.values[0]).toMatchObject({ numerator: 17, denominator: 50 });
      // the results are current, but the upgraded database has no release yet: the start's
      // recomputeIfStale makes the first one
      expect(await recomputeIfStale(db, config, { trigger: "start" })).not.toBeNull();
      expect(await recomputeIfStale(db, config, { trigger: "start" })).toBeNull();
      const releases = await db.all<{ release_id: number }>("SELECT release_id FROM releases");
      expect(releases).toEqual([{ release_id: 1 }]);
    } finally {
      await db.close();
    }
    expect(await rawRows(file, LOADS)).toEqual(before.loads);
    expect(await Promise.all(DATA.map((sql) => rawRows(file, sql)))).toEqual(before.data);
    // the migrations were checkpointed: nothing is left to replay from the write-ahead log
    expect(fs.existsSync(`${file}.wal`)).toBe(false);
  });

  it("a database of schema version 3, with releases but not their definitions, migrates, keeps every load and release, and gets the definitions of the releases made with this catalogue", async () => {
    // test/fixtures/schema/make-v3.ts wrote it with the code of commit 8b887c4: three loads, releases 1-3
    const dir = tempDir();
    const file = path.join(dir, "seuranta.duckdb");
    fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync("test/fixtures/schema/v3.duckdb.gz")));
    const RELEASES = "SELECT * EXCLUDE (created_at) FROM releases ORDER BY release_id";
    const HISTORY = "SELECT * FROM release_history WHERE release_id < 3 ORDER BY ALL";
    expect(await rawRows(file, "SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([
      JSON.stringify({ value: "3" }),
    ]);
    const before = {
      loads: await rawRows(file, LOADS),
      data: await Promise.all(DATA.map((sql) => rawRows(file, sql))),
      releases: await rawRows(file, RELEASES),
      history: await rawRows(file, HISTORY),
    };
    expect(before.loads).toHaveLength(3);
    expect(before.releases).toHaveLength(3);

    const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY });
    const db = await Database.open(file);
    try {
      expect(await schemaVersion(db)).toBe(SCHEMA_VERSION);
      await preparePipelines(db, config.referenceDir);
      const release1 = await readValues(
        db,
        { indicator: "kt-tyohon", level: "kunta", area: "106", period: "2024Q1" },
        { release: { id: 1, latest: 3 } },
      );
      expect(release1.values).toHaveLength(1);
      // the start's recompute keeps the definitions of the releases this catalogue made
      await recomputeIfStale(db, config, { trigger: "start" });
      const kept = await db.all<{ v: string }>(
        `SELECT r.release_id, d.definitions_version AS v FROM releases r
         JOIN release_definitions d USING (definitions_version) ORDER BY r.release_id`,
      );
      const made = await db.all<{ v: string }>(
        "SELECT definitions_version AS v FROM releases WHERE release_id <= 3",
      );
      // kept for exactly the releases whose definitions' version is this catalogue's (today: all three)
      const current = definitionsVersion(await loadCatalogue());
      expect(kept.filter((k) => made.some((m) => m.v === k.v))).toHaveLength(
        made.filter((m) => m.v === current).length,
      );
      // release 1 reads as it did before the upgrade
      expect(
        await readValues(
          db,
          { indicator: "kt-tyohon", level: "kunta", area: "106", period: "2024Q1" },
          {
            release: {
              id: 1,
              latest: (await db.one<{ id: number }>("SELECT max(release_id) AS id FROM releases"))?.id ?? 3,
            },
          },
        ),
      ).toEqual(release1);
    } finally {
      await db.close();
    }
    expect(await rawRows(file, LOADS)).toEqual(before.loads);
    expect(await Promise.all(DATA.map((sql) => rawRows(file, sql)))).toEqual(before.data);
    expect((await rawRows(file, RELEASES)).slice(0, 3)).toEqual(before.releases);
    expect(await rawRows(file, HISTORY)).toEqual(before.history);
    expect(fs.existsSync(`${file}.wal`)).toBe(false);
  });

  it("a database made before uploads existed (no version, no loads.sender_id) gets the column and keeps its loads", async () => {
    const file = path.join(tempDir(), "old.duckdb");
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
      expect(await schemaVersion(db)).toBe(SCHEMA_VERSION);
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
    expect(await again.all("SELECT load_id FROM loads ORDER BY 1")).toEqual([{ load_id: 1n }]);
    await again.close();
  });

  it("a database written by a newer version is not opened (no downgrade)", async () => {
    const file = path.join(tempDir(), "new.duckdb");
    const db = await Database.open(file);
    await db.run(`UPDATE meta SET value = ? WHERE key = 'schema_version'`, [String(SCHEMA_VERSION + 1)]);
    await db.close();
    await expect(Database.open(file)).rejects.toBeInstanceOf(SchemaTooNewError);
  });
});
