import { describe, expect, test } from "vitest";
import { type ReleasePin, readManyValues, readValues, type ValueQuery } from "../../indicators/read.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { KT, TIIMI, useComputed, VP } from "./support.ts";

const t = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });

/** Every indicator for Vantaa, its county and the country, as an area page asks, and a few odd ones. */
async function queries(): Promise<ValueQuery[]> {
  const catalogue = await loadCatalogue();
  return [
    ...catalogue.entries.map(({ definition: def }) => ({
      indicator: def.id,
      areas: [
        { level: "kunta" as const, area: "092" },
        { level: "hyvinvointialue" as const, area: "04" },
        { level: "koko_maa" as const, area: "SSS" },
      ].filter((a) => def.levels.includes(a.level)),
      periodType: def.periods[0],
      category: "",
    })),
    // the same indicator again, narrower, and with every breakdown cell
    { indicator: "kt-tyohon", level: "kunta", area: "245", period: "2024Q1" },
    { indicator: "vp-palkkatyo-osuus", level: "hyvinvointialue", area: "04" },
    { indicator: "kt-tyohon", areas: [] },
  ];
}

describe("readManyValues", () => {
  test("answers each query with what readValues gives it alone, in the queries' order", async () => {
    const asked = await queries();
    const many = await readManyValues(t.env.db, asked);
    const alone = await Promise.all(asked.map((q) => readValues(t.env.db, q)));

    expect(many).toEqual(alone);
    expect(many.filter((r) => r.values.length > 0).length).toBeGreaterThan(asked.length / 2);
  });

  test("a pinned read answers each query with the release's figures, as readValues does", async () => {
    const asked = await queries();
    const pin: ReleasePin = { id: 1, latest: 1 };
    const many = await readManyValues(t.env.db, asked, { release: pin });

    expect(many).toEqual(await Promise.all(asked.map((q) => readValues(t.env.db, q, { release: pin }))));
  });

  test("an unknown indicator among the queries is refused before anything is read", async () => {
    await expect(
      readManyValues(t.env.db, [{ indicator: "kt-tyohon" }, { indicator: "ei-ole" }]),
    ).rejects.toThrow(/Tuntematon indikaattori: ei-ole/);
  });
});
