import fs from "node:fs";
import { parseArgs } from "node:util";
import { recordAudit } from "../../core/audit.ts";
import { BackupScheduler } from "../../core/backup-schedule.ts";
import { type Config, dataFolders } from "../../core/config.ts";
import type { Database } from "../../core/db.ts";
import { jsonLogger, type Logger } from "../../core/log.ts";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import {
  createDemoTokens,
  DEMO_ADMIN,
  DEMO_ANALYST,
  DEMO_ANALYST_KUNNAT,
} from "../../dashboard/auth/demo.ts";
import { recomputeIfStale } from "../../indicators/compute.ts";
import { Publisher } from "../../indicators/publisher.ts";
import { publishLatestSnapshot } from "../../indicators/release/snapshot.ts";
import { InboxScheduler } from "../../pipelines/scheduler.ts";
import { type CommandIO, type CommandRun, UsageError } from "../command.ts";
import { openForCommand } from "../open.ts";
import { openRequestLog } from "../request-log.ts";
import { untilSignal } from "../signals.ts";

/** Whether nothing has ever been loaded (then `start` shows the demo data). */
async function isEmpty(db: Database): Promise<boolean> {
  const row = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM loads`);
  return (row?.n ?? 0) === 0;
}

/**
 * The tokens the server accepts: the token file when SEURANTA_TOKENS is set; otherwise, for `start`,
 * demo mode with an admin and an analyst token made for this run only and printed once (every page
 * then says it is a demo), and for `serve` no tokens at all.
 */
async function tokenStoreFor(
  io: CommandIO,
  db: Database,
  config: Config,
  demo: boolean,
): Promise<TokenStore> {
  if (config.tokensFile) {
    const store = TokenStore.fromFile(config.tokensFile);
    if (store.size === 0) {
      io.out(
        `Tunnistetiedostossa ${config.tokensFile} ei ole tunnisteita: kukaan ei voi lähettää tiedostoja. ` +
          'Luo tunniste: seuranta token create --role analyst --kunta 179 --name "…"\n',
      );
    }
    return store;
  }
  if (!demo) {
    // `serve` is how production runs: without a token file nobody may upload, rather than demo tokens
    io.out("SEURANTA_TOKENS ei ole asetettu: tiedostojen lähettäminen verkossa ei ole käytössä.\n");
    return TokenStore.inMemory();
  }
  const { store, admin, analyst } = createDemoTokens();
  await db.withTransaction((tx) =>
    recordAudit(tx, {
      action: "demo_tokens",
      actor: "demo",
      detail: { admin: admin.id, analyst: analyst.id },
    }),
  );
  io.out(
    "ESITTELYTILA: SEURANTA_TOKENS ei ole asetettu, joten tälle ajolle luotiin esittelytunnisteet (näytetään vain nyt):\n" +
      `  ylläpitäjä (${DEMO_ADMIN}):   ${admin.token}\n` +
      `  analyytikko (${DEMO_ANALYST}, kunta ${DEMO_ANALYST_KUNNAT.join(", ")}): ${analyst.token}\n` +
      "Kirjaudu sivulla /kirjaudu. Tuotannossa aseta SEURANTA_TOKENS ja luo tunnisteet komennolla seuranta token create.\n",
  );
  return store;
}

/**
 * Writes the latest release's snapshot for the replicas (SEURANTA_RELEASES_DIR) when it is not there
 * yet. A failure is logged, never thrown: the load that made the release is in and stays served here.
 */
async function publishSnapshot(db: Database, dir: string, log: Logger): Promise<void> {
  try {
    const manifest = await publishLatestSnapshot(db, dir);
    if (manifest)
      log.log("info", "release snapshot published", {
        release: manifest.release,
        ms: manifest.write_ms,
        held_ms: manifest.hold_ms,
        dir,
      });
  } catch (error) {
    log.log("error", "release snapshot failed", { dir, error: (error as Error).message });
  }
}

/**
 * Runs the server: the web application and the inbox schedule in one process (the process that
 * owns the database file). With `withDemo`, an empty database gets the demo data first.
 */
async function serve(io: CommandIO, args: string[], withDemo: boolean): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { "no-demo": { type: "boolean", default: false }, replica: { type: "string" } },
  });
  if (values.replica !== undefined) {
    if (withDemo) throw new UsageError("--replica kuuluu komennolle serve, ei start");
    // imported only here: a replica opens no writable database and runs no schedules
    const { serveReplica } = await import("../serve-replica.ts");
    return serveReplica(io, values.replica);
  }
  const opened = await openForCommand(io);
  if (!opened) return 1;
  const { db, config } = opened;
  const log = jsonLogger();
  for (const folder of Object.values(dataFolders(config))) fs.mkdirSync(folder, { recursive: true });
  if (withDemo && !values["no-demo"] && (await isEmpty(db))) {
    io.out("Tietokanta on tyhjä: ladataan esimerkkiaineisto (seuranta demo)…\n");
    // imported only here: the demo generator is needed once, for an empty database
    const { loadDemo } = await import("../../pipelines/demo/load.ts");
    const demo = await loadDemo({ db, config });
    const loaded = demo.reports.filter((r) => r.status === "loaded").length;
    log.log("info", "demo data loaded", { files: demo.reports.length, loaded });
  }
  // results are recomputed when anything they depend on changed (data, definitions, threshold, year)
  const recompute = async (trigger: string) => {
    const summary = await recomputeIfStale(db, config, { trigger });
    if (summary)
      log.log("info", "indicators recomputed", { trigger, rows: summary.rows, ms: summary.durationMs });
    if (config.releasesDir) await publishSnapshot(db, config.releasesDir, log);
  };
  await recompute("start");
  // after a load (upload or inbox) the new figures are made in the background, one run at a time
  const publisher = new Publisher(recompute, (error, trigger) =>
    log.log("error", "recompute after a load failed", { trigger, error: String(error) }),
  );
  const scheduler = new InboxScheduler(
    { db, config, log },
    { schedule: config.inboxSchedule, afterLoad: async () => publisher.request("inbox") },
  );
  // scheduled backups (SEURANTA_BACKUP_CRON): a bad schedule stops the start here, before listening
  const backups = config.backupSchedule
    ? new BackupScheduler({ db, config, log }, config.backupSchedule)
    : null;
  const tokens = await tokenStoreFor(io, db, config, withDemo);
  // The request log goes to stdout without blocking, in batches (a synchronous write per line was a
  // sixth of a cached answer's work); what is left is written at shutdown.
  const requestLog = openRequestLog();
  const app = await buildApp({
    db,
    config,
    logger: { level: "info", stream: requestLog.stream },
    tokens,
    publisher,
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  io.out(
    `Seuranta käynnissä: http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}/\n` +
      `Saapuneet-kansio: ${dataFolders(config).inbox} (tarkistetaan ajastuksella ${config.inboxSchedule})\n`,
  );
  scheduler.start();
  backups?.start();
  const signal = await untilSignal();
  log.log("info", "shutting down", { signal });
  await scheduler.stop();
  await backups?.stop();
  await app.close();
  await db.close();
  requestLog.close();
  return 0;
}

/** `seuranta serve`: the server as production runs it. */
export const serveRun: CommandRun = (args, io) => serve(io, args, false);

/** `seuranta start` (npm start): the server, with the demo data in an empty database. */
export const startRun: CommandRun = (args, io) => serve(io, args, true);
