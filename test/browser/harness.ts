/**
 * Real-browser test harness: Debian's chromium driven by playwright-core against the real app
 * (buildApp) on a real DuckDB file holding the demo data loaded through the real pipeline.
 *
 * The demo database is built once per test run (about 10 s) into the folder that
 * test/support/global-setup.ts provides; every browser test file copies it into its own temp data
 * folder and starts its own server.
 *
 * Chromium: SEURANTA_BROWSER, else /usr/bin/chromium. Without it the browser tests are skipped with a
 * message, unless CI or SEURANTA_REQUIRE_BROWSER is set: then they fail.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import type { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { loadDemo } from "../../pipelines/demo/load.ts";
import { preparePipelines } from "../../pipelines/tables.ts";
import { TEST_TODAY } from "../support/env.ts";
import { buildOnce } from "../support/shared.ts";

const require = createRequire(import.meta.url);
const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, "test-results", "screenshots");

const DEFAULT_BROWSER = "/usr/bin/chromium";
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The chromium executable to use, or null when there is none. */
export function browserPath(): string | null {
  const configured = process.env.SEURANTA_BROWSER;
  if (configured) return configured;
  return fs.existsSync(DEFAULT_BROWSER) ? DEFAULT_BROWSER : null;
}

const browserRequired = () => Boolean(process.env.CI || process.env.SEURANTA_REQUIRE_BROWSER);
const MISSING =
  `chromium not found (set SEURANTA_BROWSER or install Debian's chromium: ` +
  `apt-get install -y --no-install-recommends chromium)`;
let warned = false;

/**
 * `describe` for browser tests: runs them when chromium is there; otherwise skips them with a message,
 * or fails when a browser is required (CI, SEURANTA_REQUIRE_BROWSER).
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserPath()) {
    describe(name, fn);
  } else if (browserRequired()) {
    describe(name, () => {
      it("has a browser to run in", () => {
        throw new Error(`${MISSING}; CI or SEURANTA_REQUIRE_BROWSER is set, so browser tests must run`);
      });
    });
  } else {
    if (!warned) console.warn(`browser tests skipped: ${MISSING}`);
    warned = true;
    describe.skip(`${name} (skipped: ${MISSING})`, fn);
  }
}

/** Builds a data folder with the reference data, the demo data and computed indicators. */
async function buildDemoDatabase(dataDir: string): Promise<string> {
  const config = loadConfig({ SEURANTA_DATA_DIR: dataDir, SEURANTA_TODAY: TEST_TODAY });
  const db = await Database.open(config.dbPath);
  try {
    await preparePipelines(db, config.referenceDir);
    const demo = await loadDemo({ db, config });
    const rejected = demo.reports.filter((r) => r.status === "rejected");
    if (rejected.length > 0)
      throw new Error(`demo files rejected: ${rejected.map((r) => r.file).join(", ")}`);
    await recomputeAll(db, config, { trigger: "test" });
  } finally {
    await db.close();
  }
  return config.dbPath;
}

/**
 * The path of the run's demo database file, built by whichever test file asks first (buildOnce keeps
 * the other test processes waiting for it). Copy it; never open it directly.
 */
export async function demoDatabaseFile(): Promise<string> {
  const dataDir = await buildOnce("browser-demo", buildDemoDatabase);
  return loadConfig({ SEURANTA_DATA_DIR: dataDir, SEURANTA_TODAY: TEST_TODAY }).dbPath;
}

/** What a browser test file gets: the app on a free port, its database, and pages in chromium. */
export interface BrowserEnv {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  db: Database;
  config: Config;
  app: FastifyInstance;
  browser: Browser;
  /** Opens a path in a fresh context (own cookies; options such as javaScriptEnabled: false). */
  open(pathname: string, options?: BrowserContextOptions): Promise<Page>;
}

const consoleErrors = new WeakMap<Page, string[]>();

/**
 * Registers beforeAll/afterAll that copy the demo database into a temp data folder, start the app on
 * 127.0.0.1 (free port) and launch chromium. Use inside describeBrowser.
 */
export function useBrowserEnv(
  options: { tokens?: TokenStore; settings?: () => Record<string, string> } = {},
): BrowserEnv {
  const env = {} as BrowserEnv;
  let dir = "";
  beforeAll(async () => {
    const source = await demoDatabaseFile();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-browser-"));
    const config = loadConfig({
      SEURANTA_DATA_DIR: dir,
      SEURANTA_TODAY: TEST_TODAY,
      ...(options.settings?.() ?? {}),
    });
    fs.copyFileSync(source, config.dbPath);
    const db = await Database.open(config.dbPath);
    const app = await buildApp({ db, config, tokens: options.tokens });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("server has no TCP address");
    const browser = await chromium.launch({
      executablePath: browserPath() ?? DEFAULT_BROWSER,
      args: LAUNCH_ARGS,
    });
    Object.assign(env, {
      baseUrl: `http://127.0.0.1:${address.port}`,
      db,
      config,
      app,
      browser,
      async open(pathname: string, options: BrowserContextOptions = {}) {
        const context = await browser.newContext({ locale: "fi-FI", ...options });
        const page = await context.newPage();
        const errors: string[] = [];
        consoleErrors.set(page, errors);
        page.on("console", (message) => {
          // a failed fetch logs "Failed to load resource" without its URL: the response handler names it
          if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
            errors.push(`console: ${message.text()}`);
        });
        page.on("response", (response) => {
          // chromium asks for /favicon.ico by itself; the pages do not link one (not a page error)
          if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico")
            errors.push(`HTTP ${response.status()}: ${response.url()}`);
        });
        page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
        page.on("requestfailed", (request) =>
          errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`),
        );
        const response = await page.goto(`${env.baseUrl}${pathname}`);
        if (!response) throw new Error(`no response for ${pathname}`);
        return page;
      },
    });
  }, 180_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.close();
    await env.db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return env;
}

/** Fails listing every console error, uncaught page error and failed request seen on the page. */
export function expectNoConsoleErrors(page: Page, expected: RegExp[] = []): void {
  // `expected`: answers the test asked for (a rejected upload is a 422 page)
  const errors = (consoleErrors.get(page) ?? []).filter((e) => !expected.some((x) => x.test(e)));
  expect(errors, `console errors on ${page.url()}`).toEqual([]);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the page and fails on serious or critical violations, listing
 * them with the elements they concern. Needs JavaScript enabled in the page's context.
 */
export async function checkAccessibility(page: Page): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol, which the pages' CSP (no scripts at all) does not govern;
  // a <script> tag (page.addScriptTag) would be refused
  await page.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })`,
  )) as { violations: AxeViolation[] };
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const listing = bad.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
      v.nodes
        .slice(0, 10)
        .map((n) => `    ${JSON.stringify(n.target)}`)
        .join("\n"),
  );
  expect(listing, `axe violations on ${page.url()}`).toEqual([]);
  return result.violations;
}

/**
 * Writes a full-page PNG to test-results/screenshots/<name>.png and returns its path. For a test that
 * asserts on the picture; a screenshot only for people to look at is `screenshotForHumans`.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A screenshot that no test looks at, for people reviewing the pages: written as `screenshot` does when
 * SEURANTA_SCREENSHOTS is set (`SEURANTA_SCREENSHOTS=1 npm test`), skipped otherwise (CI does not set it:
 * a full-page screenshot takes about a second, and the browser tests took a hundred of them).
 */
export async function screenshotForHumans(page: Page, name: string): Promise<void> {
  if (process.env.SEURANTA_SCREENSHOTS) await screenshot(page, name);
}
