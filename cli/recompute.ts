import type { Config } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { recomputeIfStale } from "../indicators/compute.ts";
import type { FileReport } from "../pipelines/report.ts";
import type { CommandIO } from "./command.ts";

/**
 * After a command that loaded data: recomputes the indicators (when anything changed) and says so on
 * stderr, so that stdout keeps only the report (`--json` stays one JSON document).
 */
export async function recomputeAfterLoads(
  io: CommandIO,
  db: Database,
  config: Config,
  reports: readonly FileReport[],
  trigger: string,
): Promise<void> {
  if (!reports.some((r) => r.status === "loaded")) return;
  const summary = await recomputeIfStale(db, config, { trigger });
  if (summary) {
    io.err(
      `Indikaattorit laskettu uudelleen: ${summary.rows.toLocaleString("fi-FI")} arvoa, ` +
        `${(summary.durationMs / 1000).toLocaleString("fi-FI", { maximumFractionDigits: 1 })} s.\n`,
    );
  }
}
