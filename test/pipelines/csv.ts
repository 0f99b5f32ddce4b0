import { afterAll, beforeAll, expect } from "vitest";
import { catalogue, type ProblemCode } from "../../core/errors.ts";
import type { DatasetDefinition } from "../../pipelines/datasets/dataset.ts";
import { KUNTOUTTAVA_OUTCOMES, kuntouttava } from "../../pipelines/datasets/kuntouttava.ts";
import type { IngestInput } from "../../pipelines/ingest.ts";
import type { Problem } from "../../pipelines/problem.ts";
import { type FileReport, reportSchema } from "../../pipelines/report.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

/** Builders for CSV test input, and checks every report in these tests must pass. */

export const KT_COLUMNS = Object.keys(kuntouttava.row.shape) as (keyof typeof kuntouttava.row.shape)[];

/** Every outcome column empty: a kuntouttava row that does not report outcomes. */
export const NO_OUTCOMES: Record<(typeof KUNTOUTTAVA_OUTCOMES)[number], string> = Object.fromEntries(
  KUNTOUTTAVA_OUTCOMES.map((c) => [c, ""]),
) as Record<(typeof KUNTOUTTAVA_OUTCOMES)[number], string>;
export const VP_COLUMNS = [
  "kunta",
  "vuosineljannes",
  "kohderyhma",
  "palkkatyo",
  "avotyotoiminta",
  "tyotoiminta",
  "paivatoiminta",
  "tyohonvalmennus",
] as const;
export const TIIMI_COLUMNS = ["kunta", "vuosineljannes", "suunta", "luokka", "lukumaara"] as const;

export const TIIMI_HEADER = TIIMI_COLUMNS.join(";");
export const KT_HEADER = KT_COLUMNS.join(";");
export const VP_HEADER = VP_COLUMNS.join(";");

/** A `kuntouttava` row: 10 started, 6 ended (2 to work, 4 continue), unless overridden. */
export function ktRow(overrides: Partial<Record<(typeof KT_COLUMNS)[number], string>> = {}): string[] {
  const base: Record<(typeof KT_COLUMNS)[number], string> = {
    kunta: "091",
    vuosineljannes: "2024Q1",
    asiakkaat: "40",
    aloittaneet: "10",
    paattyneet: "6",
    tyo: "2",
    palkkatuettu_tyo: "0",
    opiskelu: "0",
    te_palvelut: "0",
    tyoton: "0",
    jatkaa: "4",
    sote_palvelut: "0",
    muu_toimeentulo: "0",
    muutto: "0",
    ei_tietoa: "0",
  };
  const row = { ...base, ...overrides };
  return KT_COLUMNS.map((c) => row[c]);
}

/** A `kuntouttava` file with one row per override set (canonical form: `;`, LF). */
export function ktFile(...rows: Partial<Record<(typeof KT_COLUMNS)[number], string>>[]): string {
  return csv([[...KT_COLUMNS], ...rows.map((r) => ktRow(r))]);
}

/** A `tiimi` file from [kunta, quarter, suunta, luokka, lukumaara] rows. */
export function tiimiFile(...rows: string[][]): string {
  return csv([[...TIIMI_COLUMNS], ...rows]);
}

/** A `vammaispalvelut` file from full rows. */
export function vpFile(...rows: string[][]): string {
  return csv([[...VP_COLUMNS], ...rows]);
}

/** A file of a dataset: its template's first example row with the overrides of each row. */
export function exampleFile(dataset: DatasetDefinition, ...rows: Record<string, string>[]): string {
  const columns = Object.keys(dataset.row.shape);
  const example: Record<string, string> = dataset.example[0] ?? {};
  return csv([columns, ...rows.map((r) => columns.map((c) => ({ ...example, ...r })[c] ?? ""))]);
}

/** Joins cells and lines; cells are written as given (quote them yourself where needed). */
export function csv(rows: readonly (readonly string[])[], delimiter = ";", eol = "\n"): string {
  return rows.map((r) => r.join(delimiter)).join(eol) + eol;
}

/** Windows-1252 bytes of a text, after checking every character has a single-byte form there. */
export function cp1252(text: string): Buffer {
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    // Latin-1 range minus the C1 block, which Windows-1252 uses for other characters
    if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`not in this helper's cp1252: ${ch}`);
  }
  return Buffer.from(text, "latin1");
}

/** UTF-16LE bytes with BOM, as Excel's "Unicode text" writes them. */
export function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
}

/** UTF-16BE bytes with BOM. */
export function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

/** UTF-8 with BOM, as Excel's "CSV UTF-8" writes it. */
export function utf8bom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

const SLOT = /\{\w+\}/;

function templateRegex(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*")}$`);
}

/** Checks one problem against the report contract: shape, known code, a filled Finnish message. */
export function expectWellFormedProblem(p: Problem): void {
  expect(Object.keys(p).sort()).toEqual(["code", "column", "line", "message", "row", "value"]);
  expect(p.code in catalogue, `unknown code ${p.code}`).toBe(true);
  const entry = catalogue[p.code as ProblemCode];
  expect(p.message, `${p.code}: message is not its Finnish text`).toMatch(templateRegex(entry.fi));
  expect(p.message, `${p.code}: unfilled slot in "${p.message}"`).not.toMatch(SLOT);
  for (const key of ["row", "line"] as const) {
    const v = p[key];
    if (v !== null) expect(Number.isInteger(v) && v >= 1, `${p.code}.${key} = ${v}`).toBe(true);
  }
  if (p.row !== null || p.line !== null) {
    expect(p.row, `${p.code}: row and line come together`).not.toBeNull();
    expect(p.line, `${p.code}: row and line come together`).not.toBeNull();
  }
}

/** Checks a whole file report against the machine-readable contract. */
export function expectWellFormed(report: FileReport): void {
  expect(() => reportSchema.parse({ files: [report] })).not.toThrow();
  for (const p of report.errors) {
    expectWellFormedProblem(p as Problem);
    expect(catalogue[p.code as ProblemCode].severity, `${p.code} listed as an error`).toBe("error");
  }
  for (const p of report.warnings) {
    expectWellFormedProblem(p as Problem);
    expect(catalogue[p.code as ProblemCode].severity, `${p.code} listed as a warning`).toBe("warning");
  }
  if (report.status === "rejected") expect(report.errors.length).toBeGreaterThan(0);
  else expect(report.errors).toEqual([]);
}

export const codes = (problems: readonly { code: string }[]) => problems.map((p) => p.code);

/** The only problem with this code (fails when there is none or more than one). */
export function theOne<T extends { code: string }>(problems: readonly T[], code: ProblemCode): T {
  const found = problems.filter((p) => p.code === code);
  expect(found, `exactly one ${code} in ${JSON.stringify(codes(problems))}`).toHaveLength(1);
  return found[0] as T;
}

/**
 * One test database for a test file. `check` validates without loading (a dry run) and `ingest`
 * loads; both check the report's shape before returning it.
 */
export function useEnv(vars: Record<string, string> = {}) {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await makeTestEnv(vars);
  });
  afterAll(async () => {
    await env?.close();
  });
  const current = () => {
    if (!env) throw new Error("test env not ready");
    return env;
  };
  return {
    get env() {
      return current();
    },
    async check(content: string | Uint8Array, extra: Partial<IngestInput> = {}): Promise<FileReport> {
      const report = await current().ingest("testi.csv", content, { dryRun: true, ...extra });
      expectWellFormed(report);
      return report;
    },
    async ingest(
      name: string,
      content: string | Uint8Array,
      extra: Partial<IngestInput> = {},
    ): Promise<FileReport> {
      const report = await current().ingest(name, content, extra);
      expectWellFormed(report);
      return report;
    },
  };
}
