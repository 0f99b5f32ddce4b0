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
  /** Whether the text ends with a line break (a last record without one may be truncated). */
  endsWithLineBreak: boolean;
}

class Growable {
  data: Int32Array;
  constructor(size: number) {
    this.data = new Int32Array(Math.max(16, size));
  }
  set(index: number, value: number) {
    if (index >= this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[index] = value;
  }
}

/**
 * Scans records of `text` split by `delimiter`. `cutFields` names the field count after which
 * `cutAt` is recorded (so extra empty trailing fields can be cut off); `maxRecords` stops early.
 */
export function scanRecords(
  text: string,
  delimiter: string,
  options: { cutFields?: number; maxRecords?: number } = {},
): RecordScan {
  const delim = delimiter.charCodeAt(0);
  const cutFields = options.cutFields ?? 0;
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const estimate = Math.min(maxRecords, Math.ceil(text.length / 20) + 16);
  const start = new Growable(estimate);
  const end = new Growable(estimate);
  const line = new Growable(estimate);
  const fields = new Growable(estimate);
  const used = new Growable(estimate);
  const cutAt = new Growable(estimate);
  const firstEnd = new Growable(estimate);
  const longCells: RecordScan["longCells"] = [];

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

  const endField = (pos: number) => {
    if (fieldHasContent) lastUsed = fieldIndex;
    const length = pos - fieldStart - fieldQuotes;
    if (length > MAX_CELL_LENGTH) longCells.push({ record: count, field: fieldIndex, length });
    if (fieldIndex === 0) recordFirstEnd = pos;
    if (fieldIndex + 1 === cutFields) recordCut = pos;
    fieldHasContent = false;
    fieldQuotes = 0;
  };
  const endRecord = (pos: number) => {
    start.set(count, recordStart);
    end.set(count, pos);
    line.set(count, recordLine);
    fields.set(count, fieldIndex + 1);
    used.set(count, lastUsed + 1);
    cutAt.set(count, recordCut);
    firstEnd.set(count, recordFirstEnd);
    count++;
    fieldIndex = 0;
    lastUsed = -1;
    recordCut = -1;
    recordFirstEnd = -1;
  };

  let i = 0;
  for (; i < n && count < maxRecords; i++) {
    const ch = text.charCodeAt(i);
    if (inQuote) {
      if (ch === QUOTE) {
        fieldQuotes++;
        if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuote = false;
      } else if (ch === LF) currentLine++;
      else if (ch === CR && (i + 1 >= n || text.charCodeAt(i + 1) !== LF)) currentLine++;
      continue;
    }
    if (ch === QUOTE) {
      fieldQuotes++;
      inQuote = true;
      quoteRecord = count;
      fieldHasContent = true;
    } else if (ch === delim) {
      endField(i);
      fieldIndex++;
      fieldStart = i + 1;
    } else if (ch === LF || ch === CR) {
      endField(i);
      endRecord(i);
      if (ch === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
      currentLine++;
      recordStart = i + 1;
      recordLine = currentLine;
      fieldStart = i + 1;
    } else if (ch !== SPACE && ch !== TAB && ch !== 0xa0) {
      fieldHasContent = true;
    }
  }
  const unclosedQuoteRecord = inQuote ? quoteRecord : -1;
  const last = n === 0 ? -1 : text.charCodeAt(n - 1);
  const endsWithLineBreak = last === LF || last === CR;
  if (count < maxRecords && i >= n && recordStart < n && !inQuote) {
    endField(n);
    endRecord(n);
  } else if (inQuote && count < maxRecords) {
    // the rest of the file is one unterminated record; keep it so the report can point at it
    endField(n);
    endRecord(n);
  }
  return {
    count,
    start: start.data.subarray(0, count),
    end: end.data.subarray(0, count),
    line: line.data.subarray(0, count),
    fields: fields.data.subarray(0, count),
    used: used.data.subarray(0, count),
    cutAt: cutAt.data.subarray(0, count),
    firstEnd: firstEnd.data.subarray(0, count),
    longCells,
    unclosedQuoteRecord,
    endsWithLineBreak,
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
