import type { Queryable } from "../../core/db.ts";
import { annotationsFor, type PlacedAnnotation } from "../../indicators/annotations.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import { KOKO_MAA, LEVEL_NAMES, type LevelName } from "../../indicators/levels.ts";
import { PERIOD_TYPES, type PeriodType } from "../../indicators/periods.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import type { Catalogue } from "../../indicators/registry.ts";
import { catalogueFor } from "../../indicators/release/definitions.ts";
import { HttpError } from "../errors.ts";
import { fill, M as PAGE_MESSAGES, param, type Query } from "./indicator-data.ts";
import { type PagePin, pagePin } from "./pinned.ts";
import { type Area, type Areas, loadAreas } from "./values.ts";

/**
 * The data of the compare page /vertailu: an indicator, up to eight chosen areas of any level
 * (`alueet=kunta:179,kunta:182,hyvinvointialue:15`) and a period type, every value read with readValues
 * (the stored protected values, as the indicator pages read them). All state is in the URL.
 */

/** At most this many areas on one chart (one colour and dash pattern each). */
export const MAX_AREAS = 8;

const M = {
  unknownIndicator: {
    fi: "Tuntematon indikaattori (indikaattori): {id}.",
    sv: "Okänd indikator (indikaattori): {id}.",
    en: "Unknown indicator (indikaattori): {id}.",
  },
  badArea: {
    fi: "Tuntematon alue (alueet): {ref}. Anna alueet muodossa taso:koodi, esim. kunta:179 tai hyvinvointialue:15.",
    sv: "Okänt område (alueet): {ref}. Ange områdena som nivå:kod, t.ex. kunta:179 eller hyvinvointialue:15.",
    en: "Unknown area (alueet): {ref}. Give the areas as level:code, e.g. kunta:179 or hyvinvointialue:15.",
  },
  levelNotPublished: {
    fi: "Indikaattoria ei julkaista aluetasolla {level} (alueet: {ref}).",
    sv: "Indikatorn publiceras inte på nivån {level} (alueet: {ref}).",
    en: "The indicator is not published at the level {level} (alueet: {ref}).",
  },
  tooMany: {
    fi: "Valitse enintään {max} aluetta (valittu {n}).",
    sv: "Välj högst {max} områden ({n} valda).",
    en: "Choose at most {max} areas ({n} chosen).",
  },
  badPeriodType: PAGE_MESSAGES.badPeriodType,
} as const;

export interface CompareData {
  definition: IndicatorDefinition;
  catalogue: Catalogue;
  areas: Areas;
  chosen: Area[];
  periodType: PeriodType;
  /** Every period of any chosen area's series, in time order. */
  periods: string[];
  series: { area: Area; values: ReaderValue[] }[];
  annotations: PlacedAnnotation[];
  /** The release the view is pinned to (`julkaisu`), or null for the latest figures. */
  pinned: PagePin | null;
}

/** `kunta:179` for an area. */
export const areaRef = (a: Pick<Area, "level" | "code">) => `${a.level}:${a.code}`;

/** The canonical query string of a compare view (the permalink; a pinned view keeps its release). */
export function compareQuery(v: {
  indicator: string;
  chosen: Area[];
  periodType: PeriodType;
  pinned?: PagePin | null;
}): string {
  const q = new URLSearchParams({ indikaattori: v.indicator });
  if (v.chosen.length > 0) q.set("alueet", v.chosen.map(areaRef).join(","));
  q.set("jaksotyyppi", v.periodType);
  if (v.pinned) q.set("julkaisu", String(v.pinned.pin.id));
  return q.toString();
}

/** The permalink query of a compare view as its data has it. */
export function viewQuery(d: Pick<CompareData, "definition" | "chosen" | "periodType" | "pinned">): string {
  return compareQuery({
    indicator: d.definition.id,
    chosen: d.chosen,
    periodType: d.periodType,
    pinned: d.pinned,
  });
}

/**
 * The areas a form sent as repeated `alue` fields (checkboxes), as the `alueet` list of the permalink;
 * null when the query has no `alue` field.
 */
export function formAreas(query: Query): string | null {
  const v = query.alue;
  if (v === undefined) return null;
  const list = (Array.isArray(v) ? v : [v]).filter((x) => x !== "");
  const before = typeof query.alueet === "string" && query.alueet !== "" ? query.alueet.split(",") : [];
  return [...new Set([...before, ...list])].join(",");
}

/** Checks the page's parameters and reads the chosen areas' series; HttpError (400/404) otherwise. */
export async function compareData(db: Queryable, query: Query): Promise<CompareData> {
  const pinned = await pagePin(db, param(query, "julkaisu"));
  // a pinned page shows the definitions the release was made with
  const catalogue = await catalogueFor(db, pinned);
  const id = param(query, "indikaattori") ?? catalogue.entries[0]?.definition.id ?? "";
  const entry = catalogue.byId(id);
  if (!entry) throw new HttpError(404, fill(M.unknownIndicator, { id }));
  const def = entry.definition;
  const areas = await loadAreas(db);

  const refs = (param(query, "alueet") ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  const unique = [...new Set(refs)];
  if (unique.length > MAX_AREAS)
    throw new HttpError(400, fill(M.tooMany, { max: String(MAX_AREAS), n: String(unique.length) }));
  const chosen: Area[] = [];
  for (const ref of unique) {
    const [level = "", code = "", ...rest] = ref.split(":");
    const area =
      rest.length === 0 && (LEVEL_NAMES as string[]).includes(level)
        ? areas.get(level as LevelName, level === "koko_maa" ? code || KOKO_MAA : code)
        : undefined;
    if (!area) throw new HttpError(404, fill(M.badArea, { ref }));
    if (!def.levels.includes(area.level))
      throw new HttpError(400, fill(M.levelNotPublished, { level: area.level, ref }));
    chosen.push(area);
  }

  const types = PERIOD_TYPES.filter((t) => def.periods.includes(t));
  const typeParam = param(query, "jaksotyyppi");
  if (typeParam !== undefined && !types.includes(typeParam as PeriodType))
    throw new HttpError(400, fill(M.badPeriodType, { list: types.join(", ") }));
  const periodType =
    (typeParam as PeriodType | undefined) ?? (types.includes("quarter") ? "quarter" : types[0]);
  if (!periodType) throw new HttpError(404, fill(M.unknownIndicator, { id }));

  // one read for every chosen area
  const { values } = await readValues(
    db,
    {
      indicator: def.id,
      areas: chosen.map((a) => ({ level: a.level, area: a.code })),
      periodType,
      category: "",
    },
    { catalogue, release: pinned?.pin },
  );
  const series: CompareData["series"] = chosen.map((area) => ({
    area,
    values: values.filter((v) => v.level === area.level && v.area === area.code),
  }));
  const byPeriod = new Map<string, ReaderValue>();
  for (const s of series) for (const v of s.values) if (!byPeriod.has(v.period)) byPeriod.set(v.period, v);
  const ordered = [...byPeriod.values()].sort((a, b) => a.lastQuarter.localeCompare(b.lastQuarter));
  return {
    definition: def,
    catalogue,
    areas,
    chosen,
    periodType,
    periods: ordered.map((v) => v.period),
    series,
    annotations: annotationsFor(
      def,
      chosen.map((a) => ({ level: a.level, code: a.code })),
      ordered,
    ),
    pinned,
  };
}
