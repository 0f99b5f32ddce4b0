/**
 * Start-up as a user sees it, each command a new process against `node -e 0` in the same run (issue
 * 2.3): `seuranta --help` within 3×, `seuranta validate` of a small file under 1 s. The server's
 * start-up (spawn until the first answer of /readyz, on a database with the demo data) is measured
 * against a plain node:http server started the same way. The compiled code is built first (npm run
 * build); the same commands through the TypeScript sources (SEURANTA_FROM_SOURCE=1, as every start
 * was before dist/) are printed beside it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { prepareDatabase, TODAY } from "./pages.bench.ts";
import type { Bench, BenchResult } from "./run.ts";

const ROOT = path.join(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin", "seuranta.js");
const ROUNDS = 10;
const SERVER_ROUNDS = 5;
const SMALL_FILE =
  "kunta;vuosineljannes;suunta;luokka;lukumaara\r\n179;2024Q1;tulo;kela;7\r\n179;2024Q1;lahto;tyokykyarvio;3\r\n";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Wall-clock time of one process from spawn to exit, in ms; throws when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv, expectStatus = 0): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== expectStatus)
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return ms;
}

/** Spawns a server and times until its /readyz (or any URL) first answers 200; then stops it. */
async function timeServerStart(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  const out = fs.openSync(logFile, "w");
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${fs.readFileSync(logFile, "utf8")}`);
      if (performance.now() - start > 120_000) throw new Error("server did not answer in 120 s");
      const port = /http:\/\/[^:]+:(\d+)\//.exec(fs.readFileSync(logFile, "utf8"))?.[1];
      if (port && (await status(`http://127.0.0.1:${port}/readyz`)) === 200) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", () => resolve(0));
  });
}

const PLAIN_SERVER = `require("node:http").createServer((q, s) => s.end("ok")).listen(0, "127.0.0.1", function () {
  console.log("http://127.0.0.1:" + this.address().port + "/");
});`;

export const bench: Bench = async () => {
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bench-startup-"));
  try {
    const file = path.join(dir, "tiimi.csv");
    fs.writeFileSync(file, SMALL_FILE);
    const env: NodeJS.ProcessEnv = { ...process.env, SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TODAY };
    delete env.SEURANTA_DB;
    delete env.SEURANTA_TOKENS;
    delete env.SEURANTA_FROM_SOURCE;
    const fromSource = { ...env, SEURANTA_FROM_SOURCE: "1" };

    // alternating rounds, medians: the machine is shared and noisy
    const runs = { node: [] as number[], help: [] as number[], validate: [] as number[] };
    const sourceRuns = { help: [] as number[], validate: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.node.push(timeProcess(["-e", "0"], env));
      runs.help.push(timeProcess([BIN, "--help"], env));
      runs.validate.push(timeProcess([BIN, "validate", file], env));
      if (round < 3) {
        sourceRuns.help.push(timeProcess([BIN, "--help"], fromSource));
        sourceRuns.validate.push(timeProcess([BIN, "validate", file], fromSource));
      }
    }
    const nodeMs = median(runs.node);
    const helpMs = median(runs.help);
    const validateMs = median(runs.validate);

    await prepareDatabase(dir);
    const serverRuns = { ours: [] as number[], plain: [] as number[], source: [] as number[] };
    const log = path.join(dir, "server.log");
    const serverEnv = { ...env, PORT: "0", HOST: "127.0.0.1" };
    for (let round = 0; round < SERVER_ROUNDS; round++) {
      serverRuns.plain.push(await timeServerStart(["-e", PLAIN_SERVER], env, log));
      serverRuns.ours.push(await timeServerStart([BIN, "serve"], serverEnv, log));
      if (round < 2)
        serverRuns.source.push(
          await timeServerStart([BIN, "serve"], { ...serverEnv, SEURANTA_FROM_SOURCE: "1" }, log),
        );
    }
    const ms = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");
    const results: BenchResult[] = [
      {
        name: "startup: seuranta --help",
        description: `a new process each time, median of ${ROUNDS} alternating rounds against node -e 0`,
        ours: { label: "seuranta --help (compiled)", ms: helpMs },
        baseline: { label: "node -e 0", ms: nodeMs },
        goalRatio: 3,
        details: {
          "all rounds, --help / node -e 0 (ms)": `${ms(runs.help)} / ${ms(runs.node)}`,
          "--help from the TypeScript sources through tsx (ms)": ms(sourceRuns.help),
        },
      },
      {
        name: "startup: seuranta validate of a small file",
        description: `a 2-row tiimi file, a new process each time, median of ${ROUNDS} rounds; goal: under 1 s (ratio printed against node -e 0)`,
        ours: { label: "seuranta validate (compiled)", ms: validateMs },
        baseline: { label: "node -e 0", ms: nodeMs },
        details: {
          "goal under 1000 ms": validateMs < 1000 ? "met" : "NOT met",
          "all rounds (ms)": ms(runs.validate),
          "validate from the TypeScript sources through tsx (ms)": ms(sourceRuns.validate),
        },
      },
      {
        name: "startup: seuranta serve until /readyz answers",
        description: `demo data already loaded and computed; spawn until the first 200, median of ${SERVER_ROUNDS} rounds against a plain node:http server started the same way`,
        ours: { label: "seuranta serve (compiled)", ms: median(serverRuns.ours) },
        baseline: { label: "plain node:http server", ms: median(serverRuns.plain) },
        details: {
          "all rounds, serve / plain (ms)": `${ms(serverRuns.ours)} / ${ms(serverRuns.plain)}`,
          "serve from the TypeScript sources through tsx (ms)": ms(serverRuns.source),
        },
      },
    ];
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
