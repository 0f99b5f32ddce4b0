import fs from "node:fs";
import { parseArgs } from "node:util";
import { dataFolders } from "../../core/config.ts";
import type { Database } from "../../core/db.ts";
import { jsonLogger } from "../../core/log.ts";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeIfStale } from "../../indicators/compute.ts";
import { loadDemo } from "../../pipelines/demo/load.ts";
import { InboxScheduler } from "../../pipelines/scheduler.ts";
import type { Command, CommandIO } from "../command.ts";
import { openForCommand } from "../open.ts";

/** Whether nothing has ever been loaded (then `start` shows the demo data). */
async function isEmpty(db: Database): Promise<boolean> {
  const row = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM loads`);
  return (row?.n ?? 0) === 0;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/**
 * Runs the server: the web application and the inbox schedule in one process (the process that
 * owns the database file). With `withDemo`, an empty database gets the demo data first.
 */
async function serve(io: CommandIO, args: string[], withDemo: boolean): Promise<number> {
  const { values } = parseArgs({ args, options: { "no-demo": { type: "boolean", default: false } } });
  const opened = await openForCommand(io);
  if (!opened) return 1;
  const { db, config } = opened;
  const log = jsonLogger();
  for (const folder of Object.values(dataFolders(config))) fs.mkdirSync(folder, { recursive: true });
  if (withDemo && !values["no-demo"] && (await isEmpty(db))) {
    io.out("Tietokanta on tyhjä: ladataan esimerkkiaineisto (seuranta demo)…\n");
    const demo = await loadDemo({ db, config });
    const loaded = demo.reports.filter((r) => r.status === "loaded").length;
    log.log("info", "demo data loaded", { files: demo.reports.length, loaded });
  }
  // results are recomputed when anything they depend on changed (data, definitions, threshold, year)
  const recompute = async (trigger: string) => {
    const summary = await recomputeIfStale(db, config, { trigger });
    if (summary)
      log.log("info", "indicators recomputed", { trigger, rows: summary.rows, ms: summary.durationMs });
  };
  await recompute("start");
  const scheduler = new InboxScheduler(
    { db, config, log },
    { schedule: config.inboxSchedule, afterLoad: () => recompute("inbox") },
  );
  const app = await buildApp({ db, config, logger: { level: "info" } });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  io.out(
    `Seuranta käynnissä: http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}/\n` +
      `Saapuneet-kansio: ${dataFolders(config).inbox} (tarkistetaan ajastuksella ${config.inboxSchedule})\n`,
  );
  scheduler.start();
  const signal = await untilSignal();
  log.log("info", "shutting down", { signal });
  await scheduler.stop();
  await app.close();
  await db.close();
  return 0;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "käynnistää palvelimen ja saapuneet-kansion ajastuksen",
  usage: "serve",
  run: (args, io) => serve(io, args, false),
};

export const startCommand: Command = {
  name: "start",
  summary: "kuten serve, mutta lataa tyhjään tietokantaan esimerkkiaineiston (npm start)",
  usage: "start [--no-demo]",
  run: (args, io) => serve(io, args, true),
};
