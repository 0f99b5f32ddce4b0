import { afterAll, afterEach, describe, expect, test } from "vitest";
import { recomputeAll, recomputeIfStale, resultsAreStale } from "../../indicators/compute.ts";
import { definitionVersion, parseDefinition } from "../../indicators/definition.ts";
import { readValues } from "../../indicators/read.ts";
import { type Catalogue, loadCatalogue } from "../../indicators/registry.ts";
import { makeTestEnv, preparedEnv, type TestEnv } from "../support/env.ts";
import { KT, loadAndCompute, one } from "./support.ts";

/** The test's database, closed after it. */
let current: TestEnv | undefined;
/** A fresh database with the reference data only. */
async function emptyEnv(): Promise<TestEnv> {
  current = await makeTestEnv();
  return current;
}
// KT loaded and computed once (loadAndCompute checks each file loads); the tests that start from that
// state get their own copy of the data folder
const computedKt = preparedEnv(async (env) => void (await loadAndCompute(env, { "kt.csv": KT })));
/** A database with KT loaded and computed. */
async function ktEnv(): Promise<TestEnv> {
  current = await computedKt.copy();
  return current;
}
afterEach(async () => {
  await current?.close();
  current = undefined;
});
afterAll(() => computedKt.dispose());

/** The catalogue with one definition changed (a new version of kt-tyohon that counts only tyo). */
async function changedCatalogue(): Promise<Catalogue> {
  const base = await loadCatalogue();
  const entries = base.entries.map((e) => {
    if (e.definition.id !== "kt-tyohon") return e;
    const definition = parseDefinition(
      { ...e.definition, numerator: { sum: ["tyo"], over: "flow" } },
      e.file,
    );
    return { ...e, definition, version: definitionVersion(definition) };
  });
  return { entries, byId: (id) => entries.find((e) => e.definition.id === id) };
}

describe("recomputing", () => {
  test("summarises what was computed: indicators × levels × periods, values by status, duration", async () => {
    const summary = await loadAndCompute(await emptyEnv(), { "kt.csv": KT });
    const count = (await loadCatalogue()).entries.length;
    expect(summary.indicators).toBe(count);
    expect(summary.combinations).toBe(count * 4 * 3);
    expect(summary.periods).toEqual({ quarter: 5, rolling4q: 2, year: 2 });
    expect(summary.rows).toBe(Object.values(summary.byStatus).reduce((a, b) => a + b, 0));
    expect(summary.byStatus.suppressed).toBe(summary.suppressed.primary + summary.suppressed.secondary);
    expect(summary.durationMs).toBeGreaterThan(0);
  });

  test("is not needed again when nothing changed", async () => {
    const env = await ktEnv();
    expect(await recomputeIfStale(env.db, env.config)).toBeNull();
  });

  test("is needed after a load", async () => {
    const env = await ktEnv();
    await env.ingest("more.csv", KT.replace(/^092;2024Q4;800/m, "092;2024Q4;801"));
    expect(await resultsAreStale(env.db, env.config)).toBe(true);
    expect(await recomputeIfStale(env.db, env.config)).not.toBeNull();
    const v = await one(env, {
      indicator: "kt-asiakkaat-per-1000",
      level: "kunta",
      area: "092",
      period: "2024Q4",
    });
    expect(v.numerator).toBe(801);
  });

  test("is needed when the threshold changes", async () => {
    const env = await ktEnv();
    const config = { ...env.config, suppressionThreshold: 3 };
    expect(await resultsAreStale(env.db, config)).toBe(true);
  });

  test("of a changed definition: its old results are not served, and it is recomputed", async () => {
    const env = await ktEnv();
    const changed = await changedCatalogue();
    const before = await readValues(
      env.db,
      { indicator: "kt-tyohon", level: "kunta", area: "092" },
      { catalogue: changed },
    );
    expect(before).toMatchObject({ values: [], stale: true });
    expect(await recomputeIfStale(env.db, env.config, { catalogue: changed })).not.toBeNull();
    const after = await readValues(
      env.db,
      { indicator: "kt-tyohon", level: "kunta", area: "092", period: "2023Q4" },
      { catalogue: changed, unsuppressed: true },
    );
    expect(after.values[0]).toMatchObject({ numerator: 6, denominator: 40 });
  });

  test("stores each value with its definition's version", async () => {
    const env = await ktEnv();
    const catalogue = await loadCatalogue();
    const stored = await env.db.all<{ indicator_id: string; definition_version: string }>(
      `SELECT DISTINCT indicator_id, definition_version FROM indicator_values`,
    );
    for (const row of stored) expect(row.definition_version).toBe(catalogue.byId(row.indicator_id)?.version);
  });

  test("replaces the previous results wholesale", async () => {
    const env = await ktEnv();
    const count = async () =>
      Number((await env.db.one<{ n: bigint }>(`SELECT count(*) AS n FROM indicator_values`))?.n);
    const first = await count();
    await recomputeAll(env.db, env.config);
    expect(await count()).toBe(first);
  });
});

describe("population", () => {
  test("of a year without data is that of the latest earlier year, and the value says which", async () => {
    const env = await ktEnv();
    const v = await one(env, {
      indicator: "kt-asiakkaat-per-1000",
      level: "kunta",
      area: "092",
      period: "2023Q4",
      unsuppressed: true,
    });
    // 2023 is missing from the reference data: 31.12.2022, Vantaa 242 819
    expect(v).toMatchObject({ populationYear: 2022, denominator: 242819, value: 4.1 });
  });
});

describe("a merged municipality", () => {
  const header =
    "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";

  test("counts toward its successor for quarters before the merger", async () => {
    const env = await emptyEnv();
    await loadAndCompute(env, {
      "kt.csv": `${header}
507;2024Q1;40;5;10;4;1;0;0;1;4;0;0;0;0
588;2024Q1;15;2;6;2;0;0;0;0;4;0;0;0;0
507;2025Q1;50;5;10;3;0;0;0;1;6;0;0;0;0
`,
    });
    const q = (period: string) =>
      one(env, { indicator: "kt-tyohon", level: "kunta", area: "507", period, unsuppressed: true });
    // Mäntyharju and Pertunmaa together in 2024Q1: (4 + 1 + 2) of (10 + 6)
    expect(await q("2024Q1")).toMatchObject({ numerator: 7, denominator: 16, reported: 1 });
    expect(await q("2025Q1")).toMatchObject({ numerator: 3, denominator: 10 });
    const { values } = await readValues(env.db, { indicator: "kt-tyohon", level: "kunta", area: "588" });
    expect(values).toEqual([]);
  });

  test("that did not report leaves its successor unreported for quarters before the merger", async () => {
    const env = await emptyEnv();
    await loadAndCompute(env, {
      "kt.csv": `${header}
507;2024Q1;40;5;10;4;1;0;0;1;4;0;0;0;0
`,
    });
    const v = await one(env, { indicator: "kt-tyohon", level: "kunta", area: "507", period: "2024Q1" });
    expect(v).toMatchObject({ status: "missing", reason: "not_reported" });
  });
});

describe("an empty database", () => {
  test("computes no values and says so", async () => {
    const env = await emptyEnv();
    const summary = await recomputeAll(env.db, env.config);
    expect(summary.rows).toBe(0);
    const { values, stale } = await readValues(env.db, { indicator: "kt-tyohon" });
    expect(values).toEqual([]);
    expect(stale).toBe(false);
  });
});
