import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { decodeBytes } from "../../pipelines/sniff.ts";
import { codes, cp1252, TIIMI_HEADER, theOne, useEnv, utf8bom, utf16be, utf16le } from "./csv.ts";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", name));
const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const t = useEnv();
const TIIMI_ROW = "179;2024Q1;tulo;kela;5";

describe("encodings", () => {
  test("a plain UTF-8 file is read as UTF-8", async () => {
    const report = await t.check(`${TIIMI_HEADER}\nJyväskylä;2024Q1;lähtö;työkokeilu;5\n`);
    expect(report.status).toBe("valid");
    expect(report.encoding).toBe("utf-8");
  });

  test("a UTF-8 file with BOM is read and the BOM is not part of the first header cell", async () => {
    const report = await t.check(fixture("vammaispalvelut-utf8-bom.csv"));
    expect(report.status).toBe("valid");
    expect(report.encoding).toBe("utf-8-bom");
    expect(report.dataset).toBe("vammaispalvelut");
    expect(codes(report.warnings)).not.toContain("SEU_CSV_EXTRA_COLUMNS");
  });

  test("a Swedish municipality name with Å in a UTF-8 BOM file is mapped to its code", async () => {
    const report = await t.check(fixture("vammaispalvelut-utf8-bom.csv"));
    const name = theOne(report.warnings, "SEU_VAL_KUNTA_NAME");
    expect(name.value).toBe("Åbo");
    expect(name.message).toContain("853");
  });

  test("the Windows-1252 fixture really is Windows-1252 (ä as the single byte 0xE4, not UTF-8)", () => {
    const bytes = fixture("kuntouttava-windows1252.csv");
    expect(isUtf8(bytes)).toBe(false);
    expect(bytes.includes(0xe4)).toBe(true);
    expect(bytes.includes(Buffer.from("ä", "utf8"))).toBe(false);
  });

  test("a Windows-1252 file with ä in municipality names and headers is read", async () => {
    const report = await t.check(fixture("kuntouttava-windows1252.csv"));
    expect(report.errors).toEqual([]);
    expect(report.status).toBe("valid");
    expect(report.encoding).toBe("windows-1252");
    expect(report.dataset).toBe("kuntouttava");
    expect(report.rows).toBe(3);
    const names = report.warnings.filter((w) => w.code === "SEU_VAL_KUNTA_NAME").map((w) => w.value);
    expect(names).toEqual(["Jyväskylä", "Hämeenlinna", "Mäntyharju"]);
  });

  test("a Windows-1252 file with sep=;, a title row and an error in a name is reported at the right row", async () => {
    const text = `sep=;\r\nTyökyvyn tuen tiimi, Hämeenlinna\r\n${TIIMI_HEADER}\r\nHämeenlinna;2024Q1;tulo;kela;5\r\nHämeenlina;2024Q1;tulo;muu;2\r\n`;
    const report = await t.check(cp1252(text));
    expect(report.encoding).toBe("windows-1252");
    const e = theOne(report.errors, "SEU_VAL_KUNTA_UNKNOWN");
    expect(e).toMatchObject({ row: 4, line: 5, value: "Hämeenlina" });
    expect(e.message).toContain("Hämeenlinna (109)");
  });

  test("Windows-1252 characters of the 0x80–0x9F block (€, –) are decoded as Windows-1252", () => {
    const bytes = Buffer.concat([
      Buffer.from("Raportti 2024 "),
      Buffer.from([0x96, 0x20, 0x80, 0x20, 0xe4]),
      Buffer.from("\n"),
    ]);
    const decoded = decodeBytes(bytes);
    expect(decoded).toMatchObject({ ok: true, encoding: "windows-1252", text: "Raportti 2024 – € ä\n" });
  });

  test("every defined byte of 0x80–0x9F decodes to its Windows-1252 character", () => {
    const bytes = [];
    for (let b = 0x80; b < 0xa0; b++) if (![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b)) bytes.push(b);
    const decoded = decodeBytes(Buffer.from(bytes));
    expect(decoded).toMatchObject({ ok: true, text: "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ" });
  });

  test("a file that is not UTF-8 throughout is decoded as Windows-1252 as a whole", () => {
    const bytes = Buffer.concat([Buffer.from("ä;", "utf8"), Buffer.from([0xe4, 0x0a])]);
    const decoded = decodeBytes(bytes);
    expect(decoded).toMatchObject({ ok: true, encoding: "windows-1252", text: "Ã¤;ä\n" });
  });

  test.each([0x81, 0x8d, 0x8f, 0x90, 0x9d].map((byte) => ({ byte, hex: byte.toString(16).toUpperCase() })))(
    "the byte 0x$hex that Windows-1252 leaves undefined rejects the file",
    async ({ byte }) => {
      const bytes = Buffer.concat([
        Buffer.from(`${TIIMI_HEADER}\n`),
        Buffer.from([0x4a, 0x79, 0x76, byte, 0x73]),
        Buffer.from(";2024Q1;tulo;kela;5\n"),
      ]);
      const report = await t.check(bytes);
      expect(report.status).toBe("rejected");
      const problem = theOne(report.errors, "SEU_FILE_ENCODING");
      expect(problem.message).toContain(`0x${byte.toString(16).toUpperCase()}`);
      expect(problem.message).toContain(`kohta ${TIIMI_HEADER.length + 1 + 3}`);
    },
  );

  test("the UTF-16LE fixture really is UTF-16LE with BOM", () => {
    const bytes = fixture("tiimi-utf16le.txt");
    expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0xfe, 0x6b, 0x00]);
  });

  test('a UTF-16LE "Unicode text" file (BOM, tabs, CRLF, ä in names and categories) is read', async () => {
    const report = await t.check(fixture("tiimi-utf16le.txt"));
    expect(report.errors).toEqual([]);
    expect(report.status).toBe("valid");
    expect(report.encoding).toBe("utf-16le");
    expect(report.dataset).toBe("tiimi");
    expect(report.rows).toBe(2);
    expect(theOne(report.warnings, "SEU_VAL_KUNTA_NAME").value).toBe("Jyväskylä");
  });

  test("a UTF-16BE file with BOM is read", async () => {
    const report = await t.check(utf16be(`${TIIMI_HEADER}\r\nJyväskylä;2024Q1;tulo;kela;5\r\n`));
    expect(report.errors).toEqual([]);
    expect(report.status).toBe("valid");
    expect(report.encoding).toBe("utf-16be");
  });

  test("UTF-16LE made here from text with ; delimiters is read the same as its UTF-8 form", async () => {
    const text = `${TIIMI_HEADER}\r\n${TIIMI_ROW}\r\n`;
    const a = await t.check(utf16le(text));
    const b = await t.check(text);
    expect({ ...a, sha256: "", encoding: "" }).toEqual({ ...b, sha256: "", encoding: "" });
  });

  test("a UTF-8 BOM decides the encoding: invalid UTF-8 after it rejects the file", async () => {
    const bytes = Buffer.concat([
      utf8bom(`${TIIMI_HEADER}\n`),
      Buffer.from([0xe4]),
      Buffer.from(";2024Q1\n"),
    ]);
    const report = await t.check(bytes);
    expect(report.status).toBe("rejected");
    expect(codes(report.errors)).toEqual(["SEU_FILE_ENCODING"]);
  });
});

describe("not a text CSV", () => {
  test("a NUL byte in a UTF-8 file rejects it as not a text CSV", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${TIIMI_HEADER}\n179;2024Q1;tulo;kela;5`),
      Buffer.from([0, 0x0a]),
    ]);
    const report = await t.check(bytes);
    expect(report.status).toBe("rejected");
    const problem = theOne(report.errors, "SEU_FILE_NUL_BYTE");
    expect(problem.message).toContain("ei ole tekstimuotoinen CSV");
  });

  test("a NUL byte in a Windows-1252 file rejects it", async () => {
    const bytes = Buffer.concat([Buffer.from(`${TIIMI_HEADER}\nJyv`), Buffer.from([0xe4, 0, 0x0a])]);
    const report = await t.check(bytes);
    expect(codes(report.errors)).toEqual(["SEU_FILE_NUL_BYTE"]);
  });

  test("UTF-16LE without a BOM is rejected as not a text CSV (its NUL bytes)", async () => {
    const report = await t.check(Buffer.from(`${TIIMI_HEADER}\r\n${TIIMI_ROW}\r\n`, "utf16le"));
    expect(codes(report.errors)).toEqual(["SEU_FILE_NUL_BYTE"]);
  });

  test("an Excel workbook (.xlsx) is rejected saying it is an Excel workbook to save as CSV", async () => {
    const report = await t.check(fixture("workbook.xlsx"));
    expect(report.status).toBe("rejected");
    const problem = theOne(report.errors, "SEU_FILE_BINARY");
    expect(problem.message).toContain("tämä on Excel-työkirja (.xlsx)");
    expect(problem.message).toMatch(/tallenna/i);
    expect(problem.message).toContain("CSV");
  });

  test("a PNG image is rejected saying it is an image", async () => {
    const report = await t.check(fixture("chart.png"));
    expect(theOne(report.errors, "SEU_FILE_BINARY").message).toContain("PNG-kuva");
  });

  test("a PDF document is rejected saying it is a PDF", async () => {
    const report = await t.check(fixture("report.pdf"));
    expect(theOne(report.errors, "SEU_FILE_BINARY").message).toContain("PDF-tiedosto");
  });

  test("an empty file is rejected as empty", async () => {
    const report = await t.check(new Uint8Array(0));
    expect(codes(report.errors)).toEqual(["SEU_FILE_EMPTY"]);
  });

  test("a file of only a UTF-8 BOM and line breaks is rejected as empty", async () => {
    const report = await t.check(utf8bom("\r\n\r\n"));
    expect(codes(report.errors)).toEqual(["SEU_FILE_EMPTY"]);
  });
});
