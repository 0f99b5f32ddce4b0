import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { KOKO_MAA, type LevelName } from "../../indicators/levels.ts";
import { type Period, type PeriodType, parsePeriod } from "../../indicators/periods.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import type { Catalogue, CatalogueEntry } from "../../indicators/registry.ts";
import { catalogueAt } from "../../indicators/release/definitions.ts";
import { reasonText } from "../../indicators/suppress/status.ts";
import { HttpError } from "../errors.ts";
import { loadAreas } from "../pages/values.ts";
import { apiMeta } from "./meta.ts";
import { badParameter } from "./params.ts";
import { pinnedRelease, refuseUnsuppressedPin } from "./release.ts";
import type { ApiValue, ValuesQuery, ValuesResponse } from "./schemas.ts";

/** More values than this in one answer is refused: the query must be narrowed (or use the exports). */
export const MAX_VALUES = 50_000;

/** The area code forms of each level (codes of counties and employment areas look alike: `02`). */
const CODE_FORM: Record<LevelName, RegExp> = {
  kunta: /^\d{3}$/,
  tyollisyysalue: /^\d{2}$/,
  hyvinvointialue: /^\d{2}$/,
  koko_maa: new RegExp(`^${KOKO_MAA}$`),
};

const quarterText = (qi: number) => quarterLabel(quarterOfIndex(qi));

function indicatorsOf(catalogue: Catalogue, ids: string[]): CatalogueEntry[] {
  const unique = [...new Set(ids)];
  const unknown = unique.filter((id) => !catalogue.byId(id));
  if (unknown.length > 0) {
    const valid = catalogue.entries.map((e) => e.definition.id).join(", ");
    throw badParameter(
      "indicator",
      {
        fi: `Tuntematon indikaattori: ${unknown.join(", ")}. Tunnetut indikaattorit: ${valid}.`,
        en: `Unknown indicator: ${unknown.join(", ")}. Known indicators: ${valid}.`,
      },
      "unknown_indicator",
    );
  }
  return unique.map((id) => catalogue.byId(id) as CatalogueEntry);
}

/** The areas asked for, each with its level: a 3-digit code is a municipality, SSS the country. */
async function areaTargets(
  db: Queryable,
  codes: string[] | undefined,
  level: LevelName | undefined,
): Promise<{ level: LevelName; code: string }[] | null> {
  if (codes === undefined) return null;
  const areas = await loadAreas(db);
  return [...new Set(codes.map((c) => c.toUpperCase()))].map((code) => {
    const inferred = level ?? (code === KOKO_MAA ? "koko_maa" : /^\d{3}$/.test(code) ? "kunta" : undefined);
    if (inferred === undefined)
      throw badParameter("level", {
        fi: `Aluekoodi ${code} voi olla hyvinvointialue tai työllisyysalue: anna myös taso (level=hyvinvointialue tai level=tyollisyysalue).`,
        en: `The area code ${code} may be a county or an employment area: give the level too (level=hyvinvointialue or level=tyollisyysalue).`,
      });
    if (!CODE_FORM[inferred].test(code))
      throw badParameter("area", {
        fi: `Aluekoodi ${code} ei ole tason ${inferred} koodi (kunta: kolme numeroa, hyvinvointialue ja työllisyysalue: kaksi, koko maa: ${KOKO_MAA}).`,
        en: `The area code ${code} is not a code of the level ${inferred} (municipality: three digits, county and employment area: two, whole country: ${KOKO_MAA}).`,
      });
    if (!areas.get(inferred, code))
      throw badParameter(
        "area",
        {
          fi: `Aluetta ${code} ei ole tasolla ${inferred}. Alueet luettelee GET /api/v1/areas?level=${inferred}.`,
          en: `There is no area ${code} at the level ${inferred}. GET /api/v1/areas?level=${inferred} lists the areas.`,
        },
        "unknown_area",
      );
    return { level: inferred, code };
  });
}

function periodOf(parameter: string, label: string, type: PeriodType | undefined): Period {
  const period = parsePeriod(label);
  if (!period)
    throw badParameter(parameter, {
      fi: `Jakso ${label} ei ole oikeaa muotoa: anna 2024Q1 (neljännes), 2024 (vuosi) tai 2023Q2-2024Q1 (neljä peräkkäistä neljännestä).`,
      en: `The period ${label} is not well formed: give 2024Q1 (quarter), 2024 (year) or 2023Q2-2024Q1 (four consecutive quarters).`,
    });
  if (parameter === "period" && type !== undefined && period.type !== type)
    throw badParameter(parameter, {
      fi: `Jakso ${label} ei ole jaksotyyppiä ${type} (period_type).`,
      en: `The period ${label} is not of the period type ${type} (period_type).`,
    });
  return period;
}

/** Checks what every requested indicator must publish: the level and the period type. */
function checkPublished(entries: CatalogueEntry[], levels: LevelName[], type: PeriodType | undefined): void {
  for (const { definition: def } of entries) {
    for (const level of levels)
      if (!def.levels.includes(level))
        throw badParameter("level", {
          fi: `Indikaattoria ${def.id} ei julkaista tasolla ${level}. Sen tasot: ${def.levels.join(", ")}.`,
          en: `The indicator ${def.id} is not published at the level ${level}. Its levels: ${def.levels.join(", ")}.`,
        });
    if (type !== undefined && !def.periods.includes(type))
      throw badParameter("period_type", {
        fi: `Indikaattoria ${def.id} ei julkaista jaksotyypillä ${type}. Sen jaksotyypit: ${def.periods.join(", ")}.`,
        en: `The indicator ${def.id} is not published for the period type ${type}. Its period types: ${def.periods.join(", ")}.`,
      });
  }
}

/** A value as the API gives it (already suppressed by readValues through publish()). */
export function valueJson(v: ReaderValue, threshold: number): ApiValue {
  return {
    indicator: v.indicator,
    level: v.level,
    area: v.area,
    area_name: v.areaName,
    category: v.category,
    category_label: v.categoryLabel,
    period_type: v.periodType,
    period: v.period,
    first_quarter: v.firstQuarter,
    last_quarter: v.lastQuarter,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    status: v.status,
    suppressed: v.status === "suppressed",
    reason: v.reason,
    reason_text:
      v.reason === null
        ? null
        : {
            fi: reasonText(v.reason, "fi", threshold),
            sv: reasonText(v.reason, "sv", threshold),
            en: reasonText(v.reason, "en", threshold),
          },
    symbol: v.symbol,
    population_year: v.populationYear,
    completeness: { reported: v.reported, members: v.members, missing: v.missingKunnat },
  };
}

/**
 * The values of GET /api/v1/values: the parameters checked against the catalogue, the municipality
 * key and each other (HttpError for anything wrong), then read with readValues, which passes
 * every value through publish() (suppressed unless `unsuppressed`).
 */
export async function valuesJson(
  db: Queryable,
  config: Config,
  current: Catalogue,
  query: ValuesQuery,
  options: { unsuppressed?: boolean } = {},
): Promise<ValuesResponse> {
  refuseUnsuppressedPin(options.unsuppressed === true, query.release !== undefined);
  const pinned = await pinnedRelease(db, query.release);
  // a pinned read answers with the definitions the release was made with
  const catalogue = pinned ? await catalogueAt(db, pinned.release, current) : current;
  const entries = indicatorsOf(catalogue, query.indicator);
  const targets = await areaTargets(db, query.area, query.level);
  const levels = targets ? [...new Set(targets.map((t) => t.level))] : query.level ? [query.level] : [];
  checkPublished(entries, levels, query.period_type);

  if (query.period && (query.from || query.to))
    throw badParameter("period", {
      fi: "Anna joko jakso (period) tai aikaväli (from, to), ei molempia.",
      en: "Give either period or a range (from, to), not both.",
    });
  const periods = query.period?.map((p) => periodOf("period", p, query.period_type).label);
  const from = query.from ? periodOf("from", query.from, undefined) : undefined;
  const to = query.to ? periodOf("to", query.to, undefined) : undefined;
  if (from && to && from.firstQi > to.lastQi)
    throw badParameter("from", {
      fi: `Aikaväli on väärin päin: from (${query.from}) alkaa vasta to-jakson (${query.to}) jälkeen.`,
      en: `The range is reversed: from (${query.from}) begins after to (${query.to}) ends.`,
    });
  const fromQuarter = from ? quarterText(from.firstQi) : undefined;
  const toQuarter = to ? quarterText(to.lastQi) : undefined;

  let category: string | undefined;
  if (query.category !== undefined) {
    category = query.category === "total" ? "" : query.category;
    const known = new Set(entries.flatMap((e) => Object.keys(e.definition.breakdown?.labels ?? {})));
    if (category !== "" && !known.has(category))
      throw badParameter("category", {
        fi: `Luokkaa ${category} ei ole indikaattorilla ${entries.map((e) => e.definition.id).join(", ")}. Luokat: ${[...known].join(", ") || "ei luokkia"}; kokonaisluku: total.`,
        en: `No indicator asked for has the category ${category}. Categories: ${[...known].join(", ") || "none"}; the total: total.`,
      });
  }

  const wanted = periods ? new Set(periods) : null;
  const keep = (v: ReaderValue) =>
    (wanted === null || wanted.has(v.period)) &&
    (fromQuarter === undefined || v.firstQuarter >= fromQuarter) &&
    (toQuarter === undefined || v.lastQuarter <= toQuarter);
  const values: ApiValue[] = [];
  const versions: Record<string, string> = {};
  const stale: string[] = [];
  for (const entry of entries) {
    versions[entry.definition.id] = entry.version;
    let isStale = false;
    for (const read of readPlan(targets, query.level)) {
      const result = await readValues(
        db,
        {
          indicator: entry.definition.id,
          level: read.level,
          area: read.area,
          period: periods?.length === 1 ? periods[0] : undefined,
          periodType: query.period_type,
          category,
        },
        { catalogue, unsuppressed: options.unsuppressed, release: pinned?.pin },
      );
      isStale ||= result.stale;
      let got = result.values;
      if (read.areas) {
        const byArea = new Map<string, ReaderValue[]>();
        for (const v of got) {
          const list = byArea.get(v.area);
          if (list) list.push(v);
          else byArea.set(v.area, [v]);
        }
        got = read.areas.flatMap((a) => byArea.get(a) ?? []);
      }
      for (const v of got) if (keep(v)) values.push(valueJson(v, config.suppressionThreshold));
      if (values.length > MAX_VALUES) throw tooMany();
    }
    if (isStale) stale.push(entry.definition.id);
  }
  const meta = await apiMeta(db, config, catalogue, { ...options, release: pinned?.release });
  return { meta: { ...meta, count: values.length, definition_versions: versions, stale }, values };
}

/** Up to this many areas of a level are read one by one; more, with one read of the whole level. */
const FEW_AREAS = 5;

/** One readValues call: a level, one area of it, or the whole level sorted into `areas`. */
interface Read {
  level?: LevelName;
  area?: string;
  areas?: string[];
}

/** The reads of the areas asked for, level by level in the order asked. */
function readPlan(
  targets: { level: LevelName; code: string }[] | null,
  level: LevelName | undefined,
): Read[] {
  if (targets === null) return [{ level }];
  const byLevel = new Map<LevelName, string[]>();
  for (const t of targets) byLevel.set(t.level, [...(byLevel.get(t.level) ?? []), t.code]);
  return [...byLevel].flatMap(([l, codes]): Read[] =>
    codes.length <= FEW_AREAS ? codes.map((area) => ({ level: l, area })) : [{ level: l, areas: codes }],
  );
}

function tooMany(): HttpError {
  return new HttpError(
    400,
    {
      fi: `Pyyntö tuottaisi yli ${MAX_VALUES} arvoa. Rajaa sitä tasolla (level), alueella (area), jaksotyypillä (period_type) tai jaksoilla (period, from, to), tai käytä vientitiedostoja.`,
      en: `The request would give more than ${MAX_VALUES} values. Narrow it by level, area, period_type or periods (period, from, to), or use the exports.`,
    },
    { code: "too_many_values" },
  );
}
