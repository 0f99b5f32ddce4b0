import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { formatPublished, formatValue } from "../../indicators/format.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

/**
 * The planner's pages (issue 2.4) in chromium on the demo data: the compare page, an employment-area
 * page, an annotated indicator page and an embed page, in fi/sv/en at 1366 and 390 px; the embed inside
 * an <iframe> of an allowed origin and of another one. The compare, annotated indicator and embed pages
 * are opened in each language at each width by charts.test.ts, which checks there what the loop below
 * checks here (language, one h1, nothing wider than the screen, no serious axe findings, no console
 * errors); this file opens them for what they show.
 */

const COMPARE =
  "/vertailu?indikaattori=kt-tyohon&alueet=kunta%3A179%2Ckunta%3A182%2Chyvinvointialue%3A15%2Ckoko_maa%3ASSS&jaksotyyppi=year";
const EMPLOYMENT_AREA = "/alue/tyollisyysalue/15";
const ANNOTATED_INDICATOR = "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter";
const EMBED = "/upotus/indikaattori/kt-tyohon/kehitys?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter";
/** The pages that charts.test.ts does not open (see above). */
const PAGES = [{ name: "employment-area", path: EMPLOYMENT_AREA }] as const;
const LANGS = ["fi", "sv", "en"] as const;
const WIDTHS = [1366, 390] as const;

/** A page on another origin that frames the embed page. */
function hostServer(): Promise<{ server: http.Server; origin: string; set(src: string): void }> {
  let src = "";
  const server = http.createServer((_request, response) => {
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.end(
      `<!doctype html><html lang="fi"><head><title>Host</title></head><body><h1>Host</h1><iframe src="${src}" width="800" height="640" title="Seuranta"></iframe></body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        origin: `http://127.0.0.1:${port}`,
        set: (s) => {
          src = s;
        },
      });
    }),
  );
}

describeBrowser("the planner's pages in chromium", () => {
  let allowed: Awaited<ReturnType<typeof hostServer>>;
  let other: Awaited<ReturnType<typeof hostServer>>;
  beforeAll(async () => {
    allowed = await hostServer();
    other = await hostServer();
  });
  afterAll(() => {
    allowed?.server.close();
    other?.server.close();
  });
  const env = useBrowserEnv({ settings: () => ({ SEURANTA_EMBED_ORIGINS: allowed.origin }) });

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
          await screenshotForHumans(page, `planner-${name}-${lang}-${width}`);
          await page.context().close();
        });

  it("the compare table shows the figures of GET /api/v1/values", async () => {
    const page = await env.open(COMPARE);
    const api = async <T>(p: string) => (await (await fetch(`${env.baseUrl}${p}`)).json()) as T;
    const areas = [
      ["kunta", "179"],
      ["kunta", "182"],
      ["hyvinvointialue", "15"],
      ["koko_maa", "SSS"],
    ] as const;
    const table = page.locator("table").first();
    const rows = await table.locator("tbody tr").all();
    let compared = 0;
    for (const row of rows) {
      const period = ((await row.locator("th").textContent()) ?? "").trim();
      const cells = await row.locator("td").allTextContents();
      for (const [i, [level, area]] of areas.entries()) {
        const { values } = await api<{ values: { value: number | null; symbol: string | null }[] }>(
          `/api/v1/values?indicator=kt-tyohon&level=${level}&area=${area}&period_type=year&period=${period}&category=total`,
        );
        const v = values[0];
        expect(cells[i]?.trim()).toBe(v ? formatPublished(v, 1, "fi") : ".");
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);
    await page.context().close();
  });

  /** The published figure of GET /api/v1/values as a page writes it (`.` when the API has none). */
  async function apiText(indicator: string, level: string, area: string, periodType: string, period: string) {
    const decimals = (await loadCatalogue()).byId(indicator)?.definition.decimals ?? 1;
    const q = new URLSearchParams({
      indicator,
      level,
      area,
      period_type: periodType,
      period,
      category: "total",
    });
    const response = await fetch(`${env.baseUrl}/api/v1/values?${q}`);
    expect(response.status, q.toString()).toBe(200);
    const { values } = (await response.json()) as {
      values: { value: number | null; symbol: string | null }[];
    };
    expect(values.length, q.toString()).toBeLessThanOrEqual(1);
    return values[0] ? formatPublished(values[0], decimals, "fi") : ".";
  }

  /** A table cell's figure without its footnote mark (`..` of `..1`). */
  const figureOf = (cell: import("playwright-core").Locator) =>
    cell.evaluate((td) => (td.firstChild?.textContent ?? "").trim());

  it("the employment-area page shows the figures of GET /api/v1/values in each of its columns", async () => {
    const page = await env.open(EMPLOYMENT_AREA);
    const areas = (await (await fetch(`${env.baseUrl}/api/v1/areas?level=tyollisyysalue`)).json()) as {
      areas: { code: string; county: string | null }[];
    };
    const county = areas.areas.find((a) => a.code === "15")?.county;
    if (!county) throw new Error("employment area 15 lies in one county");
    const columns = [
      ["tyollisyysalue", "15"],
      ["hyvinvointialue", county],
      ["koko_maa", "SSS"],
    ] as const;
    const catalogue = await loadCatalogue();
    let compared = 0;
    for (const row of await page.locator("table").first().locator("tbody tr").all()) {
      const href = (await row.locator("th a").getAttribute("href")) ?? "";
      const link = new URL(href, env.baseUrl);
      const indicator = link.pathname.split("/").at(-1) ?? "";
      const periodType = link.searchParams.get("jaksotyyppi") ?? "";
      const period = link.searchParams.get("jakso");
      if (period === null) continue;
      const cells = row.locator("td");
      for (const [i, [level, area]] of columns.entries()) {
        const shown = await figureOf(cells.nth(2 + i));
        const levels = catalogue.byId(indicator)?.definition.levels ?? [];
        expect(shown, `${indicator} ${level} ${area} ${period}`).toBe(
          levels.includes(level) ? await apiText(indicator, level, area, periodType, period) : ".",
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(30);
    await page.context().close();
  });

  it("the annotated indicator page's time series table shows the figures of GET /api/v1/values", async () => {
    const page = await env.open(ANNOTATED_INDICATOR);
    const series = [
      ["hyvinvointialue", "15"],
      ["koko_maa", "SSS"],
    ] as const;
    const table = page.locator("table").first();
    expect(await table.locator("thead th").count()).toBe(1 + series.length);
    let compared = 0;
    for (const row of await table.locator("tbody tr").all()) {
      const period = ((await row.locator("th").textContent()) ?? "").replace(" ", "").trim();
      for (const [i, [level, area]] of series.entries()) {
        expect(await figureOf(row.locator("td").nth(i))).toBe(
          await apiText("kt-tyohon", level, area, "quarter", period),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(16);
    await page.context().close();
  });

  it("the embed page's chart marks every figure of GET /api/v1/values for its area", async () => {
    // the chart as served: with JavaScript, /seuranta.js moves the marks' titles into its tooltips
    const page = await env.open(EMBED, { javaScriptEnabled: false });
    const response = await fetch(
      `${env.baseUrl}/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue&area=15&period_type=quarter&category=total`,
    );
    const { values } = (await response.json()) as {
      values: { period: string; value: number | null }[];
    };
    const titles = await page.locator("figure svg.chart-wide title").allTextContents();
    const shown = values.filter((v) => v.value !== null);
    expect(shown.length).toBeGreaterThanOrEqual(4);
    for (const v of shown)
      expect(titles).toContain(
        `Keski-Suomen hyvinvointialue, ${v.period.replace("Q", " Q")}: ${formatValue(v.value ?? 0, 1, "percent", "fi")}`,
      );
    // and nothing the API does not show
    expect(titles.filter((t) => t.startsWith("Keski-Suomen hyvinvointialue, "))).toHaveLength(shown.length);
    await page.context().close();
  });

  it("the annotated indicator page marks the reform on the chart, in its text alternative and under the table", async () => {
    const page = await env.open(ANNOTATED_INDICATOR);

    // once in each of the chart's two pictures (wide, and narrow for a phone)
    for (const picture of ["chart-wide", "chart-narrow"])
      expect(await page.locator(`figure svg.${picture} text`, { hasText: "TE-uudistus" }).count()).toBe(1);
    expect(await page.locator("figure svg desc").first().textContent()).toContain(
      "2025 Q1, TE-uudistus: Työllisyyspalvelut",
    );
    expect(await page.locator(".annotations li").first().textContent()).toContain("Hyvinvointialueet");
    await page.context().close();
  });

  it("the embed page renders inside an <iframe> of an allowed origin and is refused for another", async () => {
    const src = `${env.baseUrl}${EMBED}`;
    allowed.set(src);
    other.set(src);
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(allowed.origin);
    const frame = page.frames().find((f) => f.url().includes("/upotus/"));
    expect(frame).toBeDefined();
    await frame?.waitForSelector("h1");
    expect(await frame?.locator("h1").textContent()).toContain("Keski-Suomen hyvinvointialue");
    // the 800 px frame shows the wide picture of the chart, not the phone's
    expect(await frame?.locator("svg.chart-wide").isVisible()).toBe(true);
    expect(await frame?.locator("svg.chart-narrow").isVisible()).toBe(false);
    await screenshotForHumans(page, "planner-embed-in-iframe-allowed");

    const refusals: string[] = [];
    const blocked = await context.newPage();
    blocked.on("console", (m) => refusals.push(m.text()));
    await blocked.goto(other.origin);
    await blocked.waitForTimeout(500);
    const blockedFrame = blocked.frames().find((f) => f !== blocked.mainFrame());
    // chromium shows its own error page in the frame instead of ours
    expect(blockedFrame?.url()).toMatch(/^chrome-error:/);
    expect(await blockedFrame?.locator("svg[role=img]").count()).toBe(0);
    expect(refusals.join("\n")).toMatch(/frame-ancestors/);
    await screenshotForHumans(blocked, "planner-embed-in-iframe-refused");
    await context.close();
  });
});
