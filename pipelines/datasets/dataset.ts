import type { z } from "zod";
import type { ProblemCode } from "../../core/errors.ts";
import type { Localised } from "../../core/lang.ts";
import { type FieldMeta, fieldMeta } from "./fields.ts";

/**
 * A row check that involves several columns, written as SQL over the typed staging columns. The SQL
 * comes from the dataset definition (code), never from input.
 */
export interface RowCheck {
  code: ProblemCode;
  /** The column the problem is reported on. */
  column: string;
  /** A boolean SQL expression over typed columns that is true when the row is wrong. */
  failsWhen: string;
  /** The cell value shown in the report (SQL expression, VARCHAR). */
  value: string;
  /** Extra message parameters as SQL expressions (VARCHAR). */
  params?: Record<string, string>;
}

/**
 * A row schema as the list of every dataset sees it: a zod object of some shape. (A `z.ZodObject` of
 * one shape is not one of another, so the list of datasets could not hold them without a cast.)
 */
export type RowSchema<Shape extends z.ZodRawShape = z.ZodRawShape> = z.ZodType<object> & {
  readonly shape: Shape;
};

/** What a dataset is: its columns (a zod object), its keys, and its cross-column checks. */
export interface DatasetDefinition<
  Shape extends z.ZodRawShape = z.ZodRawShape,
  Row extends RowSchema<Shape> = RowSchema<Shape>,
> {
  name: string;
  title: Localised;
  row: Row;
  /** Columns that identify one row; a second row with the same key in a file is an error. */
  rowKey: readonly (keyof Shape & string)[];
  /** Columns whose values identify what a new file replaces wholesale. */
  replaceKey: readonly (keyof Shape & string)[];
  rowChecks: readonly RowCheck[];
  /**
   * Long-form datasets: when a file reports a group (e.g. one `suunta` of a municipality and quarter),
   * the categories it does not list are stored as 0 (DESIGN.md, "Loading").
   */
  impliedZeros?: { category: string; groupedBy: string; values: Readonly<Record<string, readonly string[]>> };
  /**
   * Columns that are by the dataset's own rule the sum of others (when those are reported), e.g.
   * `paattyneet` = the outcomes. Anyone can read these rules, so disclosure control counts a total as
   * its parts (indicators/protect/atoms.ts).
   */
  sumRules?: readonly { total: string; parts: readonly string[] }[];
  /** Example rows for the filled template (as the analyst would type them). */
  example: readonly Record<keyof Shape & string, string>[];
}

export interface ColumnInfo extends FieldMeta {
  name: string;
  description: string;
}

/** The dataset's columns in their canonical order, with their validation metadata. */
export function columnsOf(dataset: DatasetDefinition): ColumnInfo[] {
  return Object.entries(dataset.row.shape).map(([name, schema]) => ({
    name,
    description: (schema as z.ZodType).description ?? name,
    ...fieldMeta(schema as z.ZodType),
  }));
}

/** Declares a dataset; keeps the shape's literal types so the row type can be inferred. */
export function defineDataset<Shape extends z.ZodRawShape>(
  d: DatasetDefinition<Shape, z.ZodObject<Shape>>,
): DatasetDefinition<Shape, z.ZodObject<Shape>> {
  return d;
}
