import fs from "node:fs";
import path from "node:path";
import cron, { type ScheduledTask } from "node-cron";
import { backup, MANIFEST } from "./backup.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db.ts";
import type { Logger } from "./log.ts";

const PREFIX = "seuranta-";

/**
 * The server's scheduled backups (SEURANTA_BACKUP_CRON): each run writes a backup (core/backup.ts) into
 * its own folder `seuranta-<UTC time>` under SEURANTA_BACKUP_DIR, then removes the oldest beyond
 * SEURANTA_BACKUP_KEEP. Runs never overlap; a failed run is logged and leaves the older backups alone.
 */
export class BackupScheduler {
  private task: ScheduledTask | null = null;
  private current: Promise<string | null> | null = null;

  constructor(
    private readonly ctx: { db: Database; config: Config; log: Logger },
    private readonly schedule: string,
  ) {
    if (!cron.validate(schedule))
      throw new Error(`SEURANTA_BACKUP_CRON is not a valid cron expression: ${schedule}`);
  }

  start(): void {
    this.task = cron.schedule(this.schedule, () => void this.run());
  }

  /** Takes a backup now unless one is going; returns its folder, or null when skipped or failed. */
  run(now: Date = new Date()): Promise<string | null> {
    if (this.current) {
      this.ctx.log.log("warn", "backup skipped: the previous one is still going");
      return Promise.resolve(null);
    }
    const { config, db, log } = this.ctx;
    const out = path.join(config.backupDir, `${PREFIX}${now.toISOString().replace(/[:.]/g, "-")}`);
    this.current = (async () => {
      try {
        const manifest = await backup(db, config, out);
        const removed = pruneBackups(config.backupDir, config.backupKeep);
        log.log("info", "backup written", { dir: out, files: manifest.files.length, removed });
        return out;
      } catch (error) {
        log.log("error", "backup failed", { dir: out, error: String(error) });
        return null;
      } finally {
        this.current = null;
      }
    })();
    return this.current;
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.current;
  }
}

/** Removes the oldest complete backups (folders with a manifest) beyond `keep`; returns their names. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!fs.existsSync(dir)) return [];
  const complete = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(PREFIX) && fs.existsSync(path.join(dir, name, MANIFEST)))
    .sort();
  const removed = complete.slice(0, Math.max(0, complete.length - keep));
  for (const name of removed) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  return removed;
}
