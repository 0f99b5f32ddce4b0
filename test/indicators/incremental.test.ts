import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ComputeSummary, recomputeAll, recomputeIfStale } from "../../indicators/compute.ts";
import { preparedEnv, type TestEnv } from "../support/env.ts";
import { KT, loadAndCompute, TIIMI, VP } from "./support.ts";

// After a load the recompute covers only what the load touched (incremental.ts); here every stored
// figure, the release and its inner cells are compared row for row with a full recompute of a second
// database that received the same files (real DuckDB files, real CSV bytes through the pipeline).

const KT_HEADER = KT.split("\n")[0];
const MERGED = `${KT_HEADER}
507;2024Q1;40;5;10;4;1;0;0;1;4;0;0;0;0
588;2024Q1;15;2;6;2;0;0;0;0;4;0;0;0;0
507;2024Q2;42;5;9;3;1;0;0;1;4;0;0;0;0
588;2024Q2;14;2;5;1;0;0;0;0;4;0;0;0;0
`;
/** One municipality-quarter sent again with other numbers: Kerava 2024Q3. */
const KERAVA_REVISED = `${KT_HEADER}\n245;2024Q3;281;6;9;2;1;0;1;1;3;1;0;0;0\n`;
/** Pertunmaa's 2024Q2 under its old code: it counts for Mäntyharju, its successor. */
const PERTUNMAA_REVISED = `${KT_HEADER}\n588;2024Q2;16;3;6;2;0;0;0;0;4;0;0;0;0\n`;
/** A quarter no file had before: every municipality's grid grows, so this one is recomputed whole. */
const VANTAA_NEW_QUARTER = `${KT_HEADER}\n092;2025Q1;950;20;30;5;2;1;3;4;12;1;1;0;1\n`;

const ORDER = "ORDER BY ALL";
const TABLES: Record<string, string> = {
  values: `SELECT * EXCLUDE (definition_version) FROM indicator_values ${ORDER}`,
  release: `SELECT * FROM release_latest ${ORDER}`,
  cells: `SELECT * FROM release_cells ${ORDER}`,
};

async function snapshot(env: TestEnv): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(TABLES)) {
    const rows = await env.db.all(sql);
    out[name] = JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
  }
  return out;
}

describe("the recompute after a load", () => {
  let incremental: TestEnv;
  let full: TestEnv;
  const summaries: Record<string, ComputeSummary | null> = {};

  /** Sends the same file to both databases; the one recomputes after it as the server does, the other in full. */
  async function loadBoth(name: string, csv: string) {
    for (const env of [incremental, full]) expect((await env.ingest(name, csv)).status).toBe("loaded");
    summaries[name] = await recomputeIfStale(incremental.db, incremental.config, { trigger: "upload" });
    await recomputeAll(full.db, full.config, { trigger: "test" });
  }

  // the two databases start alike: the files loaded and protected in full once, the data folder copied
  const prepared = preparedEnv(async (env) => {
    await loadAndCompute(env, { "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI, "merged.csv": MERGED });
  });
  beforeAll(async () => {
    incremental = await prepared.copy();
    full = await prepared.copy();
  }, 240_000);
  afterAll(async () => {
    await incremental?.close();
    await full?.close();
    prepared.dispose();
  });

  it("covers only the municipality and the areas and periods containing its quarter", async () => {
    await loadBoth("kerava.csv", KERAVA_REVISED);
    const scope = summaries["kerava.csv"]?.scope;
    // Kerava; its employment area, county and the country; 2024Q3, the year 2024 and the four-quarter
    // periods ending 2024Q3 and 2024Q4 (the data ends there)
    expect(scope).toEqual({ loads: 1, municipalities: 1, areas: 4, periods: 4 });
  }, 240_000);

  it("gives every figure, the release and its inner cells exactly as a full recompute does", async () => {
    expect(await snapshot(incremental)).toEqual(await snapshot(full));
  });

  it("counts an old municipality code's rows for its successor, as a full recompute does", async () => {
    await loadBoth("pertunmaa.csv", PERTUNMAA_REVISED);
    expect(summaries["pertunmaa.csv"]?.scope?.municipalities).toBe(1);
    expect(await snapshot(incremental)).toEqual(await snapshot(full));
  }, 240_000);

  it("recomputes in full when a load brings a quarter the data did not span before", async () => {
    await loadBoth("vantaa.csv", VANTAA_NEW_QUARTER);
    expect(summaries["vantaa.csv"]?.scope).toBeNull();
    expect(await snapshot(incremental)).toEqual(await snapshot(full));
  }, 240_000);
});
