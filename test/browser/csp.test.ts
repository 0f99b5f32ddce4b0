import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeBrowser, expectNoConsoleErrors, useBrowserEnv } from "./harness.ts";

/**
 * The Content-Security-Policy in a real browser: chromium enforces it and reports every refused inline
 * style or script on the console, which the harness collects; the charts must still be styled by
 * Plot's own `<style>` (allowed by its hash).
 */

const PAGES = [
  { name: "front page", path: "/?alue=15" },
  { name: "indicator page", path: "/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year" },
  { name: "area page", path: "/alue/179" },
  { name: "status page", path: "/tila" },
  { name: "sign-in page", path: "/kirjaudu" },
] as const;

/** Console messages that are CSP reports (the harness lists them with every other console error). */
function watchCsp(page: Page): string[] {
  const reports: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) reports.push(message.text());
  });
  return reports;
}

describeBrowser("the Content-Security-Policy in chromium", () => {
  const env = useBrowserEnv();

  for (const { name, path } of PAGES) {
    it(`the ${name} loads with no CSP violation`, async () => {
      const page = await env.open("/healthz");
      const reports = watchCsp(page);
      const response = await page.goto(`${env.baseUrl}${path}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'/);
      // the base style sheet applies: the header is coloured, not the browser's default transparent
      const headerBackground = await page
        .locator("header.site")
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(headerBackground).not.toBe("rgba(0, 0, 0, 0)");
      expect(reports).toEqual([]);
      expectNoConsoleErrors(page);
      await page.context().close();
    });
  }

  it("the indicator page's charts are styled by Plot's <style> and coloured by the color attribute", async () => {
    const page = await env.open("/healthz");
    const reports = watchCsp(page);
    await page.goto(`${env.baseUrl}/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=year`);
    // (the time series' figure is `wide`: the page's style sheet sets its width, so look at the others)
    const charts = page.locator("figure:not(.wide) svg[class^='seuranta-']");
    expect(await charts.count()).toBeGreaterThan(0);
    const style = await charts.first().evaluate((el) => {
      const computed = getComputedStyle(el);
      const text = el.querySelector("text");
      return {
        // Plot's <style>: `display: block; max-width: 100%` (an svg is inline by default)
        display: computed.display,
        maxWidth: computed.maxWidth,
        whiteSpace: text ? getComputedStyle(text).whiteSpace : null,
        color: computed.color,
      };
    });
    expect(style).toEqual({
      display: "block",
      maxWidth: "100%",
      whiteSpace: "pre",
      color: "rgb(33, 33, 33)",
    });
    expect(reports).toEqual([]);
    expectNoConsoleErrors(page);
    await page.context().close();
  });

  it("the chart SVG opened on its own is styled under its strict CSP", async () => {
    const page = await env.open("/healthz");
    const reports = watchCsp(page);
    // as the browser shows it when opened from the page (served inline, not as an attachment)
    await page.route("**/kaavio/*.svg", async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["content-disposition"];
      await route.fulfill({ response, headers });
    });
    const response = await page.goto(`${env.baseUrl}/indikaattori/kt-tyohon/kaavio/kehitys.svg`);
    expect(response?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const display = await page
      .locator("svg")
      .first()
      .evaluate((el) => getComputedStyle(el).display);
    expect(display).toBe("block");
    expect(reports).toEqual([]);
    await page.context().close();
  });

  it("an inline style the policy does not allow is refused and reported (the check works)", async () => {
    const page = await env.open("/healthz");
    const reports = watchCsp(page);
    await page.route("**/tila", async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("<main", '<main style="border: 5px solid red"');
      await route.fulfill({ response, body });
    });
    await page.goto(`${env.baseUrl}/tila`);
    const border = await page.locator("main").evaluate((el) => getComputedStyle(el).borderTopWidth);
    expect(border).toBe("0px");
    // chromium: "Applying inline style violates the following Content Security Policy directive…"
    expect(reports.join("\n")).toMatch(/inline style violates|Refused to apply inline style/);
    await page.context().close();
  });
});
