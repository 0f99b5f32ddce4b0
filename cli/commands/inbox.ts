import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { jsonLogger } from "../../core/log.ts";
import { InboxWatch } from "../../pipelines/files.ts";
import { processInbox } from "../../pipelines/inbox.ts";
import { renderReportText } from "../../pipelines/report.ts";
import type { CommandIO } from "../command.ts";
import { openForCommand } from "../open.ts";
import { recomputeAfterLoads } from "../recompute.ts";

/** `seuranta inbox`: one scan of the inbox, as the server's schedule does it (for use without the server). */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
  const opened = await openForCommand(io);
  if (!opened) return 1;
  try {
    const ctx = { ...opened, log: jsonLogger() };
    const watch = new InboxWatch(opened.config.inboxSettleS * 1000);
    const first = await processInbox(ctx, "cli", { watch });
    const reports = [...first.reports];
    let waiting = first.waiting;
    if (waiting.length > 0) {
      // one run has no earlier look to compare with, so it looks again after the settle time
      io.err(
        `Odotetaan ${opened.config.inboxSettleS} s, että juuri muuttunut tiedosto on kokonaan tallennettu: ` +
          `${waiting.join(", ")}\n`,
      );
      await sleep(watch.settleMs);
      const second = await processInbox(ctx, "cli", { watch });
      reports.push(...second.reports);
      waiting = second.waiting;
    }
    if (waiting.length > 0)
      io.err(
        `Nämä tiedostot muuttuvat yhä, joten ne jäivät saapuneet-kansioon seuraavaa kertaa varten: ` +
          `${waiting.join(", ")}\n`,
      );
    await recomputeAfterLoads(io, opened.db, opened.config, reports, "inbox");
    const report = { files: reports };
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReportText(report));
    return reports.some((r) => r.status === "rejected") ? 2 : 0;
  } finally {
    await opened.db.close();
  }
}
