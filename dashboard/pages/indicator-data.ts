import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { annotationsFor, type PlacedAnnotation } from "../../indicators/annotations.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import { KOKO_MAA, LEVEL_NAMES, type LevelName } from "../../indicators/levels.ts";
import { PERIOD_TYPES, type PeriodType } from "../../indicators/periods.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import type { Catalogue } from "../../indicators/registry.ts";
import { catalogueFor } from "../../indicators/release/definitions.ts";
import { HttpError } from "../errors.ts";
import { type PagePin, pagePin } from "./pinned.ts";
import { type Area, type Areas, latest, loadAreas, periodFormOk } from "./values.ts";

/**
 * The data of an indicator page (and its CSV download): the parameters checked against the catalogue
 * and the municipality key, then the values read with readValues (already suppressed).
 */

export type Query = Record<string, string | string[] | undefined>;

/** Messages of the value pages' parameter checks, shared with the compare page. */
export const M = {
  unknownIndicator: {
    fi: "Tuntematon indikaattori. Valitse indikaattori etusivulta.",
    sv: "Okänd indikator. Välj en indikator på startsidan.",
    en: "Unknown indicator. Choose an indicator on the home page.",
  },
  badLevel: {
    fi: "Tuntematon aluetaso (taso). Sallitut: {list}.",
    sv: "Okänd områdesnivå (taso). Tillåtna: {list}.",
    en: "Unknown level (taso). Allowed: {list}.",
  },
  badArea: {
    fi: "Aluetta {code} ei ole tällä aluetasolla.",
    sv: "Området {code} finns inte på den här nivån.",
    en: "There is no area {code} at this level.",
  },
  badPeriodType: {
    fi: "Tuntematon jaksotyyppi (jaksotyyppi). Sallitut: {list}.",
    sv: "Okänd periodtyp (jaksotyyppi). Tillåtna: {list}.",
    en: "Unknown period type (jaksotyyppi). Allowed: {list}.",
  },
  badPeriod: {
    fi: "Jakso {period} ei ole oikeaa muotoa (esim. 2024Q1, 2024 tai 2023Q2-2024Q1).",
    sv: "Perioden {period} har fel form (t.ex. 2024Q1, 2024 eller 2023Q2-2024Q1).",
    en: "The period {period} is not well formed (e.g. 2024Q1, 2024 or 2023Q2-2024Q1).",
  },
  noPeriod: {
    fi: "Jaksolle {period} ei ole tietoja.",
    sv: "Det finns inga uppgifter för perioden {period}.",
    en: "There are no figures for the period {period}.",
  },
  repeated: {
    fi: "Parametri {name} on annettu useammin kuin kerran.",
    sv: "Parametern {name} har getts mer än en gång.",
    en: "The parameter {name} is given more than once.",
  },
} as const;

/** A message with its `{name}` slots filled, in every language. */
export function fill(text: { fi: string; sv: string; en: string }, values: Record<string, string>) {
  const out = { ...text };
  for (const lang of ["fi", "sv", "en"] as const)
    out[lang] = out[lang].replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
  return out;
}

/** One query parameter as a string ("" and missing are undefined); a repeated one is a 400. */
export function param(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw new HttpError(400, fill(M.repeated, { name }));
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

export interface IndicatorData {
  definition: IndicatorDefinition;
  catalogue: Catalogue;
  areas: Areas;
  level: LevelName;
  area: Area;
  /** The county the area lies in (when the definition has the level and it is not the area itself). */
  county: Area | null;
  periodType: PeriodType;
  period: string | null;
  /** Time series of the area, its county and the whole country (totals only). */
  series: { role: "area" | "county" | "country"; area: Area; values: ReaderValue[] }[];
  /** The members compared in the chosen period: municipalities of the county, or the counties. */
  comparison: { level: LevelName; of: Area; values: Map<string, ReaderValue>; members: Area[] } | null;
  /** For an indicator with a breakdown: the chosen area's categories in the chosen period. */
  breakdown: ReaderValue[];
  /** Events and series breaks within the time series (indicators/annotations.json). */
  annotations: PlacedAnnotation[];
  /** The release the page is pinned to (`julkaisu`), or null for the latest figures. */
  pinned: PagePin | null;
}

/** Maps an area code of another level (a hidden `mista` field of the level switch) to the chosen level. */
function relatedArea(areas: Areas, from: Area, to: LevelName): Area | undefined {
  if (to === "koko_maa") return areas.get("koko_maa", KOKO_MAA);
  const first = from.members[0];
  if (from.level === "kunta" || to !== "kunta") {
    // the area of the chosen level that holds the first member municipality
    for (const a of areas.byLevel.get(to)?.values() ?? []) if (first && a.members.includes(first)) return a;
    return undefined;
  }
  return first ? areas.get("kunta", first) : undefined;
}

/** Checks the page's parameters and reads its values; HttpError (400/404) for anything unknown. */
export async function indicatorData(
  db: Queryable,
  _config: Config,
  id: string,
  query: Query,
): Promise<IndicatorData> {
  const pinned = await pagePin(db, param(query, "julkaisu"));
  // a pinned page shows the definitions the release was made with
  const catalogue = await catalogueFor(db, pinned);
  const entry = catalogue.byId(id);
  if (!entry) throw new HttpError(404, M.unknownIndicator);
  const def = entry.definition;
  const areas = await loadAreas(db);

  const levelParam = param(query, "taso");
  const levels = LEVEL_NAMES.filter((l) => def.levels.includes(l));
  if (levelParam !== undefined && !levels.includes(levelParam as LevelName))
    throw new HttpError(400, fill(M.badLevel, { list: levels.join(", ") }));
  const level =
    (levelParam as LevelName | undefined) ?? (levels.includes("koko_maa") ? "koko_maa" : levels[0]);
  if (!level) throw new HttpError(404, M.unknownIndicator);

  const areaParam = param(query, "alue");
  let area: Area | undefined;
  if (areaParam === undefined) {
    area = level === "koko_maa" ? areas.get(level, KOKO_MAA) : areas.list(level, "fi")[0];
  } else {
    // `mista`: the level the area code belongs to (the form's level before a change); codes of
    // different levels overlap (county 02, employment area 02), so a changed level maps the area
    const from = param(query, "mista");
    if (from !== undefined && from !== level && LEVEL_NAMES.includes(from as LevelName)) {
      const source = areas.get(from as LevelName, areaParam);
      if (source) area = relatedArea(areas, source, level);
    } else area = areas.get(level, areaParam);
  }
  if (!area) throw new HttpError(404, fill(M.badArea, { code: areaParam ?? "" }));

  const typeParam = param(query, "jaksotyyppi");
  const types = PERIOD_TYPES.filter((t) => def.periods.includes(t));
  if (typeParam !== undefined && !types.includes(typeParam as PeriodType))
    throw new HttpError(400, fill(M.badPeriodType, { list: types.join(", ") }));
  const periodType =
    (typeParam as PeriodType | undefined) ?? (types.includes("quarter") ? "quarter" : types[0]);
  if (!periodType) throw new HttpError(404, M.unknownIndicator);

  // the page's one form sends every choice at once (`lomake=1`): a period that does not fit a changed
  // period type or area is dropped for the latest one instead of being an error
  const fromForm = param(query, "lomake") !== undefined;
  let periodParam = param(query, "jakso");
  if (fromForm && periodParam !== undefined && !periodFormOk(periodType, periodParam))
    periodParam = undefined;
  if (periodParam !== undefined && !periodFormOk(periodType, periodParam))
    throw new HttpError(400, fill(M.badPeriod, { period: periodParam }));

  const county =
    area.level !== "hyvinvointialue" && area.county && levels.includes("hyvinvointialue")
      ? (areas.get("hyvinvointialue", area.county) ?? null)
      : null;
  const country = areas.get("koko_maa", KOKO_MAA);
  const roles: { role: IndicatorData["series"][number]["role"]; area: Area }[] = [{ role: "area", area }];
  if (county) roles.push({ role: "county", area: county });
  if (country && area.level !== "koko_maa" && levels.includes("koko_maa"))
    roles.push({ role: "country", area: country });
  // one read for every series
  const { values: seriesValues } = await readValues(
    db,
    {
      indicator: def.id,
      areas: roles.map((r) => ({ level: r.area.level, area: r.area.code })),
      periodType,
      category: "",
    },
    { catalogue, release: pinned?.pin },
  );
  const series: IndicatorData["series"] = roles.map((r) => ({
    ...r,
    values: seriesValues.filter((v) => v.level === r.area.level && v.area === r.area.code),
  }));

  const areaValues = series[0]?.values ?? [];
  let period: string | null;
  if (fromForm && periodParam !== undefined && !areaValues.some((v) => v.period === periodParam))
    periodParam = undefined;
  if (periodParam !== undefined) {
    if (!areaValues.some((v) => v.period === periodParam))
      throw new HttpError(404, fill(M.noPeriod, { period: periodParam }));
    period = periodParam;
  } else period = latest(areaValues)?.period ?? null;

  // compare the municipalities of the county (or of the chosen area), or the counties for the whole country
  let comparison: IndicatorData["comparison"] = null;
  const of = area.level === "kunta" ? county : area;
  const compareLevel: LevelName | null =
    of === null ? null : of.level === "koko_maa" ? "hyvinvointialue" : "kunta";
  if (period && of && compareLevel && levels.includes(compareLevel)) {
    const { values } = await readValues(
      db,
      { indicator: def.id, level: compareLevel, period, periodType, category: "" },
      { catalogue, release: pinned?.pin },
    );
    const members =
      compareLevel === "kunta"
        ? of.members.map((k) => areas.get("kunta", k)).filter((a): a is Area => a !== undefined)
        : areas.list("hyvinvointialue", "fi");
    const codes = new Set(members.map((m) => m.code));
    comparison = {
      level: compareLevel,
      of,
      values: new Map(values.filter((v) => codes.has(v.area)).map((v) => [v.area, v])),
      members,
    };
  }
  const breakdown =
    def.breakdown && period
      ? (
          await readValues(
            db,
            { indicator: def.id, level, area: area.code, period, periodType },
            { catalogue, release: pinned?.pin },
          )
        ).values.filter((v) => v.category !== null)
      : [];
  return {
    definition: def,
    catalogue,
    areas,
    level,
    area,
    county,
    periodType,
    period,
    series,
    comparison,
    breakdown,
    annotations: annotationsFor(
      def,
      series.map((s) => ({ level: s.area.level, code: s.area.code })),
      areaValues,
    ),
    pinned,
  };
}
