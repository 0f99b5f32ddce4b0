import type { DuckDBValue } from "@duckdb/node-api";

/**
 * The SQL text helpers of every layer: bound parameters for anything that varies, and literals only for
 * text of our own (dataset schemas, settings, our own file paths), never a request's.
 */

/** The values a statement binds: positional ($1, $2) or named ($p1, $name). */
export type QueryValues = DuckDBValue[] | Record<string, DuckDBValue>;

/** Named parameters shared by the parts of one statement ($p1, $p2, …). */
export class Params {
  readonly values: Record<string, DuckDBValue> = {};
  private next = 1;

  /** Binds a value and returns its placeholder. */
  bind(value: DuckDBValue): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `$${name}`;
  }
}

/** A string literal: quotes doubled. Only for text of our own (schemas, settings, paths). */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A list of string literals, for `IN (…)`. */
export const sqlList = (values: readonly string[]): string => values.map(sqlString).join(", ");
