import fs from "node:fs";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshot,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

const PAGES = [
  { lang: "fi", path: "/tila", h1: "Tietojen tila" },
  { lang: "sv", path: "/sv/tila", h1: "Datastatus" },
  { lang: "en", path: "/en/tila", h1: "Data status" },
] as const;

/** The rows of a per-quarter counts table as [quarter, municipalities, rows], spaces removed. */
async function countsTable(page: Page, dataset: string): Promise<string[][]> {
  const rows = page.locator(`#maarat-${dataset} tbody tr`);
  const out: string[][] = [];
  for (const row of await rows.all()) {
    out.push((await row.locator("td").allTextContents()).map((t) => t.replace(/\s+/g, "")));
  }
  return out;
}

describeBrowser("the data status page in chromium", () => {
  const env = useBrowserEnv();

  /** Per-quarter counts straight from DuckDB, formatted as the page shows them (spaces removed). */
  async function countsFromDb(dataset: string): Promise<string[][]> {
    const rows = await env.db.all<{ q: string; kunnat: bigint; rivit: bigint }>(
      // every dataset table has its quarter as vuosi and neljannes (ips has no vuosineljannes column)
      `SELECT vuosi || 'Q' || neljannes AS q, count(DISTINCT kunta) AS kunnat, count(*) AS rivit
       FROM ${dataset} GROUP BY q ORDER BY q DESC LIMIT 12`,
    );
    return rows.map((r) => [r.q, String(r.kunnat), String(r.rivit)]);
  }

  for (const { lang, path, h1 } of PAGES) {
    it(`opens ${path} (${lang}) without console errors, with <html lang>, passing axe`, async () => {
      const page = await env.open(path);

      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.locator("h1").first().textContent()).toBe(h1);
      await checkAccessibility(page);
      expectNoConsoleErrors(page);
      const file = await screenshot(page, `status-${lang}`);
      expect(fs.statSync(file).size).toBeGreaterThan(1000);
      await page.context().close();
    });
  }

  it("shows the same reporting counts per quarter as a direct DuckDB query", async () => {
    const page = await env.open("/tila");

    for (const dataset of DATASETS) {
      const expected = await countsFromDb(dataset.name);
      expect(expected.length, `demo data has ${dataset.name}`).toBeGreaterThan(0);
      expect(await countsTable(page, dataset.name)).toEqual(expected);
    }
    await page.context().close();
  });

  it("the completeness matrix matches DuckDB, passes axe, and its form works without JavaScript", async () => {
    const page = await env.open("/tila", { javaScriptEnabled: false });

    await page.selectOption("#aineisto", "kuntouttava");
    await page.selectOption("#alue", "15");
    await Promise.all([
      page.waitForURL(/aineisto=kuntouttava&alue=15/),
      page.click("form button[type=submit]"),
    ]);

    const caption = await page.locator("#kattavuus-taulukko caption").textContent();
    expect(caption).toContain("Keski-Suomen hyvinvointialue");
    const rows = await page.locator("#kattavuus-taulukko tbody tr").count();
    const expected = await env.db.all<{ q: string; n: bigint }>(
      `SELECT t.vuosineljannes AS q, count(DISTINCT t.kunta) AS n
       FROM kuntouttava t JOIN ref_kunta k ON k.kunta = t.kunta
       WHERE k.hyvinvointialue = ? GROUP BY ALL ORDER BY q DESC LIMIT 1`,
      ["15"],
    );
    const latest = expected[0];
    if (!latest) throw new Error("no demo data for county 15");
    const summary = await page
      .locator(`#kattavuus-taulukko tfoot td[data-quarter="${latest.q}"]`)
      .textContent();
    expect(summary).toBe(`${latest.n}/${rows}`);
    expectNoConsoleErrors(page);
    await screenshotForHumans(page, "status-matrix-fi-nojs");
    await page.context().close();

    const withJs = await env.open("/en/tila?aineisto=tiimi&alue=15");
    await checkAccessibility(withJs);
    expectNoConsoleErrors(withJs);
    await screenshotForHumans(withJs, "status-matrix-en-tiimi");
    await withJs.context().close();
  });

  it("a bad county code is a 400 page in the browser, still accessible", async () => {
    const page = await env.open("/tila?alue=99");

    expect(await page.locator("[role=alert]").textContent()).toContain("Tuntematon hyvinvointialue");
    await checkAccessibility(page);
    await page.context().close();
  });

  it("works with JavaScript disabled", async () => {
    const page = await env.open("/sv/tila", { javaScriptEnabled: false });

    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await page.locator("h1").first().textContent()).toBe("Datastatus");
    expect(await countsTable(page, "kuntouttava")).toEqual(await countsFromDb("kuntouttava"));
    expectNoConsoleErrors(page);
    await screenshotForHumans(page, "status-sv-nojs");
    await page.context().close();
  });
});
