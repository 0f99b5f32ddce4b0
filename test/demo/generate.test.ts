import { describe, expect, test } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { buildDemo } from "../../pipelines/demo/generate.ts";
import { randomFor } from "../../pipelines/demo/random.ts";
import { TEST_TODAY } from "../support/env.ts";

const referenceDir = loadConfig({}).referenceDir;

describe("demo generator", () => {
  test("the same seed and date give the same files, byte for byte", () => {
    const first = buildDemo({ referenceDir, today: TEST_TODAY, seed: "same" });
    const second = buildDemo({ referenceDir, today: TEST_TODAY, seed: "same" });

    expect(second.files.map((f) => f.fileName)).toEqual(first.files.map((f) => f.fileName));
    second.files.forEach((file, i) => {
      expect(Buffer.from(file.bytes).equals(Buffer.from(first.files[i]?.bytes ?? []))).toBe(true);
    });
  });

  test("another seed gives other numbers", () => {
    const a = buildDemo({ referenceDir, today: TEST_TODAY, seed: "a" }).files[0];
    const b = buildDemo({ referenceDir, today: TEST_TODAY, seed: "b" }).files[0];

    expect(Buffer.from(a?.bytes ?? []).equals(Buffer.from(b?.bytes ?? []))).toBe(false);
  });

  test("the files cover the 12 quarters that ended by the given date", () => {
    const { files } = buildDemo({ referenceDir, today: TEST_TODAY });

    const quarters = [...new Set(files.map((f) => f.quarter))].sort();
    expect(quarters).toHaveLength(12);
    expect(quarters[0]).toBe("2022Q4");
    expect(quarters[11]).toBe("2025Q3");
  });

  test("the files are saved the ways Excel saves them: UTF-8 with BOM, Windows-1252 and UTF-16LE", () => {
    const { files } = buildDemo({ referenceDir, today: TEST_TODAY });

    const encodings = new Set(files.map((f) => f.format.encoding));
    expect(encodings).toEqual(new Set(["utf-8-bom", "utf-8", "windows-1252", "utf-16le"]));
    const utf16 = files.find((f) => f.format.encoding === "utf-16le");
    expect([...(utf16?.bytes.subarray(0, 2) ?? [])]).toEqual([0xff, 0xfe]);
    expect(utf16?.format.delimiter).toBe("\t");
  });
});

describe("demo random source", () => {
  test("a multinomial split gives out exactly the items it was given", () => {
    const random = randomFor("test");
    for (const n of [0, 1, 7, 59, 60, 1000, 25000]) {
      const parts = random.multinomial(n, [8.8, 2, 5.6, 3.2, 6.4, 58.8, 9.6, 4, 0.8, 0.8]);
      expect(parts.reduce((s, x) => s + x, 0)).toBe(n);
      expect(parts.every((x) => x >= 0)).toBe(true);
    }
  });
});
