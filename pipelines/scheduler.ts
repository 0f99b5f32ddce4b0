import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../core/log.ts";
import { InboxWatch } from "./files.ts";
import { type InboxRun, processInbox } from "./inbox.ts";
import type { IngestContext } from "./ingest.ts";

export interface SchedulerOptions {
  /** node-cron expression; default every 5 minutes (SEURANTA_INBOX_CRON). */
  schedule: string;
  /** Called after a run that loaded at least one file (e.g. to recompute indicators). */
  afterLoad?: (run: InboxRun) => Promise<void>;
}

/**
 * Scans the inbox on a schedule inside the server process (the one process that owns the database).
 * Runs never overlap: a tick that comes while a run is going is skipped, logged and recorded. One
 * InboxWatch lives across runs, so a file is taken only once it has stayed the same for
 * SEURANTA_INBOX_SETTLE_S.
 */
export class InboxScheduler {
  private task: ScheduledTask | null = null;
  private current: Promise<InboxRun | null> | null = null;
  private readonly watch: InboxWatch;

  constructor(
    private readonly ctx: IngestContext & { log: Logger },
    private readonly options: SchedulerOptions,
  ) {
    if (!cron.validate(options.schedule)) {
      throw new Error(`SEURANTA_INBOX_CRON is not a valid cron expression: ${options.schedule}`);
    }
    this.watch = new InboxWatch(ctx.config.inboxSettleS * 1000);
  }

  /** Starts the schedule (and one run at once, so files waiting from before are not left for 5 minutes). */
  start(runNow = true): void {
    this.task = cron.schedule(this.options.schedule, () => void this.tick("schedule"));
    if (runNow) void this.tick("start");
  }

  /** Runs now unless a run is going; returns the run, or null when skipped. */
  async tick(trigger: string): Promise<InboxRun | null> {
    if (this.current) {
      this.ctx.log.log("warn", "inbox run skipped: the previous run is still going", { trigger });
      await this.ctx.db
        .withTransaction((tx) =>
          tx.run(
            `INSERT INTO runs (trigger, started_at, finished_at, status, message)
             VALUES (?, now(), now(), 'skipped', 'previous run still going')`,
            [trigger],
          ),
        )
        .catch(() => undefined);
      return null;
    }
    this.current = this.runOnce(trigger);
    try {
      return await this.current;
    } finally {
      this.current = null;
    }
  }

  private async runOnce(trigger: string): Promise<InboxRun | null> {
    try {
      const run = await processInbox(this.ctx, trigger, { watch: this.watch });
      if (this.options.afterLoad && run.reports.some((r) => r.status === "loaded"))
        await this.options.afterLoad(run);
      return run;
    } catch (error) {
      this.ctx.log.log("error", "inbox run failed", { trigger, error: (error as Error).message });
      return null;
    }
  }

  /** Stops the schedule and waits for a run that is going to finish. */
  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    this.task = null;
    await this.current;
  }
}
