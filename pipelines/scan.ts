/**
 * A single pass over decoded CSV text that finds record boundaries (respecting quotes), the physical
 * line each record starts on, and field counts, without building a string per cell. The cells
 * themselves are parsed later by DuckDB; this pass gives what DuckDB cannot: line numbers, Excel row
 * numbers, blank and total rows, ragged rows and unbalanced quotes.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

const isBlank = (ch: number) => ch === SPACE || ch === TAB || ch === 0xa0 || ch === 0x202f;

/** Longest cell accepted (DESIGN.md: a cell over 1 000 characters is an error). */
export const MAX_CELL_LENGTH = 1000;

export interface RecordScan {
  count: number;
  /** Char offset where the record starts. */
  start: Int32Array;
  /** Char offset where the record ends (before its line break). */
  end: Int32Array;
  /** Physical line (1-based) where the record starts. */
  line: Int32Array;
  /** Number of fields (delimiters outside quotes + 1). */
  fields: Int32Array;
  /** Fields up to the last non-blank one: trailing empty fields do not count. */
  used: Int32Array;
  /** Char offset where field number `cutFields` ends (-1 if the record has fewer fields). */
  cutAt: Int32Array;
  /** Char offset where the first field ends. */
  firstEnd: Int32Array;
  /** Cells longer than MAX_CELL_LENGTH: record index, field index and length. */
  longCells: { record: number; field: number; length: number }[];
  /** Index of the record whose opening quote is never closed, or -1. */
  unclosedQuoteRecord: number;
  /** Whether some cell may need trimming: one starts or ends with white space, or is quoted. */
  paddedCells: boolean;
  /** How many records ended in each kind of line break (DuckDB reads a file with one kind only). */
  lineBreaks: { lf: number; crlf: number; cr: number };
  /** Whether the text ends with a line break (a last record without one may be truncated). */
  endsWithLineBreak: boolean;
}

/**
 * Scans records of `text` split by `delimiter`. `cutFields` names the field count after which
 * `cutAt` is recorded (so extra empty trailing fields can be cut off); `maxRecords` stops early.
 * The loop is written out by hand (no closures, typed arrays): it runs once per character of files
 * with a million rows.
 */
export function scanRecords(
  text: string,
  delimiter: string,
  options: { cutFields?: number; maxRecords?: number } = {},
): RecordScan {
  const delim = delimiter.charCodeAt(0);
  const cutFields = options.cutFields ?? 0;
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  let capacity = Math.max(16, Math.min(maxRecords, Math.ceil(text.length / 16) + 16));
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let line = new Int32Array(capacity);
  let fields = new Int32Array(capacity);
  let used = new Int32Array(capacity);
  let cutAt = new Int32Array(capacity);
  let firstEnd = new Int32Array(capacity);
  const longCells: RecordScan["longCells"] = [];
  const grow = () => {
    capacity *= 2;
    const bigger = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    start = bigger(start);
    end = bigger(end);
    line = bigger(line);
    fields = bigger(fields);
    used = bigger(used);
    cutAt = bigger(cutAt);
    firstEnd = bigger(firstEnd);
  };

  const n = text.length;
  let count = 0;
  let currentLine = 1;
  let recordStart = 0;
  let recordLine = 1;
  let fieldIndex = 0;
  let fieldStart = 0;
  let fieldHasContent = false;
  // quote characters of the current field that are not part of its value (a cell's length is its value's)
  let fieldQuotes = 0;
  let lastUsed = -1;
  let recordCut = -1;
  let recordFirstEnd = -1;
  let inQuote = false;
  let quoteRecord = -1;
  let padded = false;
  let lf = 0;
  let crlf = 0;
  let cr = 0;

  let i = 0;
  for (; i <= n && count < maxRecords; i++) {
    // Runs of characters that change nothing but "the field has content" go by in a tight loop
    // (most of a file): inside quotes everything but a quote or a line break, outside them everything
    // above the quote character except the delimiter and the no-break space (blank, not content).
    if (inQuote) {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === QUOTE || c === LF || c === CR) break;
        i++;
      }
    } else {
      const from = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c <= QUOTE || c === delim || c === 0xa0) break;
        i++;
      }
      if (i > from) fieldHasContent = true;
    }
    const ch = i < n ? text.charCodeAt(i) : LF; // a virtual line break ends the last record
    if (inQuote) {
      if (i === n) break;
      if (ch === QUOTE) {
        fieldQuotes++;
        if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuote = false;
      } else if (ch === LF) currentLine++;
      else if (ch === CR && (i + 1 >= n || text.charCodeAt(i + 1) !== LF)) currentLine++;
      continue;
    }
    if (ch === delim || ch === LF || ch === CR) {
      if (i === n && recordStart >= n) break; // the text ended with a line break: no last record
      // end of a field
      if (fieldHasContent) lastUsed = fieldIndex;
      const length = i - fieldStart - fieldQuotes;
      if (
        !padded &&
        i > fieldStart &&
        (isBlank(text.charCodeAt(fieldStart)) || isBlank(text.charCodeAt(i - 1)))
      ) {
        padded = true;
      }
      if (length > MAX_CELL_LENGTH) longCells.push({ record: count, field: fieldIndex, length });
      if (fieldIndex === 0) recordFirstEnd = i;
      if (fieldIndex + 1 === cutFields) recordCut = i;
      fieldHasContent = false;
      fieldQuotes = 0;
      if (ch === delim) {
        fieldIndex++;
        fieldStart = i + 1;
        continue;
      }
      // end of a record
      if (count === capacity) grow();
      start[count] = recordStart;
      end[count] = i;
      line[count] = recordLine;
      fields[count] = fieldIndex + 1;
      used[count] = lastUsed + 1;
      cutAt[count] = recordCut;
      firstEnd[count] = recordFirstEnd;
      count++;
      fieldIndex = 0;
      lastUsed = -1;
      recordCut = -1;
      recordFirstEnd = -1;
      if (ch === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) {
        i++;
        crlf++;
      } else if (ch === CR) cr++;
      else if (i < n) lf++;
      currentLine++;
      recordStart = i + 1;
      recordLine = currentLine;
      fieldStart = i + 1;
    } else if (ch === QUOTE) {
      fieldQuotes++;
      inQuote = true;
      padded = true;
      quoteRecord = count;
      fieldHasContent = true;
    } else if (ch !== SPACE && ch !== TAB && ch !== 0xa0) {
      fieldHasContent = true;
    }
  }
  const unclosedQuoteRecord = inQuote ? quoteRecord : -1;
  if (inQuote && count < maxRecords) {
    // the rest of the file is one unterminated record; keep it so the report can point at it
    if (fieldHasContent) lastUsed = fieldIndex;
    if (count === capacity) grow();
    start[count] = recordStart;
    end[count] = n;
    line[count] = recordLine;
    fields[count] = fieldIndex + 1;
    used[count] = lastUsed + 1;
    cutAt[count] = recordCut;
    firstEnd[count] = fieldIndex === 0 ? n : recordFirstEnd;
    count++;
  }
  const last = n === 0 ? -1 : text.charCodeAt(n - 1);
  return {
    count,
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    line: line.subarray(0, count),
    fields: fields.subarray(0, count),
    used: used.subarray(0, count),
    cutAt: cutAt.subarray(0, count),
    firstEnd: firstEnd.subarray(0, count),
    longCells,
    unclosedQuoteRecord,
    paddedCells: padded,
    lineBreaks: { lf, crlf, cr },
    endsWithLineBreak: last === LF || last === CR,
  };
}

/** Splits one record's text into cells, removing quotes (`""` inside quotes is one `"`). */
export function splitCells(record: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let inQuote = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (inQuote) {
      if (ch === '"') {
        if (record[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuote = false;
      } else cell += ch;
    } else if (ch === '"') inQuote = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
