/** SQL expressions of the pipeline's own for the cells of a file (literals and lists: core/sql.ts). */

/** The characters trimmed from cells: space, tab, no-break and narrow no-break space (a literal, so
 * DuckDB does not build the set again for every row). */
export const WHITESPACE = "' \t\u00a0\u202f'";

/** A category cell as the contract compares it: NFC, lower case, ä→a, ö→o, å→a, spaces and hyphens as `_`. */
export const normalisedCategory = (expr: string): string =>
  `regexp_replace(replace(replace(replace(lower(nfc_normalize(${expr})), 'ä', 'a'), 'ö', 'o'), 'å', 'a'), '[\\s-]+', '_', 'g')`;
