import { createHash } from "node:crypto";
import type { Queryable } from "../core/db.ts";
import type { Lang, Localised } from "../core/lang.ts";
import { type Annotation, annotationQuarter, loadAnnotations } from "../indicators/annotations.ts";
import type { ReaderValue } from "../indicators/read.ts";
import type { Catalogue } from "../indicators/registry.ts";
import { latestReleaseId, type Release } from "../indicators/release/figures.ts";

/** What an unsuppressed export says first, in every language at once (it must not be missed). */
export const UNSUPPRESSED_NOTICE = "SUPPRESSION NOT APPLIED – EI TIETOSUOJAKÄSITTELYÄ – not for publication";

/** Municipalities of one dataset that did not report for one period. */
export interface NotReported {
  dataset: string;
  period: string;
  kunnat: string[];
}

/** What every export carries about itself (DESIGN.md issue 6: "Every export carries its metadata"). */
export interface ExportMetadata {
  /** A hash of every definition's id and version: the same catalogue gives the same string. */
  definitionsVersion: string;
  definitions: { id: string; version: string }[];
  /** When the last file was loaded (ISO 8601, UTC), or null when nothing has been loaded. */
  dataAsOf: string | null;
  /** The date of dataAsOf in Finland (YYYY-MM-DD), for file names; null when nothing was loaded. */
  dataAsOfDate: string | null;
  suppressionThreshold: number;
  /** False only for an admin's unsuppressed export. */
  suppressionApplied: boolean;
  notReported: NotReported[];
  /** Events and series breaks (indicators/annotations.json) within the exported quarters. */
  annotations: Annotation[];
  /** The release the figures are from (the latest unless one was asked for); null when unsuppressed or before the first. */
  release: number | null;
}

/**
 * The annotations an export carries: those whose quarter lies after the first exported quarter and
 * not after the last, and that concern an exported indicator, its dataset, every area or an exported area.
 */
function exportAnnotations(catalogue: Catalogue, rows: ReaderValue[]): Annotation[] {
  if (rows.length === 0) return [];
  let first = "9999Q4";
  let last = "0000Q1";
  const areas = new Set<string>();
  const indicators = new Set<string>();
  for (const v of rows) {
    if (v.firstQuarter < first) first = v.firstQuarter;
    if (v.lastQuarter > last) last = v.lastQuarter;
    areas.add(`${v.level}:${v.area}`);
    indicators.add(v.indicator);
  }
  const datasets = new Set(
    catalogue.entries.filter((e) => indicators.has(e.definition.id)).map((e) => e.definition.dataset),
  );
  return loadAnnotations().filter((a) => {
    const q = annotationQuarter(a);
    if (q <= first || q > last) return false;
    const s = a.scope;
    if ("all" in s) return true;
    if ("dataset" in s) return datasets.has(s.dataset);
    if ("indicator" in s) return indicators.has(s.indicator);
    return s.areas.some((area) => areas.has(area));
  });
}

/**
 * Reads the metadata of a report. "Data as of" is the last successful load, never the clock, so the
 * same data gives the same file. The municipalities that did not report come from the whole
 * country's values (every municipality is a member there), per dataset and period.
 */
export async function readMetadata(
  db: Queryable,
  input: {
    catalogue: Catalogue;
    rows: ReaderValue[];
    periods: string[];
    threshold: number;
    unsuppressed: boolean;
    /** A pinned release: its data as of, definitions' version and threshold, not today's. */
    release?: Release;
  },
): Promise<ExportMetadata> {
  const definitions = input.catalogue.entries.map((e) => ({ id: e.definition.id, version: e.version }));
  // the same hash as the API's meta.definitions_version (dashboard/api/meta.ts), so the two can be matched
  const definitionsVersion = createHash("sha256")
    .update(
      definitions
        .map((d) => `${d.id}:${d.version}`)
        .sort()
        .join("\n"),
    )
    .digest("hex")
    .slice(0, 16);
  const pinned = input.release;
  const last = pinned
    ? await db.one<{ utc: string | null; local: string | null }>(
        `SELECT ?::VARCHAR AS utc, strftime(?::TIMESTAMPTZ AT TIME ZONE 'Europe/Helsinki', '%Y-%m-%d') AS local`,
        [pinned.dataAsOf, pinned.dataAsOf],
      )
    : await db.one<{ utc: string | null; local: string | null }>(
        `SELECT strftime(max(received_at) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS utc,
                strftime(max(received_at) AT TIME ZONE 'Europe/Helsinki', '%Y-%m-%d') AS local
         FROM loads WHERE status = 'loaded'`,
      );
  const datasetOf = new Map(input.catalogue.entries.map((e) => [e.definition.id, e.definition.dataset]));
  const missing = new Map<string, Set<string>>();
  for (const v of input.rows) {
    if (v.level !== "koko_maa" || v.category !== null) continue;
    const key = `${datasetOf.get(v.indicator) ?? ""}|${v.period}`;
    const set = missing.get(key) ?? new Set<string>();
    for (const k of v.missingKunnat) set.add(k);
    missing.set(key, set);
  }
  const datasets = [...new Set(input.catalogue.entries.map((e) => e.definition.dataset))];
  const notReported = datasets.flatMap((dataset) =>
    input.periods.flatMap((period) => {
      const set = missing.get(`${dataset}|${period}`);
      return set ? [{ dataset, period, kunnat: [...set].sort() }] : [];
    }),
  );
  return {
    definitionsVersion: pinned?.definitionsVersion ?? definitionsVersion,
    definitions,
    dataAsOf: last?.utc ?? null,
    dataAsOfDate: last?.local ?? null,
    suppressionThreshold: pinned?.threshold ?? input.threshold,
    suppressionApplied: !input.unsuppressed,
    notReported,
    annotations: exportAnnotations(input.catalogue, input.rows),
    release: pinned?.id ?? (input.unsuppressed ? null : await latestReleaseId(db).catch(() => null)),
  };
}

const L = {
  title: {
    fi: "Seuranta: osatyökykyisten palvelujen seurantaindikaattorit",
    sv: "Seuranta: uppföljningsindikatorer för tjänster för partiellt arbetsföra",
    en: "Seuranta: follow-up indicators of services for people with partial work ability",
  },
  selection: { fi: "rajaus", sv: "urval", en: "selection" },
  dataAsOf: { fi: "aineisto ladattu viimeksi", sv: "data senast laddade", en: "data as of (last load)" },
  nothingLoaded: { fi: "ei ladattuja tiedostoja", sv: "inga laddade filer", en: "nothing loaded" },
  definitionsVersion: {
    fi: "määritelmien versio",
    sv: "definitionernas version",
    en: "definitions' version",
  },
  threshold: { fi: "tietosuojaraja", sv: "dataskyddsgräns", en: "suppression threshold" },
  thresholdText: {
    fi: "luvut 1–{t1} ja osuudet, joiden osoittaja tai nimittäjä on 1–{t1}, on peitetty (..), samoin luvut, joista peitetyn voisi laskea",
    sv: "tal 1–{t1} och andelar vars täljare eller nämnare är 1–{t1} har dolts (..), liksom tal ur vilka ett dolt tal kunde räknas ut",
    en: "counts 1–{t1}, and rates whose numerator or denominator is 1–{t1}, are hidden (..), as are figures from which a hidden one could be worked out",
  },
  suppression: { fi: "tietosuojakäsittely", sv: "dataskyddsbehandling", en: "suppression" },
  applied: { fi: "tehty", sv: "tillämpad", en: "applied" },
  symbols: { fi: "merkinnät", sv: "tecken", en: "symbols" },
  symbolsText: {
    fi: ".. = peitetty (pieni luku), . = ei ilmoitettu, – = ei laskettavissa (0/0), 0 = nolla",
    sv: ".. = dolt (litet tal), . = inte rapporterat, – = kan inte beräknas (0/0), 0 = noll",
    en: ".. = hidden (small number), . = not reported, – = cannot be computed (0/0), 0 = zero",
  },
  notReported: { fi: "ei ilmoittaneet", sv: "har inte rapporterat", en: "not reported" },
  allReported: {
    fi: "kaikki kunnat ilmoittivat",
    sv: "alla kommuner rapporterade",
    en: "every municipality reported",
  },
  annotation: { fi: "merkintä", sv: "markering", en: "mark" },
  source: { fi: "lähde", sv: "källa", en: "source" },
  release: { fi: "julkaisu", sv: "publicering", en: "release" },
  sourceText: {
    fi: "kuntien ilmoittamat neljännesvuositiedot; väestö: Tilastokeskus; THL, Sotkanet (CC BY 4.0)",
    sv: "kvartalsuppgifter från kommunerna; befolkning: Statistikcentralen; THL, Sotkanet (CC BY 4.0)",
    en: "quarterly figures reported by the municipalities; population: Statistics Finland; THL, Sotkanet (CC BY 4.0)",
  },
} as const satisfies Record<string, Localised>;

/** The title of every export, in a language. */
export function exportTitle(lang: Lang): string {
  return L.title[lang];
}

/**
 * The metadata as label–value pairs for people (the first lines of the Excel CSV, the notes sheet);
 * an unsuppressed export starts with the notice.
 */
export function metadataLines(
  meta: ExportMetadata,
  lang: Lang,
  context: { selection: string; kuntaName: (code: string) => string },
): [string, string][] {
  const t1 = String(meta.suppressionThreshold - 1);
  const lines: [string, string][] = [];
  if (!meta.suppressionApplied) lines.push([UNSUPPRESSED_NOTICE, ""]);
  lines.push(
    [L.title[lang], ""],
    [L.selection[lang], context.selection],
    [L.dataAsOf[lang], meta.dataAsOf ?? L.nothingLoaded[lang]],
    [L.definitionsVersion[lang], meta.definitionsVersion],
    ...(meta.release === null ? [] : ([[L.release[lang], String(meta.release)]] as [string, string][])),
    [L.threshold[lang], `${meta.suppressionThreshold}: ${L.thresholdText[lang].replaceAll("{t1}", t1)}`],
    [L.suppression[lang], meta.suppressionApplied ? L.applied[lang] : UNSUPPRESSED_NOTICE],
    [L.symbols[lang], L.symbolsText[lang]],
  );
  for (const n of meta.notReported)
    lines.push([
      `${L.notReported[lang]}: ${n.dataset} ${n.period}`,
      n.kunnat.length === 0
        ? L.allReported[lang]
        : `${n.kunnat.length}: ${n.kunnat.map((k) => `${context.kuntaName(k)} (${k})`).join(", ")}`,
    ]);
  for (const a of meta.annotations)
    lines.push([`${L.annotation[lang]}: ${annotationQuarter(a)}, ${a.label[lang]}`, a.text[lang]]);
  lines.push([L.source[lang], L.sourceText[lang]]);
  return lines;
}

/**
 * The metadata as flat string pairs for machines (Arrow schema and Parquet key-value metadata): each
 * field under a `seuranta.` key, lists as JSON.
 */
export function metadataPairs(meta: ExportMetadata, selection: string): [string, string][] {
  return [
    ["seuranta.selection", selection],
    ["seuranta.data_as_of", meta.dataAsOf ?? ""],
    ["seuranta.definitions_version", meta.definitionsVersion],
    ["seuranta.release", meta.release === null ? "" : String(meta.release)],
    ["seuranta.definitions", JSON.stringify(meta.definitions)],
    ["seuranta.suppression_threshold", String(meta.suppressionThreshold)],
    ["seuranta.suppression_applied", String(meta.suppressionApplied)],
    ["seuranta.not_reported", JSON.stringify(meta.notReported)],
    [
      "seuranta.annotations",
      JSON.stringify(
        meta.annotations.map((a) => ({ id: a.id, quarter: annotationQuarter(a), text: a.text })),
      ),
    ],
    ...(meta.suppressionApplied ? [] : ([["seuranta.notice", UNSUPPRESSED_NOTICE]] as [string, string][])),
  ];
}
