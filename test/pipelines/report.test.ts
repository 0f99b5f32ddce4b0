import { describe, expect, test } from "vitest";
import { catalogue, type ProblemCode } from "../../core/errors.ts";
import { renderReportText } from "../../pipelines/report.ts";
import { codes, expectWellFormed, ktFile, TIIMI_HEADER, theOne, tiimiFile, useEnv } from "./csv.ts";

const row = (kunta: string, lukumaara: string, luokka = "kela") => [
  kunta,
  "2024Q1",
  "tulo",
  luokka,
  lukumaara,
];
/** n rows of distinct keys (one luokka each) with the given count. */
const rows = (n: number, lukumaara: string, kunta = "091") =>
  [
    "kela",
    "muu",
    "jarjesto",
    "oppilaitos",
    "paivystys",
    "sosiaalihuolto",
    "tyoterveyshuolto",
    "erikoissairaanhoito",
    "perusterveydenhuolto",
    "tyollisyyspalvelut",
  ]
    .slice(0, n)
    .map((luokka) => row(kunta, lukumaara, luokka));
const listed = (problems: readonly { code: string }[], code: ProblemCode) =>
  problems.filter((p) => p.code !== code);

describe("the problem catalogue", () => {
  test("every code has a severity, a Finnish text and an English text", () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      expect(["error", "warning"], code).toContain(entry.severity);
      expect(entry.fi.length, code).toBeGreaterThan(10);
      expect(entry.en.length, code).toBeGreaterThan(10);
      expect(entry.fi, code).not.toBe(entry.en);
    }
  });

  test("codes are stable SEU_ names", () => {
    for (const code of Object.keys(catalogue))
      expect(code).toMatch(/^SEU_(FILE|CSV|VAL|ROW|UPLOAD)_[A-Z_]+$/);
  });
});

describe("report shape", () => {
  const t = useEnv();

  test("a problem of a cell carries code, row, line, column, value and a Finnish message", async () => {
    const report = await t.check(tiimiFile(row("091", "3,5")));
    expect(report.errors).toEqual([
      {
        code: "SEU_VAL_COUNT_DECIMAL",
        row: 2,
        line: 2,
        column: "lukumaara",
        value: "3,5",
        message: 'Sarakkeessa lukumaara on desimaaliluku "3,5"; lukumäärän on oltava kokonaisluku (esim. 3).',
      },
    ]);
  });

  test("a problem of the whole file has row, line, column and value null", async () => {
    const report = await t.check(`${TIIMI_HEADER}\n`);
    expect(report.errors).toEqual([
      {
        code: "SEU_FILE_NO_ROWS",
        row: null,
        line: null,
        column: null,
        value: null,
        message: "Tiedostossa on otsikkorivi mutta ei yhtään tietoriviä.",
      },
    ]);
  });

  test("a report has exactly the contract's fields, and dataset null when the file is not recognised", async () => {
    const report = await t.check("a;b;c\n1;2;3\n");
    expect(report).toMatchObject({
      file: "testi.csv",
      dataset: null,
      status: "rejected",
      rows: 0,
      keys_replaced: [],
      warnings: [],
    });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const key of [
      "file",
      "sha256",
      "dataset",
      "status",
      "rows",
      "keys_replaced",
      "warnings",
      "errors",
    ]) {
      expect(report).toHaveProperty(key);
    }
  });

  test("rows counts the data rows taken in: not blank, repeated-header or total rows", async () => {
    const text = `Otsikko\n${TIIMI_HEADER}\n${row("091", "1").join(";")}\n\n;;;;\n${TIIMI_HEADER}\n${row("091", "2", "muu").join(";")}\nYhteensä;;;;3\n`;
    const report = await t.check(text);
    expect(report).toMatchObject({ status: "valid", rows: 2 });
    expect(codes(report.warnings)).toEqual([
      "SEU_CSV_LINES_ABOVE_HEADER",
      "SEU_CSV_REPEATED_HEADER",
      "SEU_CSV_TOTAL_ROW_IGNORED",
    ]);
  });

  test("problems are listed in file order, file-level ones first", async () => {
    const report = await t.check(
      tiimiFile(
        row("091", "x"),
        row("Jyvaskyla", "1", "muu"),
        ["091", "2024Q1"],
        row("091", "-2", "oppilaitos"),
      ),
    );
    expect(report.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(codes(report.errors)).toEqual([
      "SEU_VAL_COUNT_NOT_NUMBER",
      "SEU_VAL_KUNTA_UNKNOWN",
      "SEU_CSV_RAGGED_ROW",
      "SEU_VAL_COUNT_NEGATIVE",
    ]);
  });

  test("warnings of a loaded file are in its report and the file still loads", async () => {
    const report = await t.ingest("varoitus.csv", tiimiFile(row("91", "1 000")));
    expect(report.status).toBe("loaded");
    expect(codes(report.warnings)).toEqual(["SEU_VAL_KUNTA_CODE_FORM", "SEU_VAL_COUNT_GROUPED"]);
    expect(report.errors).toEqual([]);
  });

  test("the readable report is in Finnish and names row, line, column and code", async () => {
    const text = `"a;b"\n${tiimiFile(row("091", '"eka\ntoka"', "muu"), row("091", "x"))}`;
    const report = await t.check(text);
    const rendered = renderReportText({ files: [report] });
    expect(rendered).toContain("HYLÄTTY");
    expect(rendered).toContain("rivi 4, tiedoston rivi 5, sarake lukumaara");
    expect(rendered).toContain("[SEU_VAL_COUNT_NOT_NUMBER]");
    expect(rendered).toContain("hylättiin");
  });
});

describe("up to the problem limit, then a count (limit 5 here)", () => {
  const t = useEnv({ SEURANTA_MAX_PROBLEMS: "5" });

  test("five errors are all listed, without a count", async () => {
    const report = await t.check(tiimiFile(...rows(5, "x")));
    expect(codes(report.errors)).toEqual(Array(5).fill("SEU_VAL_COUNT_NOT_NUMBER"));
  });

  test("eight value errors: five are listed, then a count of the three left out", async () => {
    const report = await t.check(tiimiFile(...rows(8, "x")));
    expect(listed(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS")).toHaveLength(5);
    const more = theOne(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS");
    expect(more.message).toContain("5");
    expect(more.message).toContain("loput 3");
    expect(report.errors.map((e) => e.line).filter((l) => l !== null)).toEqual([2, 3, 4, 5, 6]);
  });

  test("eight ragged rows beside a good one: five are listed, then a count of the three left out", async () => {
    const ragged = rows(8, "1").map((r) => r.slice(0, 4));
    const report = await t.check(tiimiFile(row("179", "1"), ...ragged));
    expect(listed(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS")).toHaveLength(5);
    expect(theOne(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS").message).toContain("loput 3");
    expect(report.errors.filter((e) => e.line !== null).map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
  });

  // when no row at all can be staged (e.g. a file with the wrong delimiter), the cap still holds
  test("eight ragged rows and nothing else: five are listed, then a count of the three left out", async () => {
    const ragged = rows(8, "1").map((r) => r.slice(0, 4));
    const report = await t.check(tiimiFile(...ragged));
    expect(listed(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS")).toHaveLength(5);
    expect(theOne(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS").message).toContain("loput 3");
  });

  test("three ragged rows and five value errors: five are listed, then a count of the three left out", async () => {
    const ragged = [
      ["091", "2024Q1", "lahto"],
      ["091", "2024Q1", "lahto"],
      ["091", "2024Q1", "lahto"],
    ];
    const report = await t.check(tiimiFile(...ragged, ...rows(5, "x")));
    expect(listed(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS")).toHaveLength(5);
    expect(theOne(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS").message).toContain("loput 3");
    expect(report.errors.filter((e) => e.line !== null).map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
  });

  test("eight warnings: five are listed, then a count of the three left out, and the file is valid", async () => {
    const report = await t.check(tiimiFile(...rows(8, "1", "91")));
    expect(report.status).toBe("valid");
    expect(listed(report.warnings, "SEU_FILE_MORE_WARNINGS")).toHaveLength(5);
    expect(theOne(report.warnings, "SEU_FILE_MORE_WARNINGS").message).toContain("loput 3");
  });

  test("a structural warning and six value warnings: five are listed, then a count of the two left out", async () => {
    const report = await t.check(`Otsikko\n${tiimiFile(...rows(6, "1", "91"))}`);
    expect(listed(report.warnings, "SEU_FILE_MORE_WARNINGS")).toHaveLength(5);
    expect(theOne(report.warnings, "SEU_FILE_MORE_WARNINGS").message).toContain("loput 2");
    expect(codes(report.warnings)).toContain("SEU_CSV_LINES_ABOVE_HEADER");
  });

  test("every error of a file with hundreds of bad rows is still counted", async () => {
    // 100 quarters 2000Q1–2024Q4: 100 bad counts, and every other row an unknown municipality
    const many = Array.from({ length: 100 }, (_, i) => [
      i % 2 ? "Jyvaskyla" : "091",
      `${2000 + Math.floor(i / 4)}Q${(i % 4) + 1}`,
      "tulo",
      "kela",
      "x",
    ]);
    const report = await t.check(tiimiFile(...many));
    expect(listed(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS")).toHaveLength(5);
    expect(theOne(report.errors, "SEU_FILE_TOO_MANY_PROBLEMS").message).toContain("loput 145");
  });
});

describe("every problem any test file can produce is well formed", () => {
  const t = useEnv();

  test.each([
    ["binary", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])],
    ["NUL", Buffer.from("kunta\0")],
    ["encoding", Buffer.from([0x41, 0x81, 0x0a])],
    ["empty", Buffer.alloc(0)],
    ["no header", Buffer.from("x;y\n1;2\n")],
    ["unbalanced", Buffer.from(`${TIIMI_HEADER}\n091;2024Q1;"tulo;kela;1\n`)],
    ["truncated", Buffer.from(`${TIIMI_HEADER}\n091;2024Q1;tulo;kela;1\n091;20`)],
    ["total not last", Buffer.from(`${TIIMI_HEADER}\nSumma;;;;1\n091;2024Q1;tulo;kela;1\n`)],
    ["long cell", Buffer.from(`${TIIMI_HEADER}\n091;2024Q1;tulo;${"k".repeat(1200)};1\n`)],
    ["stray quote", Buffer.from(`${TIIMI_HEADER}\n091;2024Q1;tulo;"kela"a;1\n`)],
    [
      "kuntouttava sums",
      Buffer.from(
        ktFile(
          { paattyneet: "1" },
          { vuosineljannes: "2024Q2", tyo: "" },
          { vuosineljannes: "2024Q3", paattyneet: "" },
        ),
      ),
    ],
    [
      "categories",
      Buffer.from(tiimiFile(["091", "2024Q1", "x", "kela", "1"], ["091", "2024Q1", "tulo", "tyo", "1"])),
    ],
    [
      "quarters",
      Buffer.from(tiimiFile(["091", "2024Q9", "tulo", "kela", "1"], ["091", "2030Q1", "tulo", "kela", "1"])),
    ],
    ["over population", Buffer.from(tiimiFile(["035", "2024Q1", "tulo", "kela", "999999"]))],
    ["required", Buffer.from(tiimiFile(["", "", "", "", ""].map((c, i) => (i === 4 ? "1" : c))))],
  ])("%s", async (_name, bytes) => {
    const report = await t.env.ingest("x.csv", bytes, { dryRun: true, allowedKunnat: ["091"] });
    expectWellFormed(report);
    expect(report.status).toBe("rejected");
  });
});
