import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recomputeAll } from "../../indicators/compute.ts";
import { readValues } from "../../indicators/read.ts";
import { latestReleaseId, listReleases, previousReleaseFigures } from "../../indicators/release/figures.ts";
import { KT_KESKI_UUSIMAA } from "../dashboard/fixture.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];

/** Indicators of the kuntouttava data these tests load: a rate, a share and a breakdown. */
const INDICATORS = ["kt-tyohon", "kt-jatkaa", "kt-paattymissyyt"];

/** Every figure of those indicators as JSON text, pinned to a release or the latest. */
async function everything(env: TestEnv, release?: number): Promise<string> {
  const latest = (await latestReleaseId(env.db)) ?? 0;
  const out: unknown[] = [];
  for (const indicator of INDICATORS) {
    const read = await readValues(
      env.db,
      { indicator },
      release === undefined ? {} : { release: { id: release, latest } },
    );
    out.push(read.values);
  }
  return JSON.stringify(out);
}

describe("releases: numbered, immutable versions of the published figures", () => {
  let env: TestEnv;
  const seen: string[] = [];
  beforeAll(async () => {
    env = await makeTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  test("the first recompute makes release 1, which reads as the latest figures", async () => {
    expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
    const summary = await recomputeAll(env.db, env.config, { trigger: "test" });
    expect(summary.release?.id).toBe(1);
    const latest = await everything(env);
    expect(await everything(env, 1)).toBe(latest);
    seen.push(latest);
    const [release] = await listReleases(env.db);
    expect(release).toMatchObject({ id: 1, loadIds: [1], latestLoadId: 1 });
    expect(release?.figures).toBeGreaterThan(0);
  });

  test("a recompute that changes no published figure makes no release", async () => {
    const summary = await recomputeAll(env.db, env.config, { trigger: "test" });
    expect(summary.release).toBeNull();
    expect(await latestReleaseId(env.db)).toBe(1);
  });

  test("a correction makes release 2; release 1 reads byte for byte as before, after each later load", async () => {
    expect(
      (await env.ingest("korjaus.csv", `${HEADER}\n106;2024Q1;1100;20;50;14;5;5;5;5;6;5;2;2;1\n`)).errors,
    ).toEqual([]);
    const second = await recomputeAll(env.db, env.config, { trigger: "test" });
    expect(second.release?.id).toBe(2);
    expect(second.release?.changed).toBeGreaterThan(0);
    const latest2 = await everything(env);
    expect(latest2).not.toBe(seen[0]);
    expect(await everything(env, 1)).toBe(seen[0]);
    expect(await everything(env, 2)).toBe(latest2);
    seen.push(latest2);

    expect(
      (await env.ingest("uusi.csv", `${HEADER}\n106;2024Q2;1100;20;50;14;5;5;5;5;6;5;2;2;1\n`)).errors,
    ).toEqual([]);
    const third = await recomputeAll(env.db, env.config, { trigger: "test" });
    expect(third.release?.id).toBe(3);
    expect(await everything(env, 1)).toBe(seen[0]);
    expect(await everything(env, 2)).toBe(seen[1]);
    expect(await everything(env, 3)).toBe(await everything(env));
    const releases = await listReleases(env.db);
    expect(releases.map((r) => [r.id, r.loadIds])).toEqual([
      [3, [3]],
      [2, [2]],
      [1, [1]],
    ]);
  }, 180_000);

  test("a release keeps no number protection hides, and no reason but `confidential` for a hidden one", async () => {
    for (const table of ["release_latest", "release_history"]) {
      const leaks = await env.db.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM ${table} WHERE status = 'suppressed' AND (value IS NOT NULL
           OR reason <> 'confidential' OR (shown_parts & 1 = 0 AND numerator IS NOT NULL)
           OR (shown_parts & 2 = 0 AND denominator IS NOT NULL))`,
      );
      expect(Number(leaks?.n), table).toBe(0);
    }
    const hidden = await env.db.one<{ n: bigint }>(
      `SELECT count(*) AS n FROM release_latest WHERE status = 'suppressed'`,
    );
    expect(Number(hidden?.n)).toBeGreaterThan(0);
  });

  test("the engine reads the figures of the release being served with one function", async () => {
    const figures = await previousReleaseFigures(env.db);
    const releases = await listReleases(env.db);
    expect(figures).toHaveLength(releases[0]?.figures ?? -1);
    expect(figures[0]).toHaveProperty("indicator_id");
    expect(figures[0]).toHaveProperty("status");
  });
});
