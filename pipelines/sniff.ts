import { type Problem, problem } from "./problem.ts";

export type Encoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";

export type Decoded = { ok: true; text: string; encoding: Encoding } | { ok: false; problem: Problem };

/** File signatures of things analysts send by mistake, with what to tell them. */
const SIGNATURES: { bytes: number[]; fi: string; en: string; fix: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    fi: "Excel-työkirja (.xlsx) tai muu zip-paketti",
    en: "an Excel workbook (.xlsx) or another ZIP archive",
    fix: "Avaa se Excelissä ja tallenna muodossa CSV UTF-8 (Tallenna nimellä → CSV UTF-8).",
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    fi: "vanhan Excelin työkirja (.xls)",
    en: "a legacy Excel workbook (.xls)",
    fix: "Avaa se Excelissä ja tallenna muodossa CSV UTF-8 (Tallenna nimellä → CSV UTF-8).",
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46],
    fi: "PDF-tiedosto",
    en: "a PDF document",
    fix: "Lähetä tiedot CSV-tiedostona.",
  },
  {
    bytes: [0x89, 0x50, 0x4e, 0x47],
    fi: "PNG-kuva",
    en: "a PNG image",
    fix: "Lähetä tiedot CSV-tiedostona, ei kuvana.",
  },
  {
    bytes: [0xff, 0xd8, 0xff],
    fi: "JPEG-kuva",
    en: "a JPEG image",
    fix: "Lähetä tiedot CSV-tiedostona, ei kuvana.",
  },
  {
    bytes: [0x1f, 0x8b],
    fi: "gzip-pakattu tiedosto",
    en: "a gzip archive",
    fix: "Pura paketti ja lähetä CSV-tiedosto.",
  },
];

// Bytes that Windows-1252 leaves undefined: a file holding them is in some other encoding.
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

const ODS_MIMETYPE = "mimetypeapplication/vnd.oasis.opendocument.spreadsheet";

/**
 * An OpenDocument file is a ZIP whose first entry, stored uncompressed, is `mimetype` with the type as
 * its content; the local file header before it is 30 bytes.
 */
function isOpenDocumentSpreadsheet(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return false;
  return new TextDecoder("latin1").decode(bytes.subarray(30, 30 + ODS_MIMETYPE.length)) === ODS_MIMETYPE;
}

/**
 * Decides a file's encoding and decodes it: a BOM decides (UTF-8, UTF-16LE/BE); otherwise strict
 * UTF-8 over the whole file, else Windows-1252. Binary files are named for what they look like.
 */
export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { ok: false, problem: problem("SEU_FILE_EMPTY") };
  if (isOpenDocumentSpreadsheet(bytes)) {
    return {
      ok: false,
      problem: problem(
        "SEU_FILE_BINARY",
        {},
        {
          kind: "OpenDocument-laskentataulukko (.ods)",
          kind_en: "an OpenDocument spreadsheet (.ods)",
          fix: "Avaa se LibreOffice Calcissa ja tallenna muodossa Teksti CSV (Tallenna nimellä → Tekstimuotoinen CSV, merkistö UTF-8).",
        },
      ),
    };
  }
  for (const sig of SIGNATURES) {
    if (startsWith(bytes, sig.bytes)) {
      return {
        ok: false,
        problem: problem("SEU_FILE_BINARY", {}, { kind: sig.fi, kind_en: sig.en, fix: sig.fix }),
      };
    }
  }
  if (startsWith(bytes, [0xff, 0xfe])) return decodeWith(bytes.subarray(2), "utf-16le");
  if (startsWith(bytes, [0xfe, 0xff])) return decodeWith(bytes.subarray(2), "utf-16be");
  const hasBom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = hasBom ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul >= 0)
    return { ok: false, problem: problem("SEU_FILE_NUL_BYTE", {}, { offset: nul + (hasBom ? 3 : 0) }) };
  try {
    return {
      ok: true,
      text: new TextDecoder("utf-8", { fatal: true }).decode(body),
      encoding: hasBom ? "utf-8-bom" : "utf-8",
    };
  } catch {
    if (hasBom) return decodeWith(body, "utf-8-bom"); // reports the bad byte
  }
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (CP1252_UNDEFINED.has(byte)) {
      return {
        ok: false,
        problem: problem(
          "SEU_FILE_ENCODING",
          {},
          { byte: `0x${byte.toString(16).toUpperCase()}`, offset: i },
        ),
      };
    }
  }
  return { ok: true, text: decodeWindows1252(body), encoding: "windows-1252" };
}

/**
 * Windows-1252 characters of bytes 0x80–0x9F (WHATWG Encoding Standard); the five undefined bytes are
 * rejected before decoding. Every other byte is the Unicode code point of the same number.
 */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * Decodes Windows-1252 by table: Node's own TextDecoder("windows-1252") decodes it as Latin-1 since
 * Node 20.18.3 (nodejs/node#60888), which turns €, – and ’ into control characters.
 */
function decodeWindows1252(body: Uint8Array): string {
  const latin1 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] as string);
}

function decodeWith(body: Uint8Array, encoding: Encoding): Decoded {
  const label = encoding === "utf-8-bom" ? "utf-8" : encoding;
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true }).decode(body), encoding };
  } catch {
    const offset = firstInvalidOffset(body, label);
    return {
      ok: false,
      problem: problem(
        "SEU_FILE_ENCODING",
        {},
        { byte: `0x${(body[offset] ?? 0).toString(16).toUpperCase()}`, offset },
      ),
    };
  }
}

/** Narrows down where a decoder first fails (for the report only, so a bisection is enough). */
function firstInvalidOffset(body: Uint8Array, label: string): number {
  let lo = 0;
  let hi = body.length;
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      // stream mode: a multi-byte character cut at the end is not an error
      new TextDecoder(label, { fatal: true }).decode(body.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
