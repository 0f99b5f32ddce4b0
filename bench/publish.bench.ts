/**
 * An upload of one municipality-quarter on the demo data (308 municipalities, 12 quarters), sent to
 * POST /api/v1/uploads of the real server with its background publisher, against ingestBytes of the same
 * kind of file alone (the load and its commit) in the same rounds. Also timed: until the new release is
 * served (the incremental recompute, protection over the whole release, audit, release), and the way
 * before this change in the same rounds: the load followed by a full recompute before the answer. While
 * each background run is under way, /readyz is asked one request after another (protection and audit
 * run in a worker thread, so it should answer as when the server is idle, timed after each run).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../core/config.ts";
import { Database } from "../core/db.ts";
import { TokenStore } from "../core/tokens.ts";
import { buildApp } from "../dashboard/app.ts";
import { type ComputeSummary, recomputeAll, recomputeIfStale } from "../indicators/compute.ts";
import { jobsUnderWay } from "../indicators/protect/off-thread.ts";
import { Publisher } from "../indicators/publisher.ts";
import { ingestBytes } from "../pipelines/ingest.ts";
import { prepareDatabase, TODAY } from "./pages.bench.ts";
import type { Bench } from "./run.ts";

const ROUNDS = 3;
const KUNTA = "179";

/** Jyväskylä's row of the demo's latest kuntouttava file, with its client count raised by `more`. */
async function oneMunicipalityQuarter(db: Database, dataDir: string): Promise<(more: number) => Buffer> {
  const load = await db.one<{ sha256: string; file_name: string }>(
    `SELECT sha256, file_name FROM loads WHERE dataset = 'kuntouttava' AND status = 'loaded'
     ORDER BY file_name DESC LIMIT 1`,
  );
  if (!load) throw new Error("no kuntouttava load in the demo");
  const archived = fs.readdirSync(path.join(dataDir, "archive")).find((f) => f.startsWith(load.sha256));
  if (!archived) throw new Error(`${load.file_name} is not in the archive`);
  const lines = fs
    .readFileSync(path.join(dataDir, "archive", archived), "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  const header = lines.find((l) => l.startsWith("kunta;"));
  const row = lines.find((l) => l.startsWith(`${KUNTA};`));
  if (!header || !row) throw new Error(`no header or row of ${KUNTA} in ${load.file_name}`);
  const cells = row.split(";");
  return (more) => {
    const changed = [...cells];
    changed[2] = String(Number(cells[2]) + more);
    return Buffer.from(`${header}\n${changed.join(";")}\n`, "utf8");
  };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN;
const median = (xs: number[]) => quantile(xs, 0.5);
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");

export const bench: Bench = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bench-publish-"));
  try {
    await prepareDatabase(dir);
    const config = loadConfig({ SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TODAY });
    const db = await Database.open(config.dbPath);
    const file = await oneMunicipalityQuarter(db, dir);
    const runs: ComputeSummary[] = [];
    const publisher = new Publisher(
      async (trigger) => {
        const summary = await recomputeIfStale(db, config, { trigger });
        if (summary) runs.push(summary);
      },
      (error) => {
        throw error;
      },
    );
    const tokens = TokenStore.inMemory();
    const { token } = tokens.add({ role: "admin", name: "bench" });
    const app = await buildApp({ db, config, tokens, publisher });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const url = `http://127.0.0.1:${address.port}/api/v1/uploads`;
    const readyUrl = `http://127.0.0.1:${address.port}/readyz`;
    // /readyz asked one request after another: while the server is idle, and during each background run
    const askReady = async (times: number[], more: () => boolean) => {
      while (more()) {
        const asked = performance.now();
        const response = await fetch(readyUrl);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/readyz answered ${response.status}`);
        times.push(performance.now() - asked);
      }
    };
    const readyIdle: number[] = [];
    const readyDuringRun: number[] = [];
    const loadDuringRun: number[] = [];
    const loadBeforeRunEnded: boolean[] = [];
    const direct: number[] = [];
    const report: number[] = [];
    const served: number[] = [];
    const before: number[] = [];
    const afterCommit: number[] = [];
    // the end of the first database section after the upload began: the load's commit (the listener
    // runs right after it, before the handler goes on)
    let committed: number | null = null;
    db.afterWrite(async () => {
      committed ??= performance.now();
    });
    const fullSteps: ComputeSummary[] = [];
    let more = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        // the load alone: the baseline
        let start = performance.now();
        const alone = await ingestBytes(
          { db, config },
          { fileName: "kt.csv", bytes: file(++more), sender: "bench", source: "cli" },
        );
        direct.push(performance.now() - start);
        if (alone.status !== "loaded") throw new Error(`ingest: ${JSON.stringify(alone.errors[0])}`);

        // ours: the upload answers after the commit; the release follows in the background
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(file(++more))], { type: "text/csv" }), "kt.csv");
        start = performance.now();
        committed = null;
        const response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: form,
        });
        const body = (await response.json()) as {
          files: { status: string }[];
          publication?: { status: string };
        };
        const answered = performance.now();
        report.push(answered - start);
        afterCommit.push(answered - (committed ?? Number.NaN));
        if (body.files[0]?.status !== "loaded" || body.publication?.status !== "preparing")
          throw new Error(`upload: ${JSON.stringify(body).slice(0, 300)}`);
        const probing = askReady(readyDuringRun, () => publisher.busy);
        // a load sent while the run's protection is under way in the worker thread
        while (publisher.busy && jobsUnderWay() === 0) await new Promise((r) => setTimeout(r, 5));
        if (jobsUnderWay() > 0) {
          const asked = performance.now();
          const during = await ingestBytes(
            { db, config },
            { fileName: "kt.csv", bytes: file(++more), sender: "bench", source: "cli" },
          );
          if (during.status !== "loaded") throw new Error(`ingest: ${JSON.stringify(during.errors[0])}`);
          loadDuringRun.push(performance.now() - asked);
          loadBeforeRunEnded.push(jobsUnderWay() > 0);
        }
        await publisher.idle();
        served.push(performance.now() - start);
        await probing;
        const idleBefore = readyIdle.length;
        await askReady(readyIdle, () => readyIdle.length < idleBefore + 20);

        // before this change: the load, then the whole recompute, before the answer
        start = performance.now();
        const old = await ingestBytes(
          { db, config },
          { fileName: "kt.csv", bytes: file(++more), sender: "bench", source: "cli" },
        );
        if (old.status !== "loaded") throw new Error(`ingest: ${JSON.stringify(old.errors[0])}`);
        fullSteps.push(await recomputeAll(db, config, { trigger: "bench" }));
        before.push(performance.now() - start);
      }
    } finally {
      await app.close();
      await db.close();
    }
    const step = (summaries: ComputeSummary[], names: string[]) =>
      list(summaries.map((s) => names.reduce((sum, n) => sum + (s.steps[n] ?? 0), 0)));
    const values = ["quarters", "municipal_periods", "areas", "cells"];
    return [
      {
        name: "publish: an upload of one municipality-quarter on the demo data",
        description: `ours = POST /api/v1/uploads answered with the report (the release follows in the background); baseline = ingestBytes of the same kind of file alone (the load of the round before ours, so ours covers two loads of the same municipality-quarter); median of ${ROUNDS} rounds`,
        ours: { label: "upload to report", ms: median(report) },
        baseline: { label: "ingestBytes alone", ms: median(direct) },
        details: {
          "upload to report, rounds (ms)": list(report),
          "ingestBytes alone, rounds (ms)": list(direct),
          "from the load's commit to the report (goal < 1000 ms), rounds (ms)": list(afterCommit),
          "upload until the new release is served, rounds (ms)": list(served),
          "before: load + full recompute before the answer, rounds (ms)": list(before),
          "incremental runs: values computed (quarters .. cells), ms": step(runs, values),
          "full recomputes: values computed (quarters .. cells), ms": step(fullSteps, values),
          "incremental runs: protection + audit, ms": step(runs, ["protection"]),
          "incremental runs: scope": runs.map((r) => JSON.stringify(r.scope)).join(" "),
          "/readyz during the background runs (protection in the worker thread): requests, median, p99, max (ms)": `${readyDuringRun.length}, ${list([median(readyDuringRun), quantile(readyDuringRun, 0.99), Math.max(...readyDuringRun)])}`,
          "ingestBytes sent during the run's protection, rounds (ms)": list(loadDuringRun),
          "… committed while that protection was still under way": loadBeforeRunEnded.join(", "),
          "/readyz with the server idle: requests, median, p99, max (ms)": `${readyIdle.length}, ${list([median(readyIdle), quantile(readyIdle, 0.99), Math.max(...readyIdle)])}`,
        },
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
