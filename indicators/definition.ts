import { createHash } from "node:crypto";
import { z } from "zod";
import { columnsOf, type DatasetDefinition } from "../pipelines/datasets/dataset.ts";
import { DATASETS, datasetByName } from "../pipelines/datasets/index.ts";
import { LEVEL_NAMES } from "./levels.ts";
import { PERIOD_TYPES } from "./periods.ts";

/**
 * What an indicator definition is. The catalogue (indicators/catalogue/) holds plain objects of this
 * shape; the engine compiles them to SQL. Column and category names are checked against the dataset
 * schemas of pipelines/datasets/, so the SQL only ever names columns that exist.
 */

const text = z.string().trim().min(1);

const localisedSchema = z
  .strictObject({ fi: text, sv: text, en: text })
  .describe("The same text in Finnish, Swedish and English");

const identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, "a column name: lower-case letters, digits and _");

const measureSchema = z
  .strictObject({
    dataset: z
      .enum(DATASETS.map((d) => d.name) as [string, ...string[]])
      .optional()
      .describe(
        "The measure's dataset when it is not the indicator's (a denominator from another dataset, " +
          "e.g. ended periods of kuntouttava for a share of polku's end measurements)",
      ),
    sum: z.array(identifier).min(1).describe("Count columns of the dataset, added together"),
    where: z
      .record(identifier, z.array(z.string()).min(1))
      .optional()
      .describe("Only rows whose category column holds one of the listed values"),
    over: z
      .enum(["flow", "stock", "mean"])
      .describe(
        "How quarters make a longer period: flow = sum of the quarters, stock = the last quarter, " +
          "mean = mean of the quarters reported",
      ),
  })
  .describe("A sum of count columns of the indicator's dataset");

const populationSchema = z
  .strictObject({
    population: z
      .enum(["all", "15-64"])
      .describe(
        "Inhabitants on 31 Dec of the period's year (latest earlier year when missing); 15-64 uses all " +
          "ages until a population-by-age dataset exists (DESIGN.md, Reference data)",
      ),
  })
  .describe("A population denominator from the reference data");

/** Units of a value: a share, a rate per 1 000 or 10 000 inhabitants, or a count. */
export const UNITS = ["percent", "per1000", "per10000", "count"] as const;
export type Unit = (typeof UNITS)[number];

/** How many of the numerator's units one unit of the denominator stands for. */
export const UNIT_SCALE: Record<Unit, number> = { percent: 100, per1000: 1000, per10000: 10000, count: 1 };

const labels = z.record(z.string(), localisedSchema);

const breakdownSchema = z
  .discriminatedUnion("by", [
    z.strictObject({
      by: z.literal("category"),
      column: identifier.describe("A category column of the dataset; one value per category"),
      title: localisedSchema,
      labels: labels.describe("A label for every category value"),
    }),
    z.strictObject({
      by: z.literal("numerator_columns"),
      title: localisedSchema,
      labels: labels.describe("A label for every numerator column; each column is one cell"),
    }),
  ])
  .describe("Cells the indicator is also shown in besides its total");

/** The schema of an indicator definition (its .describe() texts document the format). */
export const indicatorSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case words joined by -")
      .describe("Stable id, used in URLs and exports"),
    title: localisedSchema,
    description: localisedSchema.describe("One or two sentences: what is counted"),
    interpretation: localisedSchema.describe("How to read the value"),
    limitations: localisedSchema.describe("What the value does not tell"),
    source: localisedSchema.describe("Where the numbers come from (shown with the value)"),
    dataset: z.enum(DATASETS.map((d) => d.name) as [string, ...string[]]),
    numerator: measureSchema,
    denominator: z.union([measureSchema, populationSchema]).nullable(),
    unit: z.enum(UNITS),
    decimals: z.number().int().min(0).max(3).describe("Decimals shown (values are stored unrounded)"),
    higherIsBetter: z.boolean().nullable().describe("null when neither direction is better"),
    periods: z.array(z.enum(PERIOD_TYPES)).min(1),
    levels: z.array(z.enum(LEVEL_NAMES)).min(1),
    breakdown: breakdownSchema.optional(),
  })
  .superRefine((def, ctx) => {
    const dataset = datasetByName(def.dataset);
    if (!dataset) return; // already reported by the enum
    if (def.numerator.dataset !== undefined && def.numerator.dataset !== def.dataset)
      ctx.addIssue({
        code: "custom",
        path: ["numerator", "dataset"],
        message: `the numerator is of the indicator's dataset ${def.dataset}`,
      });
    checkMeasure(dataset, def.numerator, ["numerator"], ctx);
    const den = def.denominator;
    if (den && "sum" in den) {
      const denDataset = datasetByName(measureDataset(def, den));
      if (denDataset) checkMeasure(denDataset, den, ["denominator"], ctx);
      if (denDataset !== dataset && def.breakdown)
        ctx.addIssue({
          code: "custom",
          path: ["breakdown"],
          message:
            "a denominator from another dataset does not go with a breakdown (its cells would not match)",
        });
    }
    const wants = def.unit === "count" ? "none" : def.unit === "percent" ? "measure" : "population";
    const has = den === null ? "none" : "sum" in den ? "measure" : "population";
    if (wants !== has)
      ctx.addIssue({
        code: "custom",
        path: ["denominator"],
        message: `unit ${def.unit} needs ${wants === "none" ? "no denominator (null)" : wants === "measure" ? "a denominator measure { sum, over }" : "a population denominator { population }"}`,
      });
    for (const key of ["periods", "levels"] as const) {
      const seen = new Set<string>();
      def[key].forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: "custom", path: [key, i], message: `${v} listed twice` });
        seen.add(v);
      });
    }
    if (def.breakdown) checkBreakdown(dataset, def, ctx);
  });

export type IndicatorDefinition = z.infer<typeof indicatorSchema>;
/** What a catalogue file writes (before defaults and checks). */
export type IndicatorInput = z.input<typeof indicatorSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type Breakdown = z.infer<typeof breakdownSchema>;

function columnKinds(dataset: DatasetDefinition) {
  return new Map(columnsOf(dataset).map((c) => [c.name, c]));
}

function checkMeasure(
  dataset: DatasetDefinition,
  measure: Measure,
  path: (string | number)[],
  ctx: z.RefinementCtx,
) {
  const columns = columnKinds(dataset);
  const counts = [...columns.values()].filter((c) => c.kind === "count").map((c) => c.name);
  measure.sum.forEach((name, i) => {
    if (columns.get(name)?.kind !== "count")
      ctx.addIssue({
        code: "custom",
        path: [...path, "sum", i],
        message: `${name} is not a count column of ${dataset.name} (${counts.join(", ")})`,
      });
  });
  for (const [name, values] of Object.entries(measure.where ?? {})) {
    const column = columns.get(name);
    if (column?.kind !== "category") {
      ctx.addIssue({
        code: "custom",
        path: [...path, "where", name],
        message: `${name} is not a category column of ${dataset.name}`,
      });
      continue;
    }
    values.forEach((v, i) => {
      if (!column.values?.includes(v))
        ctx.addIssue({
          code: "custom",
          path: [...path, "where", name, i],
          message: `${v} is not a value of ${dataset.name}.${name} (${column.values?.join(", ")})`,
        });
    });
  }
}

function checkBreakdown(dataset: DatasetDefinition, def: IndicatorDefinition, ctx: z.RefinementCtx) {
  const breakdown = def.breakdown;
  if (!breakdown) return;
  let expected: readonly string[];
  if (breakdown.by === "category") {
    const column = columnKinds(dataset).get(breakdown.column);
    if (column?.kind !== "category" || !column.values) {
      ctx.addIssue({
        code: "custom",
        path: ["breakdown", "column"],
        message: `${breakdown.column} is not a category column of ${dataset.name}`,
      });
      return;
    }
    expected = def.numerator.where?.[breakdown.column] ?? column.values;
  } else {
    expected = def.numerator.sum;
  }
  for (const v of expected)
    if (!(v in breakdown.labels))
      ctx.addIssue({ code: "custom", path: ["breakdown", "labels", v], message: `no label for ${v}` });
  for (const v of Object.keys(breakdown.labels))
    if (!expected.includes(v))
      ctx.addIssue({
        code: "custom",
        path: ["breakdown", "labels", v],
        message: `${v} is not one of the cells (${expected.join(", ")})`,
      });
}

/** Thrown when a catalogue file holds a definition that breaks the schema; names file and field. */
export class IndicatorDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `Broken indicator definition in ${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
    );
    this.name = "IndicatorDefinitionError";
  }
}

/** Validates one definition read from `file`; throws IndicatorDefinitionError naming file and field. */
export function parseDefinition(input: unknown, file: string): IndicatorDefinition {
  const result = indicatorSchema.safeParse(input);
  if (result.success) return result.data;
  const id =
    typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string"
      ? (input as { id: string }).id
      : null;
  throw new IndicatorDefinitionError(
    file,
    result.error.issues.map((issue) => ({
      path: [id ?? "(no id)", ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  );
}

/** Declares catalogue entries with the definition type checked by the compiler (validated at load). */
export function defineIndicators(defs: IndicatorInput[]): IndicatorInput[] {
  return defs;
}

/**
 * Bumped when the engine computes the same definition differently, so stored results of the old
 * engine count as stale just as results of a changed definition do.
 */
const ENGINE_VERSION = 2;

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** The version of a definition: a hash of its content and the engine version. */
export function definitionVersion(def: IndicatorDefinition): string {
  return createHash("sha256")
    .update(`${ENGINE_VERSION}:${stableJson(def)}`)
    .digest("hex")
    .slice(0, 16);
}

/** The dataset a measure of the definition counts in: its own, else the indicator's. */
export function measureDataset(def: { dataset: string }, measure: { dataset?: string | undefined }): string {
  return measure.dataset ?? def.dataset;
}

/** Every dataset an indicator reads (its own first). */
export function datasetsOf(def: IndicatorDefinition): string[] {
  const den = def.denominator;
  return [...new Set([def.dataset, ...(den && "sum" in den ? [measureDataset(def, den)] : [])])];
}

/** The cells of an indicator: "" is the total, then one per breakdown value, in definition order. */
export function cellsOf(def: IndicatorDefinition): string[] {
  return ["", ...Object.keys(def.breakdown?.labels ?? {})];
}

/**
 * Whether an area's value over a year or four quarters adds up every quarter its municipalities
 * reported, also of a municipality that missed one: true for sums of flows (counts, shares of counts
 * and per-inhabitant rates, where a municipality's population counts for the share of the quarters it
 * reported). Stocks and means take the municipalities whose own value for the period exists.
 */
export function addsReportedQuarters(def: IndicatorDefinition): boolean {
  const den = def.denominator;
  return def.numerator.over === "flow" && (den === null || !("sum" in den) || den.over === "flow");
}
