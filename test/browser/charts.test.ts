import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

/**
 * The charts are legible on a phone: at 390 px every chart on the indicator, compare and embed pages
 * is its narrow picture and its smallest text (tick labels, end labels, legend) is at least 11 px on
 * the screen; at 1366 px the wide picture is shown as before. (The area pages draw no chart: their
 * figures are tables.) With SEURANTA_SCREENSHOTS set, screenshots of each page go to
 * test-results/screenshots/charts-*.png.
 *
 * The planner's compare, annotated indicator and embed pages (issue 2.4) are these visits too: there each
 * also has its <html lang>, one h1 and no serious axe findings (planner.test.ts checks the planner's other
 * page and what those pages show), so that no page is opened twice for the same language and width.
 */

/** `planner`: one of the planner's pages, also checked for its language, h1 and axe findings. */
const PAGES: readonly { name: string; path: string; planner?: boolean }[] = [
  {
    name: "indicator",
    path: "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter",
    planner: true,
  },
  {
    name: "compare",
    path: "/vertailu?indikaattori=kt-tyohon&alueet=kunta%3A179%2Ckunta%3A182%2Chyvinvointialue%3A15%2Ckoko_maa%3ASSS&jaksotyyppi=year",
    planner: true,
  },
  {
    name: "embed-timeseries",
    path: "/upotus/indikaattori/kt-tyohon/kehitys?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter",
    planner: true,
  },
  {
    name: "embed-bars",
    path: "/upotus/indikaattori/kt-tyohon/vertailu?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter",
  },
  {
    name: "embed-map",
    path: "/upotus/indikaattori/kt-tyohon/kartta?taso=hyvinvointialue&alue=15&jaksotyyppi=quarter",
  },
  {
    name: "embed-compare",
    path: "/upotus/vertailu?indikaattori=kt-tyohon&alueet=kunta%3A179%2Chyvinvointialue%3A15&jaksotyyppi=year",
  },
];

interface Shown {
  variant: string;
  /** The smallest text of the chart as drawn on the screen: its font size times the SVG's scale, in px. */
  smallestText: number;
  /** The height of the first x-axis tick label's box on the screen, px (null without one). */
  tickHeight: number | null;
}

/** The chart pictures the page shows (display is not none) and how large their text is drawn. */
function shownCharts(page: Page): Promise<Shown[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("figure svg[role=img]")]
      .filter((svg) => getComputedStyle(svg).display !== "none")
      .map((svg) => {
        const sizes = [...svg.querySelectorAll("text")]
          .filter((t) => (t.textContent ?? "").trim() !== "")
          .map(
            (t) =>
              Number.parseFloat(getComputedStyle(t).fontSize) *
              ((t as SVGGraphicsElement).getScreenCTM()?.a ?? 0),
          );
        const tick = svg.querySelector("g[aria-label='x-axis tick label'] text, g text[y='0.71em']");
        return {
          variant: svg.classList.contains("chart-narrow")
            ? "narrow"
            : svg.classList.contains("chart-wide")
              ? "wide"
              : "",
          smallestText: Math.min(...sizes),
          tickHeight: tick ? tick.getBoundingClientRect().height : null,
        };
      }),
  );
}

describeBrowser("charts legible on a phone and unchanged on a wide screen", () => {
  const env = useBrowserEnv();

  for (const { name, path, planner = false } of PAGES)
    for (const lang of ["fi", "sv", "en"] as const)
      for (const width of [390, 1366] as const) {
        const checks = planner ? "; its language, one h1, no serious axe findings" : "";
        it(`${name} in ${lang} at ${width} px shows the ${width === 390 ? "narrow" : "wide"} charts with text of at least 11 px${checks}`, async () => {
          const page = await env.open(lang === "fi" ? path : `/${lang}${path}`, {
            viewport: { width, height: 900 },
          });
          const charts = await shownCharts(page);
          expect(charts.length).toBeGreaterThan(0);
          for (const chart of charts) {
            expect(chart.variant).toBe(width === 390 ? "narrow" : "wide");
            expect(chart.smallestText).toBeGreaterThanOrEqual(11);
            if (chart.tickHeight !== null) expect(chart.tickHeight).toBeGreaterThanOrEqual(11);
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          if (planner) {
            expect(await page.locator("html").getAttribute("lang")).toBe(lang);
            expect(await page.locator("h1").count()).toBe(1);
            await checkAccessibility(page);
          }
          expectNoConsoleErrors(page);
          await screenshotForHumans(page, `charts-${name}-${lang}-${width}`);
          await page.context().close();
        });
      }
});
