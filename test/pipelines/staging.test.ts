import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsvText } from "../../pipelines/read.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const HEADER = "kunta;vuosineljannes;suunta;luokka;lukumaara";
const LUOKAT = ["kela", "jarjesto", "muu", "oppilaitos", "paivystys"];

const KUNNAT = fs
  .readFileSync(path.resolve(import.meta.dirname, "../../data/reference/kunnat_2026.csv"), "utf8")
  .split("\n")
  .slice(1, 51)
  .map((line) => line.slice(0, 3));

/** `count` valid tiimi rows with distinct keys (municipality, quarter 2010–2024 and category vary). */
function rows(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kunta = KUNNAT[i % KUNNAT.length];
    const n = Math.floor(i / KUNNAT.length);
    const quarter = `${2010 + Math.floor(n / 20)}Q${(Math.floor(n / 5) % 4) + 1}`;
    out.push(`${kunta};${quarter};tulo;${LUOKAT[n % 5]};3`);
  }
  return out;
}

let env: TestEnv;
beforeAll(async () => {
  env = await makeTestEnv();
});
afterAll(() => env.close());

describe("how DuckDB reads the records", () => {
  it("a regular file is read straight from its text", () => {
    const read = readCsvText(`${HEADER}\r\n${rows(10).join("\r\n")}\r\n`);

    expect(read.ok && read.staging.kind).toBe("direct");
  });

  it("a file with a blank line among its rows is read with numbered records", () => {
    const body = rows(10);
    body.splice(5, 0, "");
    const read = readCsvText(`${HEADER}\n${body.join("\n")}\n`);

    expect(read.ok && read.staging.kind).toBe("numbered");
  });

  it("read straight, an error deep in a large file names its row and line", async () => {
    const body = rows(4000);
    body[3499] = body[3499]?.replace(/;3$/, ";kolme") ?? "";

    const report = await env.ingest("iso.csv", `Tiimin ohjautumiset\n${HEADER}\n${body.join("\n")}\n`, {
      dryRun: true,
    });

    expect(report.errors.map((e) => [e.code, e.row, e.line])).toEqual([
      ["SEU_VAL_COUNT_NOT_NUMBER", 3502, 3502],
    ]);
  });

  it("read with numbered records, an error after a blank line and a multi-line cell names its row and line", async () => {
    const body = rows(50);
    body.splice(10, 0, "");
    body[20] = `${body[20]?.split(";").slice(0, 4).join(";")};"1\n2"`;
    body[40] = body[40]?.replace(/;3$/, ";-3") ?? "";

    const report = await env.ingest("katkot.csv", `${HEADER}\n${body.join("\n")}\n`, { dryRun: true });

    // header row 1; body[i] is record i + 2; the quoted line break pushes later lines down by one
    expect(report.errors.map((e) => [e.code, e.row, e.line])).toEqual([
      ["SEU_VAL_COUNT_NOT_NUMBER", 22, 22],
      ["SEU_VAL_COUNT_NEGATIVE", 42, 43],
    ]);
  });

  it("a last row 'Yhteensä:' with a colon is a total row", async () => {
    const report = await env.ingest("summa.csv", `${HEADER}\n${rows(3).join("\n")}\nYhteensä:;;;;9\n`, {
      dryRun: true,
    });

    expect(report.status).toBe("valid");
    expect(report.warnings.map((w) => w.code)).toEqual(["SEU_CSV_TOTAL_ROW_IGNORED"]);
  });
});
