import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../core/config.ts";
import { Database } from "../core/db.ts";
import { jsonLogger } from "../core/log.ts";
import { readSnapshotManifest, SnapshotFollower, type SnapshotManifest } from "../core/snapshots.ts";
import { TokenStore } from "../core/tokens.ts";
import { buildApp } from "../dashboard/app.ts";
import type { CommandIO } from "./command.ts";
import { openRequestLog } from "./request-log.ts";
import { untilSignal } from "./signals.ts";

/** Waits until the releases folder has a snapshot, or a signal comes (then null). */
async function firstSnapshot(dir: string, io: CommandIO, stopped: Promise<string>) {
  let told = false;
  let stop = false;
  void stopped.then(() => {
    stop = true;
  });
  for (;;) {
    const manifest = readSnapshotManifest(dir);
    if (manifest) return manifest;
    if (stop) return null;
    if (!told)
      io.out(
        `Julkaisukansiossa ${dir} ei ole vielä tilannevedosta: odotetaan kirjoittajan ensimmäistä julkaisua…\n`,
      );
    told = true;
    await sleep(500);
  }
}

/**
 * `seuranta serve --replica <releases folder>`: serves the newest release snapshot read-only (pages,
 * API, exports) and moves to each newer one as the writer publishes it; refuses uploads and sign-ins
 * (dashboard/replica.ts). Opens no writable database and runs no inbox or backup schedule.
 */
export async function serveReplica(io: CommandIO, folder: string): Promise<number> {
  const dir = path.resolve(folder);
  const config = loadConfig(io.env);
  const log = jsonLogger();
  const stopped = untilSignal();
  const manifest = await firstSnapshot(dir, io, stopped);
  if (!manifest) return 0;
  const db = await Database.openReadOnly(path.join(dir, manifest.database));
  const follower = new SnapshotFollower(dir, manifest.release, {
    onNewer: async (next: SnapshotManifest) => {
      const began = performance.now();
      await db.switchTo(path.join(dir, next.database));
      log.log("info", "replica switched release", {
        release: next.release,
        ms: Math.round(performance.now() - began),
        since_published_ms: Date.now() - Date.parse(next.created_at),
      });
    },
    onError: (error, next) =>
      log.log("error", "replica cannot switch release", {
        release: next.release,
        error: (error as Error).message,
      }),
  });
  // the request log as the writer's (cli/commands/serve.ts): one line per request, not blocking
  const requestLog = openRequestLog();
  const app = await buildApp({
    db,
    config,
    logger: { level: "info", stream: requestLog.stream },
    tokens: TokenStore.inMemory(),
    replica: { writerUrl: config.writerUrl ?? config.publicUrl },
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  io.out(
    `Seuranta (lukukopio) käynnissä: http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}/ ` +
      `julkaisu ${manifest.release}, kansio ${dir}\n`,
  );
  follower.start();
  // a release published while this one opened
  await follower.check();
  const signal = await stopped;
  log.log("info", "shutting down", { signal });
  await follower.stop();
  await app.close();
  await db.close();
  requestLog.close();
  return 0;
}
