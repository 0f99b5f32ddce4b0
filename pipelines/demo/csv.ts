import type { Cells } from "./kuntouttava.ts";

/** How a file was saved: the variants Excel and client systems really write (DESIGN.md, "Reading a file"). */
export interface CsvFormat {
  encoding: "utf-8" | "utf-8-bom" | "windows-1252" | "utf-16le";
  delimiter: ";" | "," | "\t";
  eol: "\r\n" | "\n";
  /** Column titles as a person types them ("Päättyneet") instead of the canonical names. */
  typedHeaders?: boolean;
  /** A title line above the header, as a report exported from a client system often has. */
  title?: string;
  /** A last "Yhteensä" row summing the count columns, as an analyst adds in Excel. */
  totalRow?: boolean;
  /** What the variant is, in Finnish (for the demo summary). */
  label: string;
}

/** Excel's "CSV UTF-8 (pilkuin eroteltu)" in a Finnish locale: BOM, semicolons, CRLF. */
export const EXCEL_CSV_UTF8: CsvFormat = {
  encoding: "utf-8-bom",
  delimiter: ";",
  eol: "\r\n",
  label: "Excel, CSV UTF-8",
};

/** Canonical column names as a person would title them, with the Finnish letters back in. */
const TYPED: Record<string, string> = {
  kunta: "Kunta",
  vuosineljannes: "Vuosineljännes",
  asiakkaat: "Asiakkaat",
  aloittaneet: "Aloittaneet",
  paattyneet: "Päättyneet",
  tyo: "Työ",
  palkkatuettu_tyo: "Palkkatuettu työ",
  opiskelu: "Opiskelu",
  te_palvelut: "TE-palvelut",
  tyoton: "Työtön",
  jatkaa: "Jatkaa",
  sote_palvelut: "Sote-palvelut",
  muu_toimeentulo: "Muu toimeentulo",
  muutto: "Muutto",
  ei_tietoa: "Ei tietoa",
  kohderyhma: "Kohderyhmä",
  palkkatyo: "Palkkatyö",
  avotyotoiminta: "Avotyötoiminta",
  tyotoiminta: "Työtoiminta",
  paivatoiminta: "Päivätoiminta",
  tyohonvalmennus: "Työhönvalmennus",
  suunta: "Suunta",
  luokka: "Luokka",
  lukumaara: "Lukumäärä",
};

/** Quotes a cell only when it needs it, as Excel does. */
function quoteCell(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** The file's text: optional title line, header, records, optional total row. */
export function csvText(columns: readonly string[], rows: readonly Cells[], format: CsvFormat): string {
  const lines: string[][] = [];
  if (format.title) lines.push([format.title]);
  lines.push(columns.map((c) => (format.typedHeaders ? (TYPED[c] ?? c) : c)));
  for (const row of rows) lines.push(columns.map((c) => row[c] ?? ""));
  if (format.totalRow) {
    // sums only the columns where every row holds a number, like an Excel SUM row over counts
    lines.push(
      columns.map((c, i) => {
        if (i === 0) return "Yhteensä";
        const values = rows.map((r) => r[c] ?? "");
        return values.every((v) => /^\d+$/.test(v)) ? String(values.reduce((s, v) => s + Number(v), 0)) : "";
      }),
    );
  }
  return lines
    .map((cells) => cells.map((c) => quoteCell(c, format.delimiter)).join(format.delimiter) + format.eol)
    .join("");
}

// Windows-1252 differs from Latin-1 only in 0x80–0x9F.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

function encodeWindows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const high = CP1252_HIGH.indexOf(text[i] as string);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes[i] = code;
    else if (high >= 0 && ![0x01, 0x0d, 0x0f, 0x10, 0x1d].includes(high)) bytes[i] = 0x80 + high;
    else throw new Error(`character U+${code.toString(16)} has no Windows-1252 byte`);
  }
  return bytes;
}

/** The file's bytes in the format's encoding (with the BOM Excel writes where it writes one). */
export function encodeCsv(text: string, format: CsvFormat): Uint8Array {
  switch (format.encoding) {
    case "utf-8":
      return Buffer.from(text, "utf8");
    case "utf-8-bom":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    case "utf-16le":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "windows-1252":
      return encodeWindows1252(text);
  }
}
