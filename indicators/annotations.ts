import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { quarterIndex } from "../core/quarter.ts";
import { DATASETS } from "../pipelines/datasets/index.ts";
import type { IndicatorDefinition } from "./definition.ts";
import { LEVEL_NAMES, type LevelName } from "./levels.ts";

/**
 * Annotations: events and series breaks that a reader of a time series must know (a reform, a merger,
 * a change of definition). One declarative file, indicators/annotations.json, checked with the schema
 * below when it is read; the pages draw each one as a marked rule on the time series (its text in the
 * chart's text alternative), list it under the tables, and the downloads carry it in their notes.
 */

const localised = z.object({ fi: z.string().min(1), sv: z.string().min(1), en: z.string().min(1) });
const areaRef = z
  .string()
  .regex(new RegExp(`^(${LEVEL_NAMES.join("|")}):[0-9A-Z]+$`), "level:code, e.g. kunta:507")
  .describe("An area as level:code (kunta:507, tyollisyysalue:18, hyvinvointialue:15)");

export const annotationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** The day the event took effect, or the first quarter it concerns. */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
      .describe("The day it took effect (YYYY-MM-DD); the quarter holding it is where the mark goes"),
    quarter: z
      .string()
      .regex(/^\d{4}Q[1-4]$/)
      .optional()
      .describe("The first quarter it concerns (2025Q1), instead of date"),
    kind: z.enum(["reform", "merger", "break", "event"]).describe("What it is"),
    scope: z
      .union([
        z.object({ all: z.literal(true) }).strict(),
        z.object({ dataset: z.enum(DATASETS.map((d) => d.name) as [string, ...string[]]) }).strict(),
        z.object({ indicator: z.string().min(1) }).strict(),
        z.object({ areas: z.array(areaRef).min(1) }).strict(),
      ])
      .describe("What it concerns: everything, a dataset, an indicator or some areas"),
    label: localised.describe("A short label drawn beside the mark (a word or two)"),
    text: localised.describe("The full text: under tables, in the text alternative and in the notes"),
  })
  .strict()
  .refine((a) => (a.date === undefined) !== (a.quarter === undefined), {
    message: "give either date or quarter",
  });

export const annotationFileSchema = z.object({
  $comment: z.string().optional(),
  annotations: z.array(annotationSchema),
});

export type Annotation = z.infer<typeof annotationSchema>;

/** The quarter an annotation marks (`2025-01-01` → `2025Q1`). */
export function annotationQuarter(a: Annotation): string {
  if (a.quarter) return a.quarter;
  const [y = "0", m = "1"] = (a.date ?? "").split("-");
  return `${y}Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}

export const ANNOTATIONS_FILE = path.join(import.meta.dirname, "annotations.json");

let cached: { file: string; list: Annotation[] } | undefined;

/** Reads and checks the annotations file (once per process); a broken file is an error naming the field. */
export function loadAnnotations(file: string = ANNOTATIONS_FILE): Annotation[] {
  if (cached?.file === file) return cached.list;
  const parsed = annotationFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const ids = new Set<string>();
  for (const a of parsed.data.annotations) {
    if (ids.has(a.id)) throw new Error(`${file}: annotation id ${a.id} is given twice`);
    ids.add(a.id);
  }
  const list = [...parsed.data.annotations].sort((a, b) =>
    annotationQuarter(a).localeCompare(annotationQuarter(b)),
  );
  cached = { file, list };
  return list;
}

/** `2025Q1` → its quarter index (core/quarter.ts). */
function qi(label: string): number {
  return quarterIndex({ year: Number(label.slice(0, 4)), quarter: Number(label.slice(5, 6)) });
}

/** Whether an annotation concerns an indicator's series of an area. */
export function concerns(a: Annotation, def: IndicatorDefinition, level: LevelName, code: string): boolean {
  const s = a.scope;
  if ("all" in s) return true;
  if ("dataset" in s) return s.dataset === def.dataset;
  if ("indicator" in s) return s.indicator === def.id;
  return s.areas.includes(`${level}:${code}`);
}

/** An annotation placed on a series: the period whose mark it gets. */
export interface PlacedAnnotation {
  annotation: Annotation;
  /** The first period of the series whose last quarter is the annotation's quarter or later. */
  period: string;
}

/**
 * The annotations of a time series: those that concern the indicator in any of the areas, each placed
 * at the first period (of `periods`, with their last quarters) that reaches its quarter; those after
 * the last period or before the first one are left out (nothing on the chart would show the change).
 */
export function annotationsFor(
  def: IndicatorDefinition,
  areas: { level: LevelName; code: string }[],
  periods: { period: string; lastQuarter: string; firstQuarter: string }[],
  list: Annotation[] = loadAnnotations(),
): PlacedAnnotation[] {
  if (periods.length === 0) return [];
  const sorted = [...periods].sort((a, b) => a.lastQuarter.localeCompare(b.lastQuarter));
  const first = sorted[0];
  const out: PlacedAnnotation[] = [];
  for (const a of list) {
    if (!areas.some((area) => concerns(a, def, area.level, area.code))) continue;
    const q = qi(annotationQuarter(a));
    if (first && qi(first.firstQuarter) >= q) continue;
    const at = sorted.find((p) => qi(p.lastQuarter) >= q);
    if (at) out.push({ annotation: a, period: at.period });
  }
  return out;
}
