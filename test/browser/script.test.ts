import { expect, it } from "vitest";
import { describeBrowser, expectNoConsoleErrors, screenshotForHumans, useBrowserEnv } from "./harness.ts";

/**
 * The optional script /seuranta.js in chromium: with JavaScript a choice made with the mouse sends the
 * indicator page's form and a chart mark shows its value in a tooltip (the CSP lets the script run:
 * no console errors); with JavaScript off the same page works through its "Näytä" button.
 */

const INDICATOR = "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter";

describeBrowser("the optional script", () => {
  const env = useBrowserEnv();

  it("with JavaScript, choosing a period type with the mouse shows the new page without pressing Näytä", async () => {
    const page = await env.open(INDICATOR, { viewport: { width: 1366, height: 900 } });
    await expect(page.locator("form.switch .auto-note").textContent()).resolves.toContain("Sivu päivittyy");
    await Promise.all([
      page.waitForURL(/jaksotyyppi=year/),
      page.locator("select[name=jaksotyyppi]").selectOption("year"),
    ]);
    await expect(page.locator("select[name=jaksotyyppi]").inputValue()).resolves.toBe("year");
    expectNoConsoleErrors(page);
    await page.context().close();
  });

  it("with JavaScript, arrow keys on a choice do not reload the page", async () => {
    const page = await env.open(INDICATOR, { viewport: { width: 1366, height: 900 } });
    const before = page.url();
    await page.locator("select[name=jakso]").focus();
    await page.keyboard.press("ArrowUp");
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expectNoConsoleErrors(page);
    await page.context().close();
  });

  for (const width of [1366, 390] as const)
    it(`with JavaScript at ${width} px, a point of the time series shows its value in Finnish format in a tooltip`, async () => {
      const page = await env.open(INDICATOR, { viewport: { width, height: 900 } });
      const variant = width === 390 ? "chart-narrow" : "chart-wide";
      const dot = page.locator(`figure.wide svg.${variant} circle`).first();
      await dot.scrollIntoViewIfNeeded();
      // the pointer goes to the dot's centre: a line's dot drawn over it there answers instead
      await dot.hover({ force: true });
      const tip = page.locator(".chart-tip");
      await expect(tip.isVisible()).resolves.toBe(true);
      expect(await tip.textContent()).toMatch(
        /^(Keski-Suomen hyvinvointialue|Koko maa), \d{4} Q[1-4]: \d+,\d\u00a0%$/,
      );
      // the browser's own tooltip would repeat it: the mark's <title> has gone
      expect(await page.locator(`svg.${variant} circle title`).count()).toBe(0);
      expectNoConsoleErrors(page);
      await screenshotForHumans(page, `script-tooltip-${width}`);
      await page.context().close();
    });

  it("without JavaScript, the choices work through the Näytä button and the marks keep their titles", async () => {
    const page = await env.open(INDICATOR, {
      viewport: { width: 390, height: 900 },
      javaScriptEnabled: false,
    });
    expect(await page.locator(".auto-note").count()).toBe(0);
    expect(await page.locator("figure.wide svg.chart-narrow circle title").count()).toBeGreaterThan(0);
    await page.locator("select[name=jaksotyyppi]").selectOption("year");
    expect(page.url()).toContain("jaksotyyppi=quarter");
    await Promise.all([
      page.waitForURL(/jaksotyyppi=year/),
      page.locator("form.switch button[type=submit]").click(),
    ]);
    await expect(page.locator("select[name=jaksotyyppi]").inputValue()).resolves.toBe("year");
    expect(await page.locator("figure svg.chart-narrow").count()).toBeGreaterThan(0);
    expectNoConsoleErrors(page);
    await page.context().close();
  });
});
