import type { DatasetDefinition } from "./datasets/dataset.ts";
import { closestDataset, datasetOfHeader, type HeaderMatch, normaliseName } from "./headers.ts";
import { type Problem, problem } from "./problem.ts";
import { type RecordScan, scanRecords, splitCells } from "./scan.ts";

const DELIMITERS = [";", ",", "\t"] as const;
const HEADER_SEARCH_LINES = 10;
const TOTAL_WORDS = new Set(["yhteensä", "yhteensa", "summa", "total", "totalt"]);

/**
 * How DuckDB is to read a file's data records. `direct`: the decoded text itself, skipping the first
 * `skipLines` lines, where the n-th data record (from 0) is Excel row `firstRow + n` on line
 * `firstLine + n` — possible when the file has no blank, multi-line, skipped or broken records among
 * its data. `numbered`: every data record prefixed with its row and line number.
 */
export type Staging =
  | { kind: "direct"; text: string; skipLines: number; firstRow: number; firstLine: number }
  | { kind: "numbered"; text: string };

/** A file whose header was found: what the staging step needs, plus structural problems. */
export interface ReadFile {
  ok: true;
  dataset: DatasetDefinition;
  match: HeaderMatch;
  delimiter: string;
  /** Number of columns the header has (trailing empty header cells not counted). */
  columnCount: number;
  staging: Staging;
  /** Whether some cell may need trimming (see RecordScan.paddedCells). */
  paddedCells: boolean;
  /** The numbered staging text, whatever `staging` is (DuckDB needs it when it reads a file differently). */
  numberedStaging: () => string;
  dataRows: number;
  problems: Problem[];
}

export type ReadResult = ReadFile | { ok: false; problems: Problem[] };

interface HeaderFound {
  record: number;
  delimiter: string;
  match: HeaderMatch;
  cells: string[];
}

/** A first cell as compared with the total words: NFC, lower case, without a trailing colon. */
const totalWord = (cell: string) => cell.normalize("NFC").toLowerCase().replace(/:$/, "").trim();

const stripQuotes = (cell: string) =>
  cell
    .trim()
    .replace(/^"(.*)"$/s, "$1")
    .trim();

/** Finds the header among the first records and, for a `sep=` line, the delimiter it declares. */
function findHeader(text: string): { found: HeaderFound | null; sepLine: boolean; candidates: string[][] } {
  const firstLine = text.slice(0, Math.min(text.length, 20)).split(/\r\n|\n|\r/, 1)[0] ?? "";
  const sep = /^"?sep=(.)"?\s*$/i.exec(firstLine);
  const declared = sep?.[1];
  const order = declared ? [declared, ...DELIMITERS.filter((d) => d !== declared)] : [...DELIMITERS];
  const scans = new Map<string, RecordScan>(
    order.map((d) => [d, scanRecords(text, d, { maxRecords: HEADER_SEARCH_LINES })]),
  );
  const candidates: string[][] = [];
  for (let record = 0; record < HEADER_SEARCH_LINES; record++) {
    for (const delimiter of order) {
      const scan = scans.get(delimiter) as RecordScan;
      if (record >= scan.count) continue;
      const cells = splitCells(text.slice(scan.start[record], scan.end[record]), delimiter).map((c) =>
        c.trim(),
      );
      while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
      candidates.push(cells);
      const match = datasetOfHeader(cells);
      if (match) return { found: { record, delimiter, match, cells }, sepLine: Boolean(sep), candidates };
    }
  }
  return { found: null, sepLine: Boolean(sep), candidates };
}

/** How DuckDB would read the file's data records directly, as far as its first lines tell. */
export interface ExpectedLayout {
  delimiter: string;
  columnCount: number;
  skipLines: number;
}

/**
 * The direct staging that readCsvText will choose for a regular file, from the header alone (the first
 * few records): DuckDB can start reading the data with it while the whole text is still being scanned.
 * Null when there is no header, or when records above the data span several lines (then the layout is
 * not regular). Whether the guess holds is up to the scan: see stage in validate.ts.
 */
export function expectedLayout(text: string): ExpectedLayout | null {
  const { found } = findHeader(text);
  if (!found) return null;
  const firstData = found.record + 1;
  const scan = scanRecords(text, found.delimiter, { maxRecords: firstData + 1 });
  if (scan.count <= firstData || scan.line[firstData] !== firstData + 1) return null;
  return { delimiter: found.delimiter, columnCount: found.cells.length, skipLines: firstData };
}

/**
 * Reads the structure of decoded CSV text: finds the header and dataset, sorts records into data,
 * blank, repeated-header and total rows, and reports ragged rows, unbalanced quotes and long cells.
 */
export function readCsvText(text: string): ReadResult {
  const { found, sepLine, candidates } = findHeader(text);
  if (!found) {
    if (text.trim() === "") return { ok: false, problems: [problem("SEU_FILE_EMPTY")] };
    const closest = closestDataset(candidates);
    return {
      ok: false,
      problems: [
        problem(
          "SEU_FILE_NO_HEADER",
          {},
          {
            dataset: closest.dataset.name,
            title: closest.dataset.title.fi,
            missing: closest.missing.join(", "),
          },
        ),
      ],
    };
  }
  const { delimiter, match } = found;
  const columnCount = found.cells.length;
  const scan = scanRecords(text, delimiter, { cutFields: columnCount });
  // Excel does not show a `sep=` line, so rows are numbered as if it were not there.
  const rowOf = (record: number) => record + 1 - (sepLine ? 1 : 0);
  const problems: Problem[] = [];
  const place = (record: number, column: string | null = null, value: string | null = null) => ({
    row: rowOf(record),
    line: scan.line[record] as number,
    column,
    value,
  });

  if (found.record > 0) {
    problems.push(problem("SEU_CSV_LINES_ABOVE_HEADER", place(found.record), { count: found.record }));
  }
  if (match.extras.length > 0) {
    problems.push(
      problem("SEU_CSV_EXTRA_COLUMNS", place(found.record), { columns: match.extras.join(", ") }),
    );
  }

  const headerFirst = normaliseName(found.cells[0] ?? "");
  const headerNames = found.cells.map(normaliseName);
  const isHeaderAgain = (record: string) => {
    const cells = splitCells(record, delimiter).map(normaliseName);
    while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
    return cells.length === headerNames.length && cells.every((c, i) => c === headerNames[i]);
  };
  let lastUsedRecord = scan.count - 1;
  while (lastUsedRecord > found.record && scan.used[lastUsedRecord] === 0) lastUsedRecord--;
  // problems name a dataset column by its canonical name (as value checks do), other columns as written
  const canonicalAt = new Map([...match.columnIndex].map(([name, index]) => [index, name]));
  const columnNameAt = (index: number) =>
    canonicalAt.get(index) ?? (found.cells[index]?.trim() || `sarake ${index + 1}`);

  const neededFields = Math.max(...match.columnIndex.values()) + 1;
  const firstData = found.record + 1;
  // the records DuckDB is to read; and whether they can be read straight from the text
  const take = new Uint8Array(scan.count);
  const breakKinds = Object.values(scan.lineBreaks).filter((n) => n > 0).length;
  let regular =
    (scan.line[firstData] ?? firstData + 1) === firstData + 1 && breakKinds <= 1 && scan.lineBreaks.cr === 0;
  let dataRows = 0;
  for (let r = firstData; r < scan.count; r++) {
    if (scan.used[r] === 0) {
      // DuckDB skips an empty line but reads `;;;` as a row: either shifts the row numbers
      regular = false;
      continue;
    }
    const start = scan.start[r] as number;
    if (r === scan.unclosedQuoteRecord) {
      problems.push(problem("SEU_CSV_UNBALANCED_QUOTE", place(r)));
      regular = false;
      continue;
    }
    // header words and total words start with a letter; nearly every data row starts with a digit
    const c0 = text.charCodeAt(start);
    if (!(c0 >= 48 && c0 <= 57)) {
      const first = stripQuotes(text.slice(start, scan.firstEnd[r]));
      // the first cell is a cheap pre-check; a repeated header is the whole header line again
      if (normaliseName(first) === headerFirst && isHeaderAgain(text.slice(start, scan.end[r]))) {
        problems.push(problem("SEU_CSV_REPEATED_HEADER", place(r)));
        regular = false;
        continue;
      }
      if (TOTAL_WORDS.has(totalWord(first))) {
        if (r === lastUsedRecord) problems.push(problem("SEU_CSV_TOTAL_ROW_IGNORED", place(r, null, first)));
        else problems.push(problem("SEU_CSV_TOTAL_ROW_NOT_LAST", place(r, null, first)));
        regular = false;
        continue;
      }
    }
    const fields = scan.fields[r] as number;
    const used = scan.used[r] as number;
    // a row that stops before trailing columns the dataset does not use is padded, not rejected
    const padding = fields < columnCount && fields >= neededFields ? columnCount - fields : 0;
    if ((fields < columnCount && padding === 0) || used > columnCount) {
      const truncated = r === scan.count - 1 && !scan.endsWithLineBreak && fields < columnCount;
      problems.push(
        problem(truncated ? "SEU_CSV_TRUNCATED_LAST_LINE" : "SEU_CSV_RAGGED_ROW", place(r), {
          found: used > columnCount ? used : fields,
          expected: columnCount,
          delimiter: delimiter === "\t" ? "sarkain" : delimiter,
        }),
      );
      regular = false;
      continue;
    }
    if (fields !== columnCount || scan.line[r] !== (scan.line[firstData] as number) + (r - firstData))
      regular = false;
    take[r] = 1;
    dataRows++;
  }
  const numberedStaging = () => {
    const parts: string[] = [];
    for (let r = firstData; r < scan.count; r++) {
      if (take[r] === 0) continue;
      const fields = scan.fields[r] as number;
      const end = fields > columnCount ? (scan.cutAt[r] as number) : (scan.end[r] as number);
      const padding = fields < columnCount ? delimiter.repeat(columnCount - fields) : "";
      parts.push(
        `${rowOf(r)}${delimiter}${scan.line[r]}${delimiter}${text.slice(scan.start[r], end)}${padding}\n`,
      );
    }
    return parts.join("");
  };
  const firstLine = scan.line[firstData] as number;
  const staging: Staging = regular
    ? { kind: "direct", text, skipLines: firstLine - 1, firstRow: rowOf(firstData), firstLine }
    : { kind: "numbered", text: numberedStaging() };
  for (const cell of scan.longCells) {
    if (cell.record <= found.record) continue;
    problems.push(
      problem("SEU_CSV_CELL_TOO_LONG", place(cell.record, columnNameAt(cell.field)), { length: cell.length }),
    );
  }
  if (
    dataRows === 0 &&
    !problems.some((p) => p.code === "SEU_CSV_RAGGED_ROW" || p.code === "SEU_CSV_UNBALANCED_QUOTE")
  ) {
    problems.push(problem("SEU_FILE_NO_ROWS"));
  }
  return {
    ok: true,
    dataset: match.dataset,
    match,
    delimiter,
    columnCount,
    staging,
    paddedCells: scan.paddedCells,
    numberedStaging,
    dataRows,
    problems,
  };
}
