import type { ComputeSummary } from "../../indicators/compute.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { type CommandIO, parseJsonOnly } from "../command.ts";
import { openForCommand } from "../open.ts";

/** The summary as `--json` prints it (snake_case like the other machine-readable reports). */
function summaryJson(s: ComputeSummary) {
  return {
    run_id: s.runId,
    indicators: s.indicators,
    combinations: s.combinations,
    periods: s.periods,
    rows: s.rows,
    by_status: s.byStatus,
    suppressed: { primary: s.suppressed.primary, secondary: s.suppressed.secondary },
    threshold: s.threshold,
    duration_ms: Math.round(s.durationMs),
  };
}

const n = (x: number) => x.toLocaleString("fi-FI");

/** The summary in Finnish for the terminal. */
function summaryText(s: ComputeSummary): string {
  const p = s.periods;
  const st = s.byStatus;
  return (
    `Laskettiin ${s.indicators} indikaattoria: ${n(s.combinations)} indikaattori × taso × jaksotyyppi -yhdistelmää, ${n(s.rows)} arvoa.\n` +
    `Jaksot: ${n(p.quarter ?? 0)} neljännestä, ${n(p.year ?? 0)} vuotta, ${n(p.rolling4q ?? 0)} neljän neljänneksen jaksoa.\n` +
    `Arvoja ${n(st.value)}, nollia ${n(st.zero)}, peitettyjä ${n(st.suppressed)} ` +
    `(pienet luvut ${n(s.suppressed.primary)}, toissijainen peitto ${n(s.suppressed.secondary)}), ` +
    `ei ilmoitettu ${n(st.missing)}, ei laskettavissa ${n(st.not_computable)}.\n` +
    `Peittoraja ${s.threshold}. Kesto ${n(Math.round(s.durationMs))} ms.\n`
  );
}

/** `seuranta compute`: recomputes every indicator and prints what was computed. */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const { json } = parseJsonOnly(args);
  const opened = await openForCommand(io);
  if (!opened) return 1;
  try {
    const summary = await recomputeAll(opened.db, opened.config, { trigger: "cli" });
    io.out(json ? `${JSON.stringify(summaryJson(summary), null, 2)}\n` : summaryText(summary));
    return 0;
  } finally {
    await opened.db.close();
  }
}
