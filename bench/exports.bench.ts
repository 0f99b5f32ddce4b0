/**
 * The ministry report in every format against the bare reads it is built from: the demo data (all
 * municipalities, 12 quarters) loaded and computed, the selection "hyvinvointialue + kunta (+ the
 * whole country), one year". The baseline is readValues for every indicator and the year, exactly the
 * reads collectReport makes, through the reader connection as the API and the CLI do.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../core/config.ts";
import { Database, type Queryable } from "../core/db.ts";
import { writeExport } from "../exports/export.ts";
import { FORMAT_NAMES, FORMATS } from "../exports/formats/index.ts";
import { collectReport, type ExportSelection } from "../exports/report.ts";
import { recomputeAll } from "../indicators/compute.ts";
import { readValues } from "../indicators/read.ts";
import { type Catalogue, loadCatalogue } from "../indicators/registry.ts";
import { loadDemo } from "../pipelines/demo/load.ts";
import { preparePipelines } from "../pipelines/tables.ts";
import type { Bench, BenchResult } from "./run.ts";

const TODAY = "2025-11-25";
const ROUNDS = 3;
const SELECTION: ExportSelection = {
  levels: ["hyvinvointialue", "kunta"],
  period: { kind: "year", year: 2024 },
};

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

const best = (xs: number[]) => Math.min(...xs);

/** The reads collectReport makes for a one-year selection: every indicator for the year, all its levels. */
async function bareReads(db: Queryable, catalogue: Catalogue): Promise<number> {
  let n = 0;
  for (const entry of catalogue.entries) {
    const { values } = await readValues(
      db,
      { indicator: entry.definition.id, period: "2024" },
      { catalogue },
    );
    n += values.length;
  }
  return n;
}

export const bench: Bench = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bench-exports-"));
  const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TODAY });
  const db = await Database.open(config.dbPath);
  try {
    await preparePipelines(db, config.referenceDir);
    const demo = await loadDemo({ db, config });
    const rejected = demo.reports.filter((r) => r.status === "rejected").length;
    if (rejected > 0) throw new Error(`${rejected} demo files were rejected`);
    const catalogue = await loadCatalogue();
    await recomputeAll(db, config, { catalogue, trigger: "bench" });
    await db.run("CHECKPOINT");
    const reader = await db.reader();
    const threshold = config.suppressionThreshold;

    // warm-up: the first reads pay for DuckDB's caches and the modules' first calls
    const readRows = await bareReads(reader, catalogue);
    for (const format of FORMAT_NAMES)
      await writeExport(reader, { selection: SELECTION, format, threshold, catalogue });

    const baseline: number[] = [];
    const collect: number[] = [];
    const results: BenchResult[] = [];
    const perFormat = new Map(
      FORMAT_NAMES.map((f) => [f, { ours: [] as number[], write: [] as number[], bytes: 0 }]),
    );
    let values = 0;
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push((await time(() => bareReads(reader, catalogue)))[1]);
      const [report, collectMs] = await time(() =>
        collectReport(reader, SELECTION, { threshold, catalogue }),
      );
      collect.push(collectMs);
      values = report.rows.length;
      for (const format of FORMAT_NAMES) {
        const m = perFormat.get(format);
        if (!m) continue;
        // the format step alone, on the report just collected
        m.write.push((await time(() => FORMATS[format].write(report, "fi")))[1]);
        // the whole export as the CLI and the API run it
        const [file, ms] = await time(() =>
          writeExport(reader, { selection: SELECTION, format, threshold, catalogue }),
        );
        m.ours.push(ms);
        m.bytes = file.body.length;
      }
    }
    const baselineMs = best(baseline);
    for (const format of FORMAT_NAMES) {
      const m = perFormat.get(format);
      if (!m) continue;
      results.push({
        name: `exports: ${format}`,
        description:
          `writeExport(${format}) of every indicator for hyvinvointialue + kunta + koko maa, 2024 (demo data), ` +
          `against the bare readValues reads it is built from (best of ${ROUNDS}).`,
        ours: { label: `writeExport ${format}`, ms: best(m.ours) },
        baseline: { label: "readValues, every indicator for the year", ms: baselineMs },
        details: {
          bytes: m.bytes,
          "values in the file": values,
          "values read (all levels of the year)": readRows,
          "ms collect (collectReport) / format step, best of each": `${Math.round(best(collect))} / ${Math.round(best(m.write))}`,
          "rounds (writeExport / reads, ms)": m.ours
            .map((ms, i) => `${Math.round(ms)} / ${Math.round(baseline[i] ?? 0)}`)
            .join(", "),
        },
      });
    }
    return results;
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
