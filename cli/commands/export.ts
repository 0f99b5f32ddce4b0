import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, todayOf } from "../../core/config.ts";
import type { Lang } from "../../core/lang.ts";
import { lastEndedQuarter } from "../../core/quarter.ts";
import { writeExport } from "../../exports/export.ts";
import { FORMAT_NAMES, type FormatName, isFormatName } from "../../exports/formats/index.ts";
import { type ExportSelection, parseSelection } from "../../exports/report.ts";
import { recomputeIfStale } from "../../indicators/compute.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { findRelease } from "../../indicators/release/figures.ts";
import { type CommandIO, UsageError } from "../command.ts";
import { openForCommand } from "../open.ts";

interface Options {
  selection: ExportSelection;
  format: FormatName;
  out: string | null;
  lang: Lang;
  unsuppressed: boolean;
  /** A release's figures instead of the latest. */
  release: number | null;
  json: boolean;
}

function parse(args: string[], io: CommandIO): Options {
  let values: ReturnType<typeof parseWith>["values"];
  try {
    ({ values } = parseWith(args));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = values.format ?? "";
  if (!isFormatName(format))
    throw new UsageError(
      `${format ? `Tuntematon muoto ${format}` : "Anna --format"}; muodot: ${FORMAT_NAMES.join(", ")}.`,
    );
  const lang = values.lang ?? "fi";
  if (lang !== "fi" && lang !== "sv" && lang !== "en") throw new UsageError("--lang on fi, sv tai en.");
  const config = loadConfig(io.env);
  const parsed = parseSelection(
    { level: values.level, year: values.year, from: values.from, to: values.to },
    lastEndedQuarter(todayOf(config)),
  );
  if (!parsed.ok) throw new UsageError(`--${parsed.error.parameter}: ${parsed.error.message}`);
  const release = values.release === undefined ? null : Number(values.release);
  if (release !== null && !(Number.isInteger(release) && release > 0))
    throw new UsageError("--release on julkaisun numero (1, 2, …).");
  if (release !== null && values.unsuppressed)
    throw new UsageError(
      "--release ja --unsuppressed eivät käy yhdessä: julkaisussa on vain suojatut luvut.",
    );
  return {
    selection: parsed.selection,
    format,
    out: values.out ?? null,
    lang,
    unsuppressed: values.unsuppressed,
    release,
    json: values.json,
  };
}

function parseWith(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      level: { type: "string" },
      year: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      lang: { type: "string" },
      unsuppressed: { type: "boolean", default: false },
      release: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
}

/**
 * `seuranta export`: the reporting export (all indicators for the chosen levels and the whole country,
 * for a year or a quarter range) in one of the formats, written to --out (default: the export's own
 * file name in the current folder). Values are suppressed unless --unsuppressed is given: whoever can
 * open the database file holds the raw counts anyway, and the file then says it is not for publication.
 */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const options = parse(args, io);
  const opened = await openForCommand(io);
  if (!opened) return 1;
  const { db, config } = opened;
  try {
    const catalogue = await loadCatalogue();
    // the file must match the current data and definitions: bring stale results up to date first
    const recomputed = await recomputeIfStale(db, config, { catalogue, trigger: "export" });
    if (recomputed)
      io.err(`(tulokset laskettiin ensin uudelleen: ${Math.round(recomputed.durationMs)} ms)\n`);
    const started = performance.now();
    const release = options.release === null ? undefined : await findRelease(db, options.release);
    if (release === null) {
      io.err(`Julkaisua ${options.release} ei ole (seuranta-palvelun /julkaisut luettelee julkaisut).\n`);
      return 1;
    }
    const file = await writeExport(db, {
      release,
      selection: options.selection,
      format: options.format,
      lang: options.lang,
      threshold: config.suppressionThreshold,
      unsuppressed: options.unsuppressed,
      catalogue,
    });
    const out = path.resolve(options.out ?? file.name);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, file.body);
    const ms = Math.round(performance.now() - started);
    if (options.unsuppressed)
      io.err("VAROITUS: pienten lukujen peittoa ei tehty – tiedosto ei ole julkaistavissa.\n");
    if (options.json)
      io.out(
        `${JSON.stringify(
          {
            file: out,
            name: file.name,
            format: options.format,
            rows: file.report.rows.length,
            bytes: file.body.length,
            ms,
            metadata: file.report.metadata,
          },
          null,
          2,
        )}\n`,
      );
    else io.out(`${out}: ${file.report.rows.length} arvoa, ${file.body.length} tavua (${ms} ms)\n`);
    return 0;
  } finally {
    await db.close();
  }
}
