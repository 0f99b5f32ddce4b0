/**
 * Read replicas on the demo data: how long the writer takes to publish a release's snapshot after a load
 * (against a plain copy of the database file, what a backup does), how long a replica takes to move to
 * a new snapshot (against opening the file with DuckDB alone), and a cached page answered by a replica
 * against the same page answered by the writer (wrk, alternating rounds; needs wrk like pages.bench.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadConfig } from "../core/config.ts";
import { Database } from "../core/db.ts";
import { recomputeAll } from "../indicators/compute.ts";
import { publishLatestSnapshot } from "../indicators/release/snapshot.ts";
import { ingestBytes } from "../pipelines/ingest.ts";
import {
  median,
  prepareDatabase,
  rps,
  startServer,
  stopServer,
  TODAY,
  type WrkRun,
  wrk,
} from "./pages.bench.ts";
import type { Bench, BenchResult } from "./run.ts";

const ROUNDS = 5;
const PAGE = "/indikaattori/kt-tyohon";
// one municipality-quarter sent again with other figures (its outcomes add up to the ended periods)
const CORRECTION = `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
179;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1
`;

const mb = (file: string) => (fs.statSync(file).size / 1024 / 1024).toFixed(1);
/** Milliseconds fn takes. */
const timed = async (fn: () => Promise<unknown>) => {
  const began = performance.now();
  await fn();
  return performance.now() - began;
};

export const bench: Bench = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bench-replica-"));
  const releases = path.join(dir, "julkaisut");
  const results: BenchResult[] = [];
  try {
    await prepareDatabase(dir);
    const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TODAY });
    const db = await Database.open(config.dbPath);
    let publishMs: number;
    let copyMs: number;
    try {
      const first = await publishLatestSnapshot(db, releases);
      const report = await ingestBytes(
        { db, config },
        { fileName: "korjaus.csv", bytes: Buffer.from(CORRECTION), sender: "bench", source: "cli" },
      );
      if (report.status !== "loaded") throw new Error(`the correction was not loaded: ${report.status}`);
      const recomputed = await recomputeAll(db, config, { trigger: "bench" });
      if (!recomputed.release) throw new Error("the correction made no new release");
      const began = performance.now();
      const second = await publishLatestSnapshot(db, releases);
      publishMs = performance.now() - began;
      const copy = path.join(dir, "copy.duckdb");
      copyMs = await timed(() =>
        db.exclusive(async () => {
          await db.run("CHECKPOINT");
          fs.copyFileSync(db.path, copy);
        }),
      );
      results.push({
        name: "replicas: publishing a release snapshot after a load",
        description:
          "the demo data, a one-row correction loaded and recomputed (release 2); ours = publishLatestSnapshot (DuckDB copy without the private tables, Parquet of the published figures, renames, manifest), baseline = CHECKPOINT and a plain copy of the database file",
        ours: { label: "snapshot of release 2", ms: publishMs },
        baseline: { label: "copy of the database file", ms: copyMs },
        details: {
          "of which the database was held (checkpoint and file copy), ms": second?.hold_ms ?? "none",
          "first snapshot (release 1), ms": first?.write_ms ?? "none",
          "database file, MB": mb(db.path),
          "snapshot database, MB": mb(path.join(releases, "release-2.duckdb")),
          "snapshot Parquet, MB": mb(path.join(releases, "release-2.parquet")),
        },
      });
    } finally {
      await db.close();
    }

    const replica = await Database.openReadOnly(path.join(releases, "release-1.duckdb"));
    const switches: number[] = [];
    const opens: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const target = path.join(releases, `release-${round % 2 === 0 ? 2 : 1}.duckdb`);
        switches.push(await timed(() => replica.switchTo(target)));
        opens.push(
          await timed(async () => {
            const instance = await DuckDBInstance.create(target, { access_mode: "READ_ONLY" });
            const connection = await instance.connect();
            await connection.run("SELECT 1");
            connection.closeSync();
            instance.closeSync();
          }),
        );
      }
    } finally {
      await replica.close();
    }
    results.push({
      name: "replicas: a replica moving to a new snapshot",
      description: `Database.switchTo between the snapshots of releases 1 and 2 (open read-only, check the schema, swap, the old one closed), against opening the same file read-only with DuckDB alone; ${ROUNDS} alternating rounds, medians`,
      ours: { label: "switch", ms: median(switches) },
      baseline: { label: "DuckDB open read-only", ms: median(opens) },
      details: {
        "switch, ms (range)": `${Math.min(...switches).toFixed(0)}–${Math.max(...switches).toFixed(0)}`,
      },
    });

    const writer = await startServer(dir, {
      env: { SEURANTA_RELEASES_DIR: releases },
      logName: "writer.log",
    });
    const copy = await startServer(dir, { args: ["--replica", releases], logName: "replica.log" });
    try {
      const urls = {
        writer: `http://127.0.0.1:${writer.port}${PAGE}`,
        replica: `http://127.0.0.1:${copy.port}${PAGE}`,
      };
      for (const url of Object.values(urls)) {
        if ((await fetch(url)).status !== 200) throw new Error(`${url} did not answer 200`);
        await wrk(url, ["-t2", "-c50", "-d2s"]);
      }
      const runs: { writer: WrkRun[]; replica: WrkRun[] } = { writer: [], replica: [] };
      for (let round = 0; round < 3; round++) {
        runs.replica.push(await wrk(urls.replica));
        runs.writer.push(await wrk(urls.writer));
      }
      const replicaRps = median(runs.replica.map(rps));
      const writerRps = median(runs.writer.map(rps));
      results.push({
        name: "replicas: a cached page answered by a replica",
        description: `GET ${PAGE} from the response cache, wrk -t2 -c50 -d8s, 3 alternating rounds, medians; ours = seuranta serve --replica, baseline = the writer (seuranta serve) on the same data`,
        unit: "µs per request",
        ours: { label: "replica", ms: 1e6 / replicaRps },
        baseline: { label: "writer", ms: 1e6 / writerRps },
        details: {
          "requests/s, replica / writer": `${replicaRps.toFixed(0)} / ${writerRps.toFixed(0)}`,
          "p99 ms, replica / writer": `${median(runs.replica.map((r) => r.p99_us / 1000)).toFixed(1)} / ${median(runs.writer.map((r) => r.p99_us / 1000)).toFixed(1)}`,
        },
      });
    } finally {
      await stopServer(copy.child);
      await stopServer(writer.child);
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
