import { parseArgs } from "node:util";
import { hasNonDemoLoads, loadDemo } from "../../pipelines/demo/load.ts";
import { type FileReport, renderReportText } from "../../pipelines/report.ts";
import type { CommandIO } from "../command.ts";
import { openForCommand } from "../open.ts";
import { recomputeAfterLoads } from "../recompute.ts";

const STATUS: Record<FileReport["status"], string> = {
  loaded: "ladattu",
  unchanged: "ei muutoksia",
  valid: "kelpaa",
  rejected: "HYLÄTTY",
};

const thousands = (n: number) => n.toLocaleString("fi-FI").replaceAll("\u00a0", " ");

/** The Finnish summary: one line per file, totals, and the full report of any rejected file. */
function summary(result: Awaited<ReturnType<typeof loadDemo>>): string {
  const { outDir, files, reports } = result;
  const quarters = files.map((f) => f.quarter).sort();
  const out = [
    `Esimerkkiaineisto: ${files.length} tiedostoa kansiossa ${outDir}`,
    `(vuosineljännekset ${quarters[0]}–${quarters[quarters.length - 1]}, kaikki kunnat; osa kunnista jättää`,
    "tietoja toimittamatta, kuten oikeassakin raportoinnissa).",
    "",
  ];
  const width = Math.max(...files.map((f) => f.fileName.length));
  files.forEach((file, i) => {
    const r = reports[i] as FileReport;
    const warnings =
      r.warnings.length > 0 ? `, ${r.warnings.length} varoitus${r.warnings.length > 1 ? "ta" : ""}` : "";
    out.push(
      `  ${file.fileName.padEnd(width)}  ${STATUS[r.status].padEnd(12)} ${String(file.rows).padStart(5)} ${file.rows === 1 ? "rivi " : "riviä"}  ${file.format.label}${warnings}`,
    );
  });
  const count = (s: FileReport["status"]) => reports.filter((r) => r.status === s).length;
  out.push("");
  out.push(
    `Ladattu ${count("loaded")}, ei muutoksia ${count("unchanged")}, hylätty ${count("rejected")}; ` +
      `rivejä yhteensä ${thousands(files.reduce((s, f) => s + f.rows, 0))}.`,
  );
  const rejected = reports.filter((r) => r.status === "rejected");
  if (rejected.length > 0) out.push("", renderReportText({ files: rejected }).trimEnd());
  return `${out.join("\n")}\n`;
}

/** `seuranta demo`: generates the demo data into data/demo/ and loads it through the ingest pipeline. */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      out: { type: "string" },
      force: { type: "boolean", default: false },
    },
  });
  const opened = await openForCommand(io);
  if (!opened) return 1;
  const { db, config } = opened;
  try {
    if (!values.force && (await hasNonDemoLoads(db))) {
      io.err(
        `Tietokannassa ${config.dbPath} on jo kuntien lähettämiä tietoja. Esimerkkiaineisto korvaisi ne ` +
          "samoilta kunnilta ja vuosineljänneksiltä, joten sitä ei ladattu.\n" +
          "Käytä esimerkille omaa tietokantaa (SEURANTA_DB=polku seuranta demo) tai lisää --force, " +
          "jos haluat todella korvata tiedot.\n",
      );
      return 1;
    }
    const result = await loadDemo({ db, config }, values.out ? { outDir: values.out } : {});
    await recomputeAfterLoads(io, db, config, result.reports, "demo");
    io.out(values.json ? `${JSON.stringify({ files: result.reports }, null, 2)}\n` : summary(result));
    return result.reports.some((r) => r.status === "rejected") ? 2 : 0;
  } finally {
    await db.close();
  }
}
