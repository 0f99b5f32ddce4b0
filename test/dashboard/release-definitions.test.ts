import { describe, expect, it } from "vitest";
import { indicatorsResponseSchema, valuesResponseSchema } from "../../dashboard/api/schemas.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { definitionVersion, type IndicatorDefinition } from "../../indicators/definition.ts";
import { type Catalogue, catalogueOf, definitionsVersion, loadCatalogue } from "../../indicators/registry.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

/** The project's catalogue with kt-tyohon rewritten: new Finnish title and description, two decimals. */
async function rewrittenCatalogue(): Promise<Catalogue> {
  const current = await loadCatalogue();
  return catalogueOf(
    current.entries.map((entry) => {
      if (entry.definition.id !== "kt-tyohon") return entry;
      const definition: IndicatorDefinition = {
        ...entry.definition,
        title: { ...entry.definition.title, fi: "Työhön siirtyneet (uusi otsikko)" },
        description: {
          ...entry.definition.description,
          fi: "Uusi kuvaus: kuka lasketaan työhön siirtyneeksi.",
        },
        decimals: entry.definition.decimals + 1,
      };
      return { ...entry, definition, version: definitionVersion(definition) };
    }),
  );
}

describe("a read pinned to a release shows the definitions the release was made with", () => {
  const { env: fixtureEnv, app: fixtureApp } = useKeskiUusimaaApp();
  const get = (url: string) => fixtureApp().inject({ method: "GET", url });
  const VALUES = "/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue&area=02&period_type=quarter";
  const PINNED = [
    "/api/v1/indicators?release=1",
    `${VALUES}&release=1`,
    "/api/v1/exports?format=jsonstat&level=hyvinvointialue&from=2024Q1&to=2024Q1&release=1",
    "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=02&jaksotyyppi=quarter&julkaisu=1",
  ];
  const before = new Map<string, string>();
  let rewritten: Catalogue;

  it("release 1 keeps the catalogue's definitions", async () => {
    for (const url of PINNED) {
      const response = await get(url);
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
      before.set(url, response.body);
    }
    const stored = await fixtureEnv().db.all<{ definitions_version: string }>(
      "SELECT definitions_version FROM release_definitions",
    );
    expect(stored).toEqual([{ definitions_version: definitionsVersion(await loadCatalogue()) }]);
  });

  it("after a definition's text and decimals change and release 2 is made, every pinned read of release 1 is byte for byte as before", async () => {
    rewritten = await rewrittenCatalogue();
    const summary = await recomputeAll(fixtureEnv().db, fixtureEnv().config, { catalogue: rewritten });
    expect(summary.release?.id).toBe(2);
    for (const url of PINNED) {
      // a pinned page's banner says whether its release is the latest; the rest stays as it was
      const unbannered = (page: string | undefined) =>
        page?.replace(/<div class="notice release-banner".*?<\/div>/s, "");
      expect(unbannered((await get(url)).body), url).toBe(unbannered(before.get(url)));
    }
    // the two catalogues are kept once each
    const stored = await fixtureEnv().db.all<{ v: string }>(
      "SELECT definitions_version AS v FROM release_definitions ORDER BY v",
    );
    expect(stored.map((r) => r.v).sort()).toEqual(
      [definitionsVersion(await loadCatalogue()), definitionsVersion(rewritten)].sort(),
    );
  });

  it("release 2 answers with the new title, description, version and decimals", async () => {
    const old = indicatorsResponseSchema.parse((await get("/api/v1/indicators?release=1")).json());
    const now = indicatorsResponseSchema.parse((await get("/api/v1/indicators?release=2")).json());
    const oldOne = old.indicators.find((i) => i.id === "kt-tyohon");
    const newOne = now.indicators.find((i) => i.id === "kt-tyohon");
    expect(newOne?.title.fi).toBe("Työhön siirtyneet (uusi otsikko)");
    expect(newOne?.description.fi).toBe("Uusi kuvaus: kuka lasketaan työhön siirtyneeksi.");
    expect(newOne?.version).toBe(rewritten.byId("kt-tyohon")?.version);
    expect(oldOne?.title.fi).not.toBe(newOne?.title.fi);
    expect(newOne?.decimals).toBe((oldOne?.decimals ?? 0) + 1);
    expect(now.meta.definitions_version).toBe(definitionsVersion(rewritten));
    expect(old.meta.definitions_version).toBe(definitionsVersion(await loadCatalogue()));

    const page = await get(
      "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=02&jaksotyyppi=quarter&julkaisu=2",
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Työhön siirtyneet (uusi otsikko)");
    expect(before.get(PINNED[3] as string)).not.toContain("uusi otsikko");

    // values of release 2 are rounded to the new decimals, those of release 1 to the old
    const values = async (release: number) =>
      valuesResponseSchema
        .parse((await get(`${VALUES}&release=${release}`)).json())
        .values.flatMap((v) => v.value ?? []);
    const v1 = await values(1);
    const v2 = await values(2);
    expect(v1.length).toBeGreaterThan(0);
    expect(v2.map((v) => Number(v.toFixed(oldOne?.decimals)))).toEqual(v1);
    expect(v2).not.toEqual(v1);
    const decimalsOf = (v: number) => (String(v).split(".")[1] ?? "").length;
    expect(Math.max(...v1.map(decimalsOf))).toBe(oldOne?.decimals);
    expect(Math.max(...v2.map(decimalsOf))).toBe(newOne?.decimals);

    const exported = await get(
      "/api/v1/exports?format=jsonstat&level=hyvinvointialue&from=2024Q1&to=2024Q1&release=2",
    );
    expect(exported.body).toContain("Työhön siirtyneet (uusi otsikko)");
    expect(exported.body).toContain(definitionsVersion(rewritten));
  });
});
