import { type ColumnInfo, columnsOf, type DatasetDefinition } from "./datasets/dataset.ts";
import { DATASETS } from "./datasets/index.ts";

/**
 * Normalises a header cell or category value: trimmed, NFC, lower case, ä→a, ö→o, å→a, and spaces
 * or hyphens as `_`. Quotes around a cell are removed by the caller.
 */
export function normaliseName(cell: string): string {
  return cell
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replaceAll("ä", "a")
    .replaceAll("ö", "o")
    .replaceAll("å", "a")
    .replace(/[\s-]+/g, "_");
}

export interface HeaderMatch {
  dataset: DatasetDefinition;
  /** For each canonical column, the index of the file's column that holds it. */
  columnIndex: Map<string, number>;
  /** Header cells that are not columns of the dataset (ignored with a warning). */
  extras: string[];
  /** Canonical columns the header lacks. */
  missing: string[];
}

/** Matches header cells against one dataset: which columns are found where, which are missing. */
export function matchHeader(cells: readonly string[], dataset: DatasetDefinition): HeaderMatch {
  const columns = columnsOf(dataset);
  const names = new Map<string, ColumnInfo>();
  for (const column of columns) {
    names.set(column.name, column);
    for (const alias of column.aliases ?? []) if (!names.has(alias)) names.set(alias, column);
  }
  const columnIndex = new Map<string, number>();
  const extras: string[] = [];
  cells.forEach((cell, index) => {
    const column = names.get(normaliseName(cell));
    if (column && !columnIndex.has(column.name)) columnIndex.set(column.name, index);
    else extras.push(cell.trim() === "" ? `(sarake ${index + 1} ilman otsikkoa)` : cell.trim());
  });
  const missing = columns.filter((c) => !columnIndex.has(c.name)).map((c) => c.name);
  return { dataset, columnIndex, extras, missing };
}

/** The dataset whose every column the header names, or null. */
export function datasetOfHeader(cells: readonly string[]): HeaderMatch | null {
  for (const dataset of DATASETS) {
    const match = matchHeader(cells, dataset);
    if (match.missing.length === 0) return match;
  }
  return null;
}

/** The dataset a non-matching header comes closest to (most columns found), for the error message. */
export function closestDataset(candidateLines: readonly (readonly string[])[]): HeaderMatch {
  let best: HeaderMatch | null = null;
  let bestScore = -1;
  for (const cells of candidateLines) {
    for (const dataset of DATASETS) {
      const match = matchHeader(cells, dataset);
      const score = match.columnIndex.size / columnsOf(dataset).length;
      if (score > bestScore) {
        best = match;
        bestScore = score;
      }
    }
  }
  return best ?? matchHeader([], DATASETS[0] as DatasetDefinition);
}
