/**
 * `npm run bench`: runs every bench/*.bench.ts and prints each result with its baseline measured in
 * the same run, as a ratio (wall-clock numbers alone mean little on these noisy 2-core machines).
 * Exits 1 when a result says it is invalid (its baseline shows the machine or the load generator, not
 * the code, was measured).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import module from "node:module";
import path from "node:path";

export interface BenchResult {
  name: string;
  /** What was measured against what, in a sentence. */
  description: string;
  ours: { label: string; ms: number };
  baseline: { label: string; ms: number };
  /** What `ms` holds, when it is not a duration in milliseconds (e.g. "µs per request"). */
  unit?: string;
  /** Why this measurement cannot be trusted, if it cannot: printed, and the run exits 1. */
  invalid?: string;
  /** Goal for ours/baseline (lower is better), if the issue sets one. */
  goalRatio?: number;
  /** Other figures worth printing (where the time goes). */
  details?: Record<string, string | number>;
}

export type Bench = () => Promise<BenchResult[]>;

const only = process.argv[2];
const dir = import.meta.dirname;
// What is measured is the compiled code in dist/, as `seuranta` and `npm start` run it, built afresh from
// the sources here; the benchmarks import the sources, answered from dist/ (compiled-hooks.mjs).
const build = spawnSync(process.execPath, [path.join(dir, "..", "bin", "build.js")], { stdio: "inherit" });
if (build.status !== 0) throw new Error("npm run bench: building dist/ failed (npm run build)");
module.register("./compiled-hooks.mjs", import.meta.url);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
  .sort();
for (const file of files) {
  const mod = (await import(path.join(dir, file))) as { bench: Bench };
  for (const r of await mod.bench()) {
    const ratio = r.ours.ms / r.baseline.ms;
    const goal =
      r.goalRatio === undefined
        ? ""
        : ratio <= r.goalRatio
          ? ` (goal ≤ ${r.goalRatio}×: met)`
          : ` (goal ≤ ${r.goalRatio}×: NOT met)`;
    const unit = r.unit ?? "ms";
    console.log(`\n## ${r.name}\n${r.description}`);
    if (r.invalid) {
      console.log(`  INVALID: ${r.invalid}`);
      process.exitCode = 1;
    }
    console.log(`  ${r.ours.label}: ${r.ours.ms.toFixed(0)} ${unit}`);
    console.log(`  ${r.baseline.label}: ${r.baseline.ms.toFixed(0)} ${unit}`);
    console.log(`  ratio: ${ratio.toFixed(2)}×${goal}`);
    for (const [k, v] of Object.entries(r.details ?? {})) console.log(`  ${k}: ${v}`);
  }
}
