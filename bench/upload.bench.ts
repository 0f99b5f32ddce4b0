/**
 * The web upload against the pipeline it feeds: the same 500 000-row `tiimi` file (about 17 MB, under
 * the 20 MB limit) sent to POST /api/v1/uploads of the real server over loopback (multipart, Bearer
 * token, session-free), and given to ingestBytes directly. The difference is what HTTP, multipart
 * parsing and the upload's checks cost. The recompute after the load is left out of both.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TokenStore } from "../core/tokens.ts";
import { buildApp } from "../dashboard/app.ts";
import { Publisher } from "../indicators/publisher.ts";
import { ingestBytes } from "../pipelines/ingest.ts";
import { freshDb, makeTiimiFile } from "./ingest.bench.ts";
import type { Bench } from "./run.ts";

const ROWS = 500_000;
const ROUNDS = 3;

export const bench: Bench = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bench-upload-"));
  try {
    const file = path.join(dir, "tiimi.csv");
    makeTiimiFile(file, ROWS);
    const bytes = fs.readFileSync(file);
    const oursRuns: number[] = [];
    const baselineRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const base = await freshDb(dir, `direct${round}`);
      let start = performance.now();
      const direct = await ingestBytes(base, {
        fileName: "tiimi.csv",
        bytes,
        sender: "bench",
        source: "cli",
      });
      baselineRuns.push(performance.now() - start);
      if (direct.status !== "loaded") throw new Error(`direct ingest: ${JSON.stringify(direct.errors[0])}`);
      await base.db.close();

      const served = await freshDb(dir, `upload${round}`);
      const tokens = TokenStore.inMemory();
      const { token } = tokens.add({ role: "admin", name: "bench" });
      const publisher = new Publisher(
        async () => undefined,
        (error) => {
          throw error;
        },
      );
      const app = await buildApp({ ...served, tokens, publisher });
      await app.listen({ port: 0, host: "127.0.0.1" });
      const address = app.server.address();
      if (address === null || typeof address === "string") throw new Error("no TCP address");
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "text/csv" }), "tiimi.csv");
      start = performance.now();
      const response = await fetch(`http://127.0.0.1:${address.port}/api/v1/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const body = (await response.json()) as { files: { status: string }[] };
      oursRuns.push(performance.now() - start);
      if (body.files?.[0]?.status !== "loaded")
        throw new Error(`upload: ${JSON.stringify(body).slice(0, 300)}`);
      await app.close();
      await served.db.close();
    }
    const oursMs = Math.min(...oursRuns);
    const baselineMs = Math.min(...baselineRuns);
    return [
      {
        name: "upload: a 500 000-row file through POST /api/v1/uploads",
        description: `${(bytes.length / 1e6).toFixed(1)} MB tiimi file; ours = multipart upload to the real server over loopback, answered with the report; baseline = ingestBytes on the same bytes; best of ${ROUNDS} alternating rounds, recompute excluded`,
        ours: { label: "POST /api/v1/uploads (HTTP + multipart + pipeline)", ms: oursMs },
        baseline: { label: "ingestBytes directly", ms: baselineMs },
        goalRatio: 1.25,
        details: {
          "all rounds, upload / direct (ms)": `${oursRuns.map((m) => m.toFixed(0)).join(", ")} / ${baselineRuns.map((m) => m.toFixed(0)).join(", ")}`,
          "overhead of the web path (ms)": (oursMs - baselineMs).toFixed(0),
        },
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
