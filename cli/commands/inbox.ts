import { parseArgs } from "node:util";
import { jsonLogger } from "../../core/log.ts";
import { processInbox } from "../../pipelines/inbox.ts";
import { renderReportText } from "../../pipelines/report.ts";
import type { Command } from "../command.ts";
import { openForCommand } from "../open.ts";
import { recomputeAfterLoads } from "../recompute.ts";

/** `seuranta inbox`: one scan of the inbox, as the server's schedule does it (for use without the server). */
export const inboxCommand: Command = {
  name: "inbox",
  summary: "käsittelee saapuneet-kansion tiedostot kerran (kun palvelin ei ole käynnissä)",
  usage: "inbox [--json]",
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
    const opened = await openForCommand(io);
    if (!opened) return 1;
    try {
      const run = await processInbox({ ...opened, log: jsonLogger() }, "cli", { settleMs: 0 });
      await recomputeAfterLoads(io, opened.db, opened.config, run.reports, "inbox");
      const report = { files: run.reports };
      io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReportText(report));
      return run.reports.some((r) => r.status === "rejected") ? 2 : 0;
    } finally {
      await opened.db.close();
    }
  },
};
