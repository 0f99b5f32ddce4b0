import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { collectFiles } from "../../pipelines/files.ts";
import { ingestBytes } from "../../pipelines/ingest.ts";
import { type FileReport, renderReportText } from "../../pipelines/report.ts";
import { preparePipelines } from "../../pipelines/tables.ts";
import { type CommandIO, type CommandRun, UsageError } from "../command.ts";
import { openForCommand } from "../open.ts";

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, sender: { type: "string" } },
  });
  if (positionals.length === 0) throw new UsageError("Anna vähintään yksi tiedosto tai kansio.");
  return { json: Boolean(values.json), sender: values.sender ?? os.userInfo().username, paths: positionals };
}

function print(io: CommandIO, reports: FileReport[], json: boolean) {
  const report = { files: reports };
  io.out(json ? `${JSON.stringify(report, null, 2)}\n` : renderReportText(report));
}

const exitCode = (reports: FileReport[]) => (reports.some((r) => r.status === "rejected") ? 2 : 0);

async function run(io: CommandIO, args: string[], dryRun: boolean): Promise<number> {
  const options = parse(args);
  const { files, missing } = collectFiles(options.paths);
  if (missing.length > 0) throw new UsageError(`Tiedostoa tai kansiota ei löydy: ${missing.join(", ")}`);
  if (files.length === 0) throw new UsageError("Annetuista kansioista ei löytynyt CSV-tiedostoja.");
  // A dry run needs only the reference data, so it works on a private in-memory database even while
  // the server holds the real one.
  let opened: Awaited<ReturnType<typeof openForCommand>>;
  if (dryRun) {
    const config = loadConfig(io.env);
    const db = await Database.open(":memory:");
    await preparePipelines(db, config.referenceDir);
    opened = { db, config };
  } else {
    opened = await openForCommand(io);
  }
  if (!opened) return 1;
  const { db, config } = opened;
  const reports: FileReport[] = [];
  try {
    for (const file of files) {
      reports.push(
        await ingestBytes(
          { db, config },
          {
            fileName: path.basename(file),
            bytes: fs.readFileSync(file),
            sender: options.sender,
            source: "cli",
            dryRun,
          },
        ),
      );
    }
    if (!dryRun) {
      // imported here: a dry run needs none of the indicator code
      const { recomputeAfterLoads } = await import("../recompute.ts");
      await recomputeAfterLoads(io, db, config, reports, "cli");
    }
  } finally {
    await db.close();
  }
  print(io, reports, options.json);
  return exitCode(reports);
}

/** `seuranta validate`: the checks of ingest on a private in-memory database; nothing is loaded. */
export const validateRun: CommandRun = (args, io) => run(io, args, true);

/** `seuranta ingest`: validates and loads, then recomputes what the loads made stale. */
export const ingestRun: CommandRun = (args, io) => run(io, args, false);
