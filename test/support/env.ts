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

/** A real DuckDB file with the reference data, in a fresh temp folder. */
export async function makeTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-test-"));
  const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY, ...env });
  const db = await Database.open(config.dbPath);
  await preparePipelines(db, config.referenceDir);
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
