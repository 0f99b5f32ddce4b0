import { expect, it } from "vitest";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

/**
 * The pages of the datasets of issue 2.5 in chromium on the demo data: the IPS pages (the list and the
 * unit whose reviews go 83 → 91, the list as release 1 published it) and two client-path indicators (the
 * coverage over two datasets too), in fi/sv/en at 1366 and 390 px.
 */

const PAGES = [
  { name: "ips", path: "/ips" },
  { name: "ips-unit", path: "/ips/KS-IPS-1" },
  { name: "ips-pinned", path: "/ips?julkaisu=1" },
  {
    name: "polku-indicator",
    path: "/indikaattori/polku-parani-osaaminen?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter",
  },
  {
    name: "polku-coverage",
    path: "/indikaattori/polku-kattavuus?taso=hyvinvointialue&alue=15&jaksotyyppi=year",
  },
] as const;
const LANGS = ["fi", "sv", "en"] as const;
const WIDTHS = [1366, 390] as const;

describeBrowser("the new datasets' pages in chromium", () => {
  const env = useBrowserEnv();

  for (const { name, path } of PAGES)
    for (const lang of LANGS)
      for (const width of WIDTHS)
        it(`${name} in ${lang} at ${width} px: no console errors, no serious axe findings, nothing wider than the screen`, async () => {
          const page = await env.open(lang === "fi" ? path : `/${lang}${path}`, {
            viewport: { width, height: 900 },
          });

          expect(await page.locator("html").getAttribute("lang")).toBe(lang);
          expect(await page.locator("h1").count()).toBe(1);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await checkAccessibility(page);
          expectNoConsoleErrors(page);
          await screenshotForHumans(page, `datasets-${name}-${lang}-${width}`);
          await page.context().close();
        });

  it("the unit page says fair → fair, +8 for the reviews 83 and 91", async () => {
    const page = await env.open("/en/ips/KS-IPS-1");
    expect(await page.getByText("fair → fair, +8").count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it("the front page shows the IPS tile and a tile of the client path", async () => {
    const page = await env.open("/");
    expect(await page.locator(".tile a[href='/ips']").count()).toBe(1);
    expect(await page.locator(".tile a[href*='polku-parani-osaaminen']").count()).toBe(1);
    await page.context().close();
  });
});
