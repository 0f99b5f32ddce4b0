import { expect, it } from "vitest";
import { formatPublished } from "../../indicators/format.ts";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

const PAGES = [
  { name: "front", paths: { fi: "/?alue=15", sv: "/sv/?alue=15", en: "/en/?alue=15" } },
  {
    name: "indicator",
    paths: {
      fi: "/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year",
      sv: "/sv/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year",
      en: "/en/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year",
    },
  },
  { name: "area", paths: { fi: "/alue/179", sv: "/sv/alue/179", en: "/en/alue/179" } },
  { name: "API docs", paths: { fi: "/api", sv: "/sv/api", en: "/en/api" } },
  { name: "reports", paths: { fi: "/raportit", sv: "/sv/raportit", en: "/en/raportit" } },
  { name: "sign-in", paths: { fi: "/kirjaudu", sv: "/sv/kirjaudu", en: "/en/kirjaudu" } },
  { name: "upload (signed out)", paths: { fi: "/lataa", sv: "/sv/lataa", en: "/en/lataa" } },
] as const;

describeBrowser("the front, indicator and area pages in chromium", () => {
  const env = useBrowserEnv();

  for (const { name, paths } of PAGES) {
    for (const [lang, path] of Object.entries(paths)) {
      it(`${name} page in ${lang} opens without console errors and passes axe`, async () => {
        const page = await env.open(path);

        expect(await page.locator("html").getAttribute("lang")).toBe(lang);
        expect(await page.locator("h1").count()).toBe(1);
        await checkAccessibility(page);
        expectNoConsoleErrors(page);
        await screenshotForHumans(page, `${name}-${lang}`);
        await page.context().close();
      });
    }
  }

  it("the indicator page's comparison table shows the same figures as GET /api/v1/values", async () => {
    const page = await env.open("/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year");
    const caption = page.locator("table", { hasText: "Joutsa" }).first();
    const jyvaskyla = await caption
      .locator("tr", { hasText: "Jyväskylä" })
      .locator("td")
      .first()
      .textContent();
    const period = await page.locator("select[name=jakso] option[selected]").getAttribute("value");

    const api = async <T>(path: string) => (await (await fetch(`${env.baseUrl}${path}`)).json()) as T;
    const { values } = await api<{ values: { value: number | null; symbol: string | null }[] }>(
      `/api/v1/values?indicator=kt-tyohon&level=kunta&area=179&period_type=year&period=${period}&category=total`,
    );
    const { indicator: definition } = await api<{ indicator: { decimals: number } }>(
      "/api/v1/indicators/kt-tyohon",
    );

    expect(values).toHaveLength(1);
    // a hidden value's cell is its symbol and the number of its footnote
    expect(jyvaskyla?.trim().replace(/^(\.\.|\.|–)\d+$/, "$1")).toBe(
      formatPublished(values[0] as (typeof values)[number], definition.decimals, "fi"),
    );
    await page.context().close();
  });
});
