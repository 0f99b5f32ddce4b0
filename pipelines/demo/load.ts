import fs from "node:fs";
import path from "node:path";
import { todayOf } from "../../core/config.ts";
import type { Database } from "../../core/db.ts";
import { type IngestContext, ingestBytes } from "../ingest.ts";
import type { FileReport } from "../report.ts";
import { DEMO_SEED, generateDemo, type WrittenDemoFile } from "./generate.ts";

export interface DemoLoad {
  outDir: string;
  files: WrittenDemoFile[];
  /** One report per file, in the same order. */
  reports: FileReport[];
}

/**
 * Generates the demo files into `outDir` (default `<dataDir>/demo`) and takes every one through the
 * ingest pipeline as it lies on disk, exactly like a file an analyst sends: no side door into the
 * tables. A second run writes the same bytes, so every file comes back "unchanged".
 */
export async function loadDemo(
  ctx: IngestContext,
  options: { outDir?: string; seed?: string; sender?: string } = {},
): Promise<DemoLoad> {
  const outDir = path.resolve(options.outDir ?? path.join(ctx.config.dataDir, "demo"));
  const files = generateDemo({
    referenceDir: ctx.config.referenceDir,
    today: todayOf(ctx.config, ctx.now),
    seed: options.seed ?? DEMO_SEED,
    outDir,
  });
  const reports: FileReport[] = [];
  for (const file of files) {
    reports.push(
      await ingestBytes(ctx, {
        fileName: file.fileName,
        bytes: fs.readFileSync(file.path),
        sender: options.sender ?? "demo",
        source: "demo",
      }),
    );
  }
  return { outDir, files, reports };
}

/**
 * Whether the database holds data that did not come from the demo: demo files would replace those
 * keys (the real files stay in the archive and the load history, but the tables would show the demo).
 */
export async function hasNonDemoLoads(db: Database): Promise<boolean> {
  const row = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM loads WHERE status = 'loaded' AND source <> 'demo'`,
  );
  return (row?.n ?? 0) > 0;
}
