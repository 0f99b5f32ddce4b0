import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CommandIO } from "../../cli/command.ts";
import { main } from "../../cli/main.ts";
import type { Report } from "../../pipelines/report.ts";
import { TEST_TODAY } from "../support/env.ts";

let dir: string;

/** Runs `seuranta demo …` in this process and captures what it prints. */
async function demo(...args: string[]) {
  let out = "";
  let err = "";
  const io: CommandIO = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env: { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY },
  };
  const code = await main(["demo", ...args], io);
  return { code, out, err };
}

let first: Awaited<ReturnType<typeof demo>>;

// the demo's recompute protects and audits 308 municipalities: give it time on a busy machine
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-demo-"));
  first = await demo("--json");
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("seuranta demo", () => {
  test("loads every generated file and exits 0", () => {
    const report = JSON.parse(first.out) as Report;

    expect(first.code).toBe(0);
    expect(report.files.length).toBeGreaterThan(30);
    expect(report.files.every((f) => f.status === "loaded")).toBe(true);
  });

  test("writes the files into demo/ under the data folder", () => {
    const report = JSON.parse(first.out) as Report;
    expect(fs.readdirSync(path.join(dir, "demo")).sort()).toEqual(report.files.map((f) => f.file).sort());
  });

  test("a second run reports every file unchanged and exits 0", async () => {
    const second = await demo("--json");
    const report = JSON.parse(second.out) as Report;

    expect(second.code).toBe(0);
    expect(report.files.map((f) => f.status)).toEqual(report.files.map(() => "unchanged"));
  });

  test("prints a Finnish summary without --json", async () => {
    const run = await demo();

    expect(run.code).toBe(0);
    expect(run.out).toContain("Esimerkkiaineisto:");
    expect(run.out).toMatch(/Ladattu 0, ei muutoksia \d+, hylätty 0/);
  });

  test("--out writes the files into the given folder", async () => {
    const out = path.join(dir, "muualle");
    const run = await demo("--json", "--out", out);

    expect(run.code).toBe(0);
    expect(fs.readdirSync(out).length).toBe((JSON.parse(run.out) as Report).files.length);
  });
});

describe("seuranta demo over real data", () => {
  let ownDir: string;
  beforeAll(() => {
    ownDir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-demo-real-"));
  });
  afterAll(() => fs.rmSync(ownDir, { recursive: true, force: true }));

  test("refuses to replace data a municipality sent, and exits 1", async () => {
    const file = path.join(ownDir, "oikea.csv");
    fs.writeFileSync(file, "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;7\n");
    const env = { SEURANTA_DATA_DIR: ownDir, SEURANTA_TODAY: TEST_TODAY };
    const quiet: CommandIO = { out: () => {}, err: () => {}, env };
    let err = "";
    const capture: CommandIO = { ...quiet, err: (text) => (err += text) };

    expect(await main(["ingest", file], quiet)).toBe(0);
    expect(await main(["demo"], capture)).toBe(1);
    expect(err).toContain("Esimerkkiaineisto korvaisi ne");
    expect(fs.existsSync(path.join(ownDir, "demo"))).toBe(false);
  });
});
