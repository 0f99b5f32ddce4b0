import { describe, expect, test } from "vitest";
import {
  codes,
  csv,
  KT_COLUMNS,
  ktRow,
  NO_OUTCOMES,
  TIIMI_HEADER,
  theOne,
  tiimiFile,
  useEnv,
  utf16le,
} from "./csv.ts";

const t = useEnv();

/** A good `tiimi` row and one with a bad count (reported as SEU_VAL_COUNT_NOT_NUMBER on lukumaara). */
const GOOD = ["179", "2024Q1", "tulo", "kela", "5"];
const BAD = ["179", "2024Q1", "tulo", "muu", "x"];

/** The row and line of the one bad-count problem of a report. */
async function placeOfBadCount(content: string | Uint8Array) {
  const report = await t.check(content);
  const p = theOne(report.errors, "SEU_VAL_COUNT_NOT_NUMBER");
  expect(p.column).toBe("lukumaara");
  expect(p.value).toBe("x");
  return { row: p.row, line: p.line };
}

describe("delimiters and line ends", () => {
  test("a ;-separated file is read", async () => {
    const report = await t.check(csv([TIIMI_HEADER.split(";"), GOOD]));
    expect(report).toMatchObject({ status: "valid", dataset: "tiimi", rows: 1 });
  });

  test("a ,-separated file is read", async () => {
    const report = await t.check(
      csv([TIIMI_HEADER.split(";"), GOOD, ["179", "2024Q1", "tulo", "muu", "2"]], ","),
    );
    expect(report).toMatchObject({ status: "valid", dataset: "tiimi", rows: 2 });
  });

  test("a tab-separated file is read", async () => {
    const report = await t.check(csv([TIIMI_HEADER.split(";"), GOOD], "\t"));
    expect(report).toMatchObject({ status: "valid", dataset: "tiimi", rows: 1 });
  });

  test("a tab-separated kuntouttava file with trailing empty outcome cells is read", async () => {
    const report = await t.check(
      csv(
        [[...KT_COLUMNS], ktRow({ paattyneet: "", ...NO_OUTCOMES }), ktRow({ vuosineljannes: "2024Q2" })],
        "\t",
      ),
    );
    expect(report).toMatchObject({ status: "valid", dataset: "kuntouttava", rows: 2 });
  });

  test.each([
    ["CRLF", "\r\n"],
    ["LF", "\n"],
    ["CR", "\r"],
  ])("%s line ends give the same rows and line numbers", async (_name, eol) => {
    const text = csv([TIIMI_HEADER.split(";"), GOOD, ["179", "2024Q1", "tulo", "muu", "2"], BAD], ";", eol);
    expect(await placeOfBadCount(text)).toEqual({ row: 4, line: 4 });
  });

  test("a comma inside a quoted cell of a ,-separated file is not a delimiter", async () => {
    const text = csv(
      [
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, '"tarkistettu, ok"'],
      ],
      ",",
    );
    const report = await t.check(text);
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });
});

describe("quoted fields", () => {
  test("quoted cells are read without their quotes", async () => {
    const report = await t.check(csv([TIIMI_HEADER.split(";"), GOOD.map((c) => `"${c}"`)]));
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });

  test("a quoted cell holding the delimiter is one cell", async () => {
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, '"kela; tarkistettu"'],
      ]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });

  test('a doubled quote ("") inside a quoted cell is read as one quote', async () => {
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, '"sanoi ""ok"""'],
      ]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });

  test("a quoted cell with a line break is one cell and the record is one row", async () => {
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, '"eka rivi\ntoka rivi"'],
        ["179", "2024Q1", "tulo", "muu", "2", ""],
      ]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 2 });
  });

  test("after a quoted cell with a line break, row counts records and line counts physical lines", async () => {
    const text = csv(
      [
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, '"eka rivi\r\ntoka rivi\r\nkolmas"'],
        [...BAD, ""],
      ],
      ";",
      "\r\n",
    );
    expect(await placeOfBadCount(text)).toEqual({ row: 3, line: 5 });
  });

  test("a value holding a quoted line break is reported with its own row and line", async () => {
    const report = await t.check(
      csv([TIIMI_HEADER.split(";"), GOOD, ["179", "2024Q1", "tulo", '"ke\nla"', "3"]]),
    );
    const p = theOne(report.errors, "SEU_VAL_CATEGORY");
    expect(p).toMatchObject({ row: 3, line: 3, column: "luokka", value: "ke\nla" });
  });

  test("an unbalanced quote is an error at the line where it opens", async () => {
    const report = await t.check(
      csv([
        TIIMI_HEADER.split(";"),
        GOOD,
        ["179", "2024Q1", "tulo", '"muu', "2"],
        ["179", "2024Q1", "lahto", "tyo", "1"],
      ]),
    );
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_CSV_UNBALANCED_QUOTE")).toMatchObject({ row: 3, line: 3 });
  });

  test("a quote in the middle of an unquoted cell is an error with its row", async () => {
    const report = await t.check(
      csv([TIIMI_HEADER.split(";"), GOOD, ["179", "2024Q1", "tulo", '"muu"x', "2"]]),
    );
    expect(report.status).toBe("rejected");
    expect(codes(report.errors)).toEqual(["SEU_CSV_STRAY_QUOTE"]);
    expect(report.errors[0]).toMatchObject({ row: 3, line: 3 });
  });
});

describe("header matching", () => {
  test.each([
    ["upper case", "KUNTA;VUOSINELJANNES;SUUNTA;LUOKKA;LUKUMAARA"],
    ["capitalised with ä", "Kunta;Vuosineljännes;Suunta;Luokka;Lukumäärä"],
    ["spaces around names", " kunta ;  vuosineljannes\t; suunta ;luokka ; lukumaara "],
    ["quoted names", '"kunta";"vuosineljannes";"suunta";"luokka";"lukumaara"'],
    ["aliases", "Kuntanumero;Neljännes;suunta;luokka;lkm"],
    ["Swedish aliases", "kommun;kvartal;suunta;luokka;lkm"],
  ])("a tiimi header in %s is recognised", async (_name, header) => {
    const report = await t.check(`${header}\n${GOOD.join(";")}\n`);
    expect(report).toMatchObject({ status: "valid", dataset: "tiimi", rows: 1 });
    expect(codes(report.warnings)).not.toContain("SEU_CSV_EXTRA_COLUMNS");
  });

  test.each([
    ["spaces", "Palkkatuettu työ", "TE palvelut", "Sote palvelut", "Muu toimeentulo", "Ei tietoa"],
    ["hyphens", "palkkatuettu-tyo", "TE-palvelut", "sote-palvelut", "muu-toimeentulo", "ei-tietoa"],
    ["underscores", "palkkatuettu_tyo", "te_palvelut", "sote_palvelut", "muu_toimeentulo", "ei_tietoa"],
  ])("kuntouttava header names written with %s are recognised", async (_name, palkka, te, sote, muu, ei) => {
    const header = [
      "Kunta",
      "Vuosineljännes",
      "Asiakkaat",
      "Aloittaneet",
      "Päättyneet",
      "Työ",
      palkka,
      "Opiskelu",
      te,
      "Työtön",
      "Jatkaa",
      sote,
      muu,
      "Muutto",
      ei,
    ];
    const report = await t.check(csv([header, ktRow()]));
    expect(report).toMatchObject({ status: "valid", dataset: "kuntouttava", rows: 1 });
  });

  test("reordered columns are mapped by name", async () => {
    const report = await t.check("lukumaara;luokka;suunta;vuosineljannes;kunta\nx;muu;tulo;2024Q1;179\n");
    expect(theOne(report.errors, "SEU_VAL_COUNT_NOT_NUMBER")).toMatchObject({
      column: "lukumaara",
      value: "x",
    });
    expect(codes(report.errors)).toEqual(["SEU_VAL_COUNT_NOT_NUMBER"]);
  });

  test("unknown extra columns are ignored with a warning that names them", async () => {
    const report = await t.check(
      csv([
        ["Huomautus", ...TIIMI_HEADER.split(";"), "Tekijä"],
        ["ok", ...GOOD, "MV"],
      ]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 1 });
    const w = theOne(report.warnings, "SEU_CSV_EXTRA_COLUMNS");
    expect(w.message).toContain("Huomautus");
    expect(w.message).toContain("Tekijä");
  });

  test("a table that starts in the second column (empty first column) is read", async () => {
    const report = await t.check(
      csv([
        ["", ...TIIMI_HEADER.split(";")],
        ["", ...GOOD],
        ["", ...BAD],
      ]),
    );
    expect(report.dataset).toBe("tiimi");
    expect(codes(report.errors)).toEqual(["SEU_VAL_COUNT_NOT_NUMBER"]);
    expect(codes(report.warnings)).not.toContain("SEU_CSV_REPEATED_HEADER");
  });

  test("a header that matches no dataset names the closest dataset and the columns it lacks", async () => {
    const report = await t.check("kunta;vuosineljannes;suunta;luokka;maara_yht\n179;2024Q1;tulo;kela;5\n");
    expect(report.status).toBe("rejected");
    const p = theOne(report.errors, "SEU_FILE_NO_HEADER");
    expect(p.message).toContain("tiimi");
    expect(p.message).toContain("lukumaara");
    expect(p.message).not.toContain("kuntouttava");
  });

  test("a kuntouttava header missing two outcome columns names both", async () => {
    const header = KT_COLUMNS.filter((c) => c !== "muutto" && c !== "ei_tietoa");
    const report = await t.check(csv([header, ktRow().slice(0, 13)]));
    const p = theOne(report.errors, "SEU_FILE_NO_HEADER");
    expect(p.message).toContain("kuntouttava");
    expect(p.message).toContain("muutto, ei_tietoa");
    expect(report.dataset).toBeNull();
  });
});

describe("where the header is and how rows are numbered", () => {
  test("with the header on the first line, the header is row 1 and the first data row is row 2", async () => {
    expect(await placeOfBadCount(tiimiFile(BAD))).toEqual({ row: 2, line: 2 });
  });

  test("a title row above the header is skipped with a warning and counts as a row", async () => {
    const text = `Työkyvyn tuen tiimi, Jyväskylä 2024\n${tiimiFile(GOOD, BAD)}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 4, line: 4 });
    const report = await t.check(text);
    expect(theOne(report.warnings, "SEU_CSV_LINES_ABOVE_HEADER").message).toContain("1");
  });

  test("a title row with trailing delimiters (as Excel writes it) is skipped", async () => {
    const text = `Työkyvyn tuen tiimi;;;;\n;;;;\n${tiimiFile(BAD)}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 4, line: 4 });
  });

  test("an Excel sep=; line is skipped with a warning and does not count as a row", async () => {
    const text = `sep=;\n${tiimiFile(GOOD, BAD)}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 3, line: 4 });
    const report = await t.check(text);
    expect(codes(report.warnings)).toContain("SEU_CSV_LINES_ABOVE_HEADER");
  });

  test("a sep=; line and a title row: only the title row counts", async () => {
    const text = `sep=;\r\nOtsikko\r\n${tiimiFile(GOOD, BAD).replaceAll("\n", "\r\n")}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 4, line: 5 });
  });

  test("a sep=, line makes a ,-separated file read", async () => {
    const text = `sep=,\n${csv([TIIMI_HEADER.split(";"), GOOD, BAD], ",")}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 3, line: 4 });
  });

  test("a sep= line in a UTF-16LE file is skipped too", async () => {
    const text = `sep=\t\r\n${csv([TIIMI_HEADER.split(";"), BAD], "\t", "\r\n")}`;
    expect(await placeOfBadCount(utf16le(text))).toEqual({ row: 2, line: 3 });
  });

  test("the header is found on the 10th line", async () => {
    const text = `${"Otsikko\n".repeat(9)}${tiimiFile(BAD)}`;
    expect(await placeOfBadCount(text)).toEqual({ row: 11, line: 11 });
  });

  test("a header on the 11th line is not found", async () => {
    const report = await t.check(`${"Otsikko\n".repeat(10)}${tiimiFile(GOOD)}`);
    expect(codes(report.errors)).toEqual(["SEU_FILE_NO_HEADER"]);
  });
});

describe("rows that are not data", () => {
  test('a header with no data rows is rejected with "ei yhtään tietoriviä"', async () => {
    const report = await t.check(`${TIIMI_HEADER}\n`);
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_FILE_NO_ROWS").message).toContain("ei yhtään tietoriviä");
  });

  test("a header followed only by empty and delimiter-only lines has no data rows", async () => {
    const report = await t.check(`${TIIMI_HEADER}\r\n\r\n;;;;\r\n ; ; \r\n`);
    expect(codes(report.errors)).toEqual(["SEU_FILE_NO_ROWS"]);
  });

  test("empty and delimiter-only lines between rows are ignored but still counted as rows", async () => {
    const text = `${TIIMI_HEADER}\n${GOOD.join(";")}\n\n;;;;\n${BAD.join(";")}\n`;
    expect(await placeOfBadCount(text)).toEqual({ row: 5, line: 5 });
    const report = await t.check(text.replace(";x\n", ";3\n"));
    expect(report).toMatchObject({ status: "valid", rows: 2, warnings: [] });
  });

  test("trailing empty lines are ignored", async () => {
    const report = await t.check(`${TIIMI_HEADER}\n${GOOD.join(";")}\n\n\n\r\n`);
    expect(report).toMatchObject({ status: "valid", rows: 1, warnings: [] });
  });

  test("trailing empty fields are ignored", async () => {
    const report = await t.check(
      `${TIIMI_HEADER};;;\n${GOOD.join(";")};;;;;;\n${GOOD.join(";").replace("kela", "muu")};\n`,
    );
    expect(report).toMatchObject({ status: "valid", rows: 2, warnings: [] });
  });

  test("a repeated header line is skipped with a warning at its row", async () => {
    const report = await t.check(
      tiimiFile(GOOD, TIIMI_HEADER.split(";"), ["179", "2024Q1", "tulo", "muu", "2"]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 2 });
    expect(theOne(report.warnings, "SEU_CSV_REPEATED_HEADER")).toMatchObject({ row: 3, line: 3 });
  });

  test("a repeated header written in other case is skipped too", async () => {
    const report = await t.check(tiimiFile(GOOD, TIIMI_HEADER.toUpperCase().split(";")));
    expect(report).toMatchObject({ status: "valid", rows: 1 });
    expect(codes(report.warnings)).toEqual(["SEU_CSV_REPEATED_HEADER"]);
  });

  test.each(["Yhteensä", "YHTEENSÄ", "yhteensä", "Summa", "SUMMA", "Total", "total", "Totalt", '"Yhteensä"'])(
    "a last row starting with %s is ignored with a warning",
    async (word) => {
      const report = await t.check(tiimiFile(GOOD, [word, "", "", "", "5"]));
      expect(report).toMatchObject({ status: "valid", rows: 1 });
      const w = theOne(report.warnings, "SEU_CSV_TOTAL_ROW_IGNORED");
      expect(w).toMatchObject({ row: 3, line: 3 });
    },
  );

  test("a total row followed by empty lines is still the last row", async () => {
    const report = await t.check(`${tiimiFile(GOOD, ["Yhteensä", "", "", "", "5"])}\n;;;;\n`);
    expect(report).toMatchObject({ status: "valid", rows: 1 });
    expect(codes(report.warnings)).toEqual(["SEU_CSV_TOTAL_ROW_IGNORED"]);
  });

  test("a total row that is not the last row is an error with its row", async () => {
    const report = await t.check(
      tiimiFile(GOOD, ["Summa", "", "", "", "5"], ["179", "2024Q1", "tulo", "muu", "2"]),
    );
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_CSV_TOTAL_ROW_NOT_LAST")).toMatchObject({
      row: 3,
      line: 3,
      value: "Summa",
    });
  });

  test("a file whose only data row is a total row has no data rows", async () => {
    const report = await t.check(tiimiFile(["Yhteensä", "", "", "", "5"]));
    expect(codes(report.errors)).toEqual(["SEU_FILE_NO_ROWS"]);
  });
});

describe("broken structure", () => {
  test("a row with too few fields is an error with its row and line", async () => {
    const report = await t.check(
      tiimiFile(GOOD, ["179", "2024Q1", "tulo", "muu"], ["179", "2024Q1", "lahto", "tyo", "1"]),
    );
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_CSV_RAGGED_ROW")).toMatchObject({ row: 3, line: 3 });
  });

  test("a row with more filled fields than the header is an error", async () => {
    const report = await t.check(tiimiFile(GOOD, ["179", "2024Q1", "tulo", "muu", "2", "7"]));
    expect(theOne(report.errors, "SEU_CSV_RAGGED_ROW")).toMatchObject({ row: 3, line: 3 });
  });

  test("a truncated last line (no line break, too few fields) is an error with its line", async () => {
    const report = await t.check(`${tiimiFile(GOOD)}179;2024Q1;tu`);
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_CSV_TRUNCATED_LAST_LINE")).toMatchObject({ row: 3, line: 3 });
  });

  test("a complete last line without a line break is read", async () => {
    const report = await t.check(`${TIIMI_HEADER}\n${GOOD.join(";")}`);
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });

  test("a cell over 1 000 characters is an error naming its column", async () => {
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, "a".repeat(1001)],
      ]),
    );
    expect(report.status).toBe("rejected");
    expect(theOne(report.errors, "SEU_CSV_CELL_TOO_LONG")).toMatchObject({ row: 2, line: 2, column: "huom" });
  });

  test("a cell over 1 000 characters in a dataset column is named by the column's canonical name", async () => {
    const report = await t.check(
      `Kunta;Vuosineljännes;Suunta;Luokka;Lukumäärä\n091;2024Q1;tulo;${"k".repeat(1001)};1\n`,
    );
    const p = theOne(report.errors, "SEU_CSV_CELL_TOO_LONG");
    expect(p.column).toBe("luokka");
    expect(theOne(report.errors, "SEU_VAL_CATEGORY").column).toBe("luokka");
  });

  test("a quoted cell of exactly 1 000 characters is accepted", async () => {
    const note = `"${"a; ".repeat(333)}b"`;
    expect(note.length).toBe(1002);
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, note],
      ]),
    );
    expect(report).toMatchObject({ status: "valid", rows: 1 });
  });

  test("a quoted cell of 1 001 characters (with a doubled quote inside) is an error", async () => {
    const note = `"${"a".repeat(999)}""b"`;
    const report = await t.check(
      csv([
        [...TIIMI_HEADER.split(";"), "huom"],
        [...GOOD, note],
      ]),
    );
    const p = theOne(report.errors, "SEU_CSV_CELL_TOO_LONG");
    expect(p.message).toContain("1001 merkkiä");
  });
});
