import { parseArgs } from "node:util";
import type { Lang } from "../../core/lang.ts";
import { recomputeIfStale } from "../../indicators/compute.ts";
import { formatPublished, UNIT_TEXT } from "../../indicators/format.ts";
import { KOKO_MAA, LEVEL_NAMES, type LevelName } from "../../indicators/levels.ts";
import { PERIOD_TYPES, type PeriodType, parsePeriod } from "../../indicators/periods.ts";
import { type ReaderValue, type ReadResult, readValues } from "../../indicators/read.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { reasonText } from "../../indicators/suppress/status.ts";
import { type CommandIO, UsageError } from "../command.ts";
import { openForCommand } from "../open.ts";

const fi = {
  area: "Alue",
  period: "Jakso",
  value: "Arvo",
  num: "Osoittaja",
  den: "Nimittäjä",
  reported: "Ilmoittaneet",
  note: "Huomautus",
  total: "Yhteensä",
  population: "väestö 31.12.{year}",
  missing: "ei ilmoittanut: {list}",
  none: "Ei arvoja näillä ehdoilla.",
  stale: "Tuloksia ei ole laskettu tälle määritelmälle: aja seuranta compute.",
  source: "Lähde",
  symbols: ".. = peitetty tietosuojan vuoksi, . = ei ilmoitettu, – = ei laskettavissa (0/0)",
};

/** Labels of the text output. */
const HEADERS: Record<Lang, typeof fi> = {
  fi,
  sv: {
    area: "Område",
    period: "Period",
    value: "Värde",
    num: "Täljare",
    den: "Nämnare",
    reported: "Rapporterat",
    note: "Anmärkning",
    total: "Totalt",
    population: "befolkning 31.12.{year}",
    missing: "har inte rapporterat: {list}",
    none: "Inga värden med dessa villkor.",
    stale: "Resultaten har inte beräknats för denna definition: kör seuranta compute.",
    source: "Källa",
    symbols: ".. = dolt (litet tal), . = inte rapporterat, – = kan inte beräknas (0/0)",
  },
  en: {
    area: "Area",
    period: "Period",
    value: "Value",
    num: "Numerator",
    den: "Denominator",
    reported: "Reported",
    note: "Note",
    total: "Total",
    population: "population 31 Dec {year}",
    missing: "not reported: {list}",
    none: "No values for these conditions.",
    stale: "No results for this definition yet: run seuranta compute.",
    source: "Source",
    symbols: ".. = hidden to protect privacy, . = not reported, – = cannot be computed (0/0)",
  },
};

interface Options {
  id: string;
  level?: LevelName;
  area?: string;
  period?: string;
  periodType?: PeriodType;
  category?: string;
  lang: Lang;
  json: boolean;
}

function parse(args: string[]): Options {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError("Anna yksi indikaattorin tunnus, esim. kt-tyohon.");
  const lang = (values.lang ?? "fi") as Lang;
  if (!["fi", "sv", "en"].includes(lang)) throw new UsageError("--lang on fi, sv tai en.");
  const options: Options = { id: positionals[0] ?? "", lang, json: Boolean(values.json) };
  if (values.level !== undefined) {
    if (!LEVEL_NAMES.includes(values.level as LevelName))
      throw new UsageError(`Tuntematon taso ${values.level}; tasot: ${LEVEL_NAMES.join(", ")}.`);
    options.level = values.level as LevelName;
  }
  if (values.area !== undefined) {
    options.area = values.area.trim().toUpperCase() === KOKO_MAA ? KOKO_MAA : values.area.trim();
    // A 3-digit code is a municipality; other levels' codes overlap, so they need --level.
    if (!options.level) {
      if (/^\d{3}$/.test(options.area)) options.level = "kunta";
      else if (options.area === KOKO_MAA) options.level = "koko_maa";
      else throw new UsageError(`Anna --level alueelle ${options.area} (esim. --level hyvinvointialue).`);
    }
  }
  if (!options.level && !options.area) options.level = "koko_maa";
  if (values.period !== undefined) {
    if ((PERIOD_TYPES as readonly string[]).includes(values.period))
      options.periodType = values.period as PeriodType;
    else {
      const period = parsePeriod(values.period);
      if (!period)
        throw new UsageError(
          `Tuntematon jakso ${values.period}; esim. 2024Q1, 2024, 2023Q2-2024Q1 tai ${PERIOD_TYPES.join(", ")}.`,
        );
      options.period = period.label;
    }
  }
  if (values.category !== undefined) options.category = values.category === "total" ? "" : values.category;
  return options;
}

function parseWith(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      level: { type: "string" },
      area: { type: "string" },
      period: { type: "string" },
      category: { type: "string" },
      lang: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
}

function notes(v: ReaderValue, lang: Lang, threshold: number): string {
  const h = HEADERS[lang];
  const out: string[] = [];
  if (v.reason) out.push(reasonText(v.reason, lang, threshold));
  if (v.populationYear !== null && v.populationYear !== Number(v.lastQuarter.slice(0, 4)))
    out.push(h.population.replace("{year}", String(v.populationYear)));
  if (v.level !== "kunta" && v.missingKunnat.length > 0 && v.reported > 0) {
    const shown = v.missingKunnat.slice(0, 8).join(", ");
    const more = v.missingKunnat.length > 8 ? ` (+${v.missingKunnat.length - 8})` : "";
    out.push(h.missing.replace("{list}", shown + more));
  }
  return out.join(" · ");
}

/** The values as a text table, in the reader's language. */
function renderText(result: ReadResult, lang: Lang, threshold: number): string {
  const def = result.definition;
  const h = HEADERS[lang];
  const lines = [`${def.id} — ${def.title[lang]}`, `${h.source}: ${def.source[lang]}`, ""];
  if (result.values.length === 0) return `${lines.join("\n")}${result.stale ? h.stale : h.none}\n`;
  const unit = UNIT_TEXT[def.unit][lang];
  const head = [
    h.area,
    h.period,
    ...(def.breakdown ? [def.breakdown.title[lang]] : []),
    `${h.value} (${unit})`,
    h.num,
    h.den,
    h.reported,
    h.note,
  ];
  const fmt = (x: number | null) =>
    x === null ? "" : x.toLocaleString(lang === "en" ? "en-GB" : `${lang}-FI`);
  const rows = result.values.map((v) => [
    `${v.areaName[lang]} (${v.area})`,
    v.period,
    ...(def.breakdown ? [v.categoryLabel?.[lang] ?? h.total] : []),
    formatPublished(v, def.decimals, lang),
    fmt(v.numerator),
    fmt(v.denominator),
    `${v.reported}/${v.members}`,
    notes(v, lang, threshold),
  ]);
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = new Set([head.length - 5, head.length - 4, head.length - 3]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return `${[...lines, line(head), ...rows.map(line), "", h.symbols].join("\n")}\n`;
}

/** The values as `--json` prints them: null where a value is hidden, with the reason. */
function renderJson(result: ReadResult, lang: Lang, threshold: number) {
  const def = result.definition;
  return {
    indicator: {
      id: def.id,
      title: def.title,
      unit: def.unit,
      decimals: def.decimals,
      source: def.source,
    },
    stale: result.stale,
    values: result.values.map((v) => ({
      category: v.category,
      level: v.level,
      area: v.area,
      area_name: v.areaName[lang],
      period_type: v.periodType,
      period: v.period,
      value: v.value,
      numerator: v.numerator,
      denominator: v.denominator,
      status: v.status,
      symbol: v.symbol,
      reason: v.reason,
      reason_text: v.reason ? reasonText(v.reason, lang, threshold) : null,
      population_year: v.populationYear,
      reported: v.reported,
      members: v.members,
      missing_kunnat: v.missingKunnat,
    })),
  };
}

/** `seuranta show`: an indicator's values as the dashboard's reader gets them (suppressed). */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const options = parse(args);
  const catalogue = await loadCatalogue();
  if (!catalogue.byId(options.id))
    throw new UsageError(
      `Tuntematon indikaattori ${options.id}; tunnetut: ${catalogue.entries.map((e) => e.definition.id).join(", ")}.`,
    );
  const def = catalogue.byId(options.id)?.definition;
  if (def && options.level && !def.levels.includes(options.level))
    throw new UsageError(
      `Indikaattorilla ${def.id} ei ole tasoa ${options.level}; tasot: ${def.levels.join(", ")}.`,
    );
  const opened = await openForCommand(io);
  if (!opened) return 1;
  const { db, config } = opened;
  try {
    // Figures must match the current data and definitions: bring stale results up to date first.
    const recomputed = await recomputeIfStale(db, config, { catalogue, trigger: "show" });
    if (recomputed)
      io.err(`(tulokset laskettiin ensin uudelleen: ${Math.round(recomputed.durationMs)} ms)\n`);
    const result = await readValues(
      db,
      {
        indicator: options.id,
        level: options.level,
        area: options.area,
        period: options.period,
        periodType: options.periodType,
        category: options.category,
      },
      { catalogue },
    );
    const threshold = config.suppressionThreshold;
    io.out(
      options.json
        ? `${JSON.stringify(renderJson(result, options.lang, threshold), null, 2)}\n`
        : renderText(result, options.lang, threshold),
    );
    return 0;
  } finally {
    await db.close();
  }
}
