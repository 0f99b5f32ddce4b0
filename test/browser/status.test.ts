import fs from "node:fs";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshot,
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
      `SELECT vuosineljannes AS q, count(DISTINCT kunta) AS kunnat, count(*) AS rivit
       FROM ${dataset} GROUP BY vuosineljannes ORDER BY vuosineljannes DESC LIMIT 12`,
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

  it("works with JavaScript disabled", async () => {
    const page = await env.open("/sv/tila", { javaScriptEnabled: false });

    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await page.locator("h1").first().textContent()).toBe("Datastatus");
    expect(await countsTable(page, "kuntouttava")).toEqual(await countsFromDb("kuntouttava"));
    expectNoConsoleErrors(page);
    await screenshot(page, "status-sv-nojs");
    await page.context().close();
  });
});
