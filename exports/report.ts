import type { Queryable } from "../core/db.ts";
import type { Localised } from "../core/lang.ts";
import { FIRST_QUARTER, type Quarter, quarterIndex, quarterLabel, quarterOfIndex } from "../core/quarter.ts";
import type { IpsUnit } from "../indicators/ips/reviews.ts";
import { LEVEL_NAMES, type LevelName } from "../indicators/levels.ts";
import { type ReaderValue, type ReleasePin, readValues } from "../indicators/read.ts";
import { type Catalogue, type CatalogueEntry, loadCatalogue } from "../indicators/registry.ts";
import { catalogueAt } from "../indicators/release/definitions.ts";
import type { Release } from "../indicators/release/figures.ts";
import { collectIps } from "./ips.ts";
import { type ExportMetadata, readMetadata } from "./metadata.ts";

/** The levels a report can list besides the whole country, which every report holds. */
export const EXPORT_LEVELS = LEVEL_NAMES.filter((l) => l !== "koko_maa");

/** What a report covers: areas of some levels (and the whole country) over a year or a quarter range. */
export interface ExportSelection {
  /** The levels asked for, largest areas first; the whole country is always added. */
  levels: LevelName[];
  /** A calendar year, or an inclusive range of quarters (`2024Q1`…`2024Q4`). */
  period: { kind: "year"; year: number } | { kind: "quarters"; from: string; to: string };
}

/** A report: every indicator's values for the selection, as readValues gave them, with the metadata. */
export interface Report {
  selection: ExportSelection;
  definitions: CatalogueEntry[];
  rows: ReaderValue[];
  /** The IPS fidelity reviews in the selection's quarters (exports/ips.ts). */
  ips: IpsUnit[];
  metadata: ExportMetadata;
  /** Names of the municipalities (for the not-reported lists). */
  kuntaNames: Map<string, Localised>;
}

/** A refusal of a selection, in Finnish for people and English for logs, naming the parameter. */
export interface SelectionError {
  parameter: string;
  message: string;
  message_en: string;
}

/** The selection as written by a user (CLI options or query parameters), all text. */
export interface SelectionInput {
  level?: string;
  year?: string;
  from?: string;
  to?: string;
}

function parseQuarter(text: string): number | null {
  const m = /^(\d{4})Q([1-4])$/i.exec(text.trim());
  return m ? quarterIndex({ year: Number(m[1]), quarter: Number(m[2]) }) : null;
}

/**
 * Checks a selection against what can exist: known levels (comma-separated, e.g.
 * `hyvinvointialue,kunta`), a year whose four quarters have ended, or quarters from 2000Q1 to the
 * last ended quarter with from ≤ to. Either a year or both ends of a range, never both.
 */
export function parseSelection(
  input: SelectionInput,
  lastEnded: Quarter,
): { ok: true; selection: ExportSelection } | { ok: false; error: SelectionError } {
  const fail = (parameter: string, message: string, message_en: string) =>
    ({ ok: false, error: { parameter, message, message_en } }) as const;
  const names = (input.level ?? "hyvinvointialue")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const known = [...EXPORT_LEVELS, "koko_maa"] as string[];
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0 || unknown.length > 0)
    return fail(
      "level",
      `Tuntematon taso ${unknown.join(", ") || "(tyhjä)"}; tasot: ${known.join(", ")} (useampi pilkulla erotettuna).`,
      `Unknown level ${unknown.join(", ") || "(empty)"}; levels: ${known.join(", ")} (several separated by commas).`,
    );
  // from the largest areas down, as the report lists them
  const levels = LEVEL_NAMES.filter((l) => l !== "koko_maa" && names.includes(l)).reverse();
  const lastQi = quarterIndex(lastEnded);
  const lastYear = Math.floor((lastQi + 1) / 4) - 1;
  const hasRange = input.from !== undefined || input.to !== undefined;
  if (input.year !== undefined && hasRange)
    return fail(
      "year",
      "Anna joko vuosi tai neljännesväli, ei molempia.",
      "Give a year or a quarter range, not both.",
    );
  if (input.year !== undefined) {
    const year = /^\d{4}$/.test(input.year.trim()) ? Number(input.year) : Number.NaN;
    if (!(year >= FIRST_QUARTER.year && year <= lastYear))
      return fail(
        "year",
        `Vuosi ${input.year} ei kelpaa: anna vuosi ${FIRST_QUARTER.year}–${lastYear} (vuoden kaikkien neljännesten on päätyttävä).`,
        `Year ${input.year} is not valid: give a year from ${FIRST_QUARTER.year} to ${lastYear} (all its quarters must have ended).`,
      );
    return { ok: true, selection: { levels, period: { kind: "year", year } } };
  }
  if (!hasRange)
    return fail(
      "year",
      "Anna vuosi (esim. 2024) tai neljännesväli (esim. 2024Q1–2024Q4).",
      "Give a year (e.g. 2024) or a quarter range (e.g. 2024Q1 to 2024Q4).",
    );
  const bounds: number[] = [];
  for (const key of ["from", "to"] as const) {
    const text = input[key] ?? "";
    const qi = parseQuarter(text);
    if (qi === null || qi < quarterIndex(FIRST_QUARTER) || qi > lastQi)
      return fail(
        key,
        `Neljännes ${text || "(puuttuu)"} ei kelpaa: anna muodossa 2024Q1, väliltä ${quarterLabel(FIRST_QUARTER)}–${quarterLabel(lastEnded)}.`,
        `Quarter ${text || "(missing)"} is not valid: write it as 2024Q1, from ${quarterLabel(FIRST_QUARTER)} to ${quarterLabel(lastEnded)}.`,
      );
    bounds.push(qi);
  }
  const [from = 0, to = 0] = bounds;
  if (from > to)
    return fail(
      "from",
      "Alkuneljännes on loppuneljänneksen jälkeen.",
      "The first quarter is after the last one.",
    );
  return {
    ok: true,
    selection: {
      levels,
      period: {
        kind: "quarters",
        from: quarterLabel(quarterOfIndex(from)),
        to: quarterLabel(quarterOfIndex(to)),
      },
    },
  };
}

/** The period labels a selection covers (`2024`, or each quarter of the range). */
export function periodsOf(selection: ExportSelection): string[] {
  const p = selection.period;
  if (p.kind === "year") return [String(p.year)];
  const from = parseQuarter(p.from) ?? 0;
  const to = parseQuarter(p.to) ?? 0;
  const out: string[] = [];
  for (let qi = from; qi <= to; qi++) out.push(quarterLabel(quarterOfIndex(qi)));
  return out;
}

/** The selection's period as one label: `2024` or `2024Q1-2024Q4` (`2024Q1` for one quarter). */
export function periodLabel(selection: ExportSelection): string {
  const p = selection.period;
  if (p.kind === "year") return String(p.year);
  return p.from === p.to ? p.from : `${p.from}-${p.to}`;
}

// Reading period by period is cheap for a year or a few quarters; a long range reads each indicator's
// quarters once and keeps those asked for.
const PERIOD_QUERIES_UP_TO = 12;

/**
 * Collects a report: every indicator of the catalogue, at the chosen levels and the whole country,
 * for every period of the selection, read with readValues (so publish() has suppressed every value
 * unless `unsuppressed` is asked for, which only admins may do). Rows are in catalogue order, then
 * from the whole country down to municipalities, then by area code, period and breakdown cell.
 */
export async function collectReport(
  db: Queryable,
  selection: ExportSelection,
  options: {
    threshold: number;
    unsuppressed?: boolean;
    catalogue?: Catalogue;
    /** A release's figures instead of the latest (published figures only: not with unsuppressed). */
    release?: { pin: ReleasePin; release: Release };
  },
): Promise<Report> {
  const current = options.catalogue ?? (await loadCatalogue());
  // a pinned report carries the definitions the release was made with
  const catalogue = options.release ? await catalogueAt(db, options.release.release, current) : current;
  const periods = periodsOf(selection);
  const wanted = new Set(periods);
  const levels = new Set<LevelName>([...selection.levels, "koko_maa"]);
  const read = { catalogue, unsuppressed: options.unsuppressed === true, release: options.release?.pin };
  const rows: ReaderValue[] = [];
  for (const entry of catalogue.entries) {
    const indicator = entry.definition.id;
    const perIndicator: ReaderValue[] = [];
    if (periods.length <= PERIOD_QUERIES_UP_TO) {
      for (const period of periods)
        perIndicator.push(...(await readValues(db, { indicator, period }, read)).values);
    } else {
      const periodType = selection.period.kind === "year" ? "year" : "quarter";
      perIndicator.push(...(await readValues(db, { indicator, periodType }, read)).values);
    }
    const levelOrder = (l: LevelName) => -LEVEL_NAMES.indexOf(l);
    const cells = ["", ...Object.keys(entry.definition.breakdown?.labels ?? {})];
    rows.push(
      ...perIndicator
        .filter((v) => levels.has(v.level) && wanted.has(v.period))
        .sort(
          (a, b) =>
            levelOrder(a.level) - levelOrder(b.level) ||
            compareCodes(a.area, b.area) ||
            a.lastQuarter.localeCompare(b.lastQuarter) ||
            cells.indexOf(a.category ?? "") - cells.indexOf(b.category ?? ""),
        ),
    );
  }
  const kuntaNames = new Map(
    (
      await db.all<{ kunta: string; fi: string; sv: string; en: string }>(
        `SELECT kunta, nimi_fi AS fi, nimi_sv AS sv, coalesce(nimi_en, nimi_fi) AS en FROM ref_kunta ORDER BY kunta`,
      )
    ).map((r) => [r.kunta, { fi: r.fi, sv: r.sv, en: r.en }]),
  );
  const metadata = await readMetadata(db, {
    catalogue,
    rows,
    periods,
    threshold: options.threshold,
    unsuppressed: read.unsuppressed,
    release: options.release?.release,
  });
  // small client counts hidden as on the pages, except in an admin's unsuppressed export
  const ips = await collectIps(db, selection, {
    threshold: read.unsuppressed ? 0 : options.threshold,
    release: options.release?.pin.id ?? null,
  });
  return { selection, definitions: catalogue.entries, rows, ips, metadata, kuntaNames };
}

/** Area codes in code order; plain string order would put `9` after `10` for levels with short codes. */
function compareCodes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
