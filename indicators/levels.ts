import type { Localised } from "../core/lang.ts";

/**
 * A regional level: a grouping column of the municipality key (ref_kunta), or the whole country.
 * Adding a level is adding an entry here (any column of data/reference/kunnat_2026.csv will do).
 */
export interface Level {
  name: string;
  title: Localised;
  /** The ref_kunta column whose value is the area code; null for the whole country. */
  column: string | null;
  /** ref_kunta columns holding the area's name in fi/sv/en (en falls back where the key has none). */
  names: Record<keyof Localised, string> | null;
}

/** Area code of the whole country (Statistics Finland uses SSS). */
export const KOKO_MAA = "SSS";

/** The levels, from the smallest area to the whole country. */
export const LEVELS = [
  {
    name: "kunta",
    title: { fi: "Kunta", sv: "Kommun", en: "Municipality" },
    column: "kunta",
    names: { fi: "nimi_fi", sv: "nimi_sv", en: "nimi_en" },
  },
  {
    name: "tyollisyysalue",
    title: { fi: "Työllisyysalue", sv: "Sysselsättningsområde", en: "Employment area" },
    column: "tyollisyysalue",
    // The municipality key has no English names for employment areas: the Finnish name is the name.
    names: { fi: "tyollisyysalue_fi", sv: "tyollisyysalue_sv", en: "tyollisyysalue_fi" },
  },
  {
    name: "hyvinvointialue",
    title: { fi: "Hyvinvointialue", sv: "Välfärdsområde", en: "Wellbeing services county" },
    column: "hyvinvointialue",
    names: { fi: "hyvinvointialue_fi", sv: "hyvinvointialue_sv", en: "hyvinvointialue_en" },
  },
  {
    name: "koko_maa",
    title: { fi: "Koko maa", sv: "Hela landet", en: "Whole country" },
    column: null,
    names: null,
  },
] as const satisfies readonly Level[];

export type LevelName = (typeof LEVELS)[number]["name"];

/** Names of every level, in order from the smallest area to the whole country. */
export const LEVEL_NAMES = LEVELS.map((l) => l.name) as [LevelName, ...LevelName[]];

/** The whole country's name in each language. */
export const KOKO_MAA_NAME: Localised = LEVELS[3].title;
