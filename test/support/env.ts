import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { type IngestInput, ingestBytes } from "../../pipelines/ingest.ts";
import type { FileReport } from "../../pipelines/report.ts";
import { preparePipelines } from "../../pipelines/tables.ts";

/** The fixed "today" of the tests: the last ended quarter is 2025Q3. */
export const TEST_TODAY = "2025-11-25";

export interface TestEnv {
  dir: string;
  config: Config;
  db: Database;
  /** Sends CSV text or bytes through the real pipeline. */
  ingest(name: string, content: string | Uint8Array, extra?: Partial<IngestInput>): Promise<FileReport>;
  close(): Promise<void>;
}

/** Opens the DuckDB file of a data folder (made if missing) as a test environment. */
async function openTestEnv(dir: string, env: Record<string, string>): Promise<TestEnv> {
  const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY, ...env });
  const db = await Database.open(config.dbPath);
  return {
    dir,
    config,
    db,
    ingest: (name, content, extra = {}) =>
      ingestBytes(
        { db, config },
        {
          fileName: name,
          bytes: typeof content === "string" ? Buffer.from(content, "utf8") : content,
          sender: "test",
          source: "cli",
          ...extra,
        },
      ),
    async close() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-test-"));

/** A real DuckDB file with the reference data, in a fresh temp folder. */
export async function makeTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const testEnv = await openTestEnv(tempDir(), env);
  await preparePipelines(testEnv.db, testEnv.config.referenceDir);
  return testEnv;
}

/**
 * Prepares a data folder: a fresh test environment that `prepare` fills (loads, computes), then closed,
 * so that its DuckDB file is checkpointed and whole. Returns the folder; copy it, never open it.
 */
export async function prepareDataFolder(
  dir: string,
  prepare: (env: TestEnv) => Promise<void>,
  env: Record<string, string> = {},
): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const testEnv = await openTestEnv(dir, env);
  try {
    await preparePipelines(testEnv.db, testEnv.config.referenceDir);
    await prepare(testEnv);
  } finally {
    await testEnv.db.close();
  }
  return dir;
}

/** A test environment in a fresh temp folder holding a copy of a prepared data folder (DuckDB file included). */
export async function copyTestEnv(prepared: string, env: Record<string, string> = {}): Promise<TestEnv> {
  const dir = tempDir();
  fs.cpSync(prepared, dir, { recursive: true });
  return openTestEnv(dir, env);
}

/**
 * The same prepared data for several tests that change it: `prepare` runs once, on the first `copy()`,
 * and every copy is a new temp data folder starting from exactly the state it left (real DuckDB files,
 * each test its own). Call `dispose()` in afterAll.
 */
export function preparedEnv(
  prepare: (env: TestEnv) => Promise<void>,
  env: Record<string, string> = {},
): { copy(): Promise<TestEnv>; dispose(): void } {
  let prepared: Promise<string> | undefined;
  const dir = tempDir();
  return {
    async copy() {
      prepared ??= prepareDataFolder(path.join(dir, "prepared"), prepare, env);
      return copyTestEnv(await prepared, env);
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
