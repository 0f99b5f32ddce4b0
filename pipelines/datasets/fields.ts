import { z } from "zod";

/**
 * Field builders for dataset schemas. Each builder returns a zod schema (the typed value after
 * validation) tagged with how the raw VARCHAR cell is checked, so one definition drives the SQL
 * validation, the table DDL, the templates and the TypeScript row type.
 */
export type FieldKind = "kunta" | "quarter" | "date" | "category" | "count" | "score" | "text";

export interface FieldMeta {
  kind: FieldKind;
  /** Header spellings accepted besides the canonical column name (already normalised). */
  aliases?: readonly string[];
  /** Accepted values of a category column (canonical spelling). */
  values?: readonly string[];
  /** Whether an empty cell is allowed (counts: empty = not reported). */
  nullable: boolean;
  /** Scores: the lowest and highest whole number accepted. */
  range?: readonly [number, number];
  /** Text: the longest value accepted, in characters. */
  maxLength?: number;
}

const registry = new WeakMap<z.ZodType, FieldMeta>();

function tag<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  registry.set(schema, meta);
  return schema;
}

/** The validation metadata of a field schema built here. */
export function fieldMeta(schema: z.ZodType): FieldMeta {
  const meta = registry.get(schema);
  if (!meta)
    throw new Error("dataset field built without the field builders of pipelines/datasets/fields.ts");
  return meta;
}

/** A Statistics Finland 3-digit municipality code, e.g. "091" (a string, never a number). */
export function kuntaField(description: string) {
  return tag(
    z
      .string()
      .regex(/^\d{3}$/)
      .describe(description),
    {
      kind: "kunta",
      nullable: false,
      aliases: ["kuntanumero", "kuntakoodi", "kunta_koodi", "kunnan_koodi", "kommun"],
    },
  );
}

/** A quarter in canonical form, e.g. "2024Q1". */
export function quarterField(description: string) {
  return tag(
    z
      .string()
      .regex(/^\d{4}Q[1-4]$/)
      .describe(description),
    {
      kind: "quarter",
      nullable: false,
      aliases: ["neljannes", "vuosineljannes", "kvartal", "kvartaali", "quarter"],
    },
  );
}

/** One of a fixed list of category values. */
export function categoryField<const V extends readonly [string, ...string[]]>(
  values: V,
  description: string,
) {
  return tag(z.enum(values).describe(description), { kind: "category", nullable: false, values });
}

/** A non-negative whole number; null means "not reported" (never the same as 0). */
export function countField(description: string, aliases: readonly string[] = []) {
  return tag(z.number().int().nonnegative().nullable().describe(description), {
    kind: "count",
    nullable: true,
    aliases,
  });
}

/**
 * A day, e.g. "2025-03-14" (also written 14.3.2025): for rows that happen on a date rather than in a
 * quarter, such as a review. Its quarter is stored as the row's vuosi and neljannes; it may not be in
 * the future.
 */
export function dateField(description: string, aliases: readonly string[] = []) {
  return tag(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .describe(description),
    { kind: "date", nullable: false, aliases },
  );
}

/** A whole number on a fixed scale, e.g. an item of a fidelity scale scored 1–5; required. */
export function scoreField(description: string, range: readonly [number, number]) {
  return tag(z.number().int().min(range[0]).max(range[1]).describe(description), {
    kind: "score",
    nullable: false,
    range,
  });
}

/** A short text the sender chooses, e.g. a unit's code or name (kept as sent, trimmed). */
export function textField(description: string, maxLength: number, aliases: readonly string[] = []) {
  return tag(z.string().min(1).max(maxLength).describe(description), {
    kind: "text",
    nullable: false,
    maxLength,
    aliases,
  });
}
