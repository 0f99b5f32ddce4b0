import { expect, it } from "vitest";
import { createDemoTokens } from "../../dashboard/auth/demo.ts";
import {
  checkAccessibility,
  describeBrowser,
  expectNoConsoleErrors,
  screenshotForHumans,
  useBrowserEnv,
} from "./harness.ts";

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
// 2025Q3 is the last ended quarter of the tests' "today"; 40 + 5 (pay-subsidised) of 80 ended periods
// went to work: kt-tyohon 56,3 %
const FIXED = `${HEADER}\r\nJyväskylä;2025Q3;400;60;80;40;5;5;5;5;10;4;2;2;2\r\n`;
// paattyneet (81) is not the sum of the outcomes (80): the report names row 2 and the column
const BROKEN = FIXED.replace(";400;60;80;", ";400;60;81;");

const QUARTER_PAGE = "/indikaattori/kt-tyohon?taso=kunta&alue=179&jaksotyyppi=quarter&jakso=2025Q3";

describeBrowser("the analyst's upload in chromium", () => {
  const demo = createDemoTokens();
  const env = useBrowserEnv({ tokens: demo.store });

  it("signs in as the demo analyst, sends a broken file, reads the Finnish report, fixes it and sees the dashboard change", async () => {
    const before = await env.open(QUARTER_PAGE);
    const jyvaskyla = () =>
      before
        .locator("table", { hasText: "Joutsa" })
        .first()
        .locator("tr", { hasText: "Jyväskylä" })
        .locator("td")
        .first();
    const valueBefore = (await jyvaskyla().textContent())?.trim();
    expect(valueBefore).not.toBe("56,3");
    await before.context().close();

    const page = await env.open("/kirjaudu");
    await expect(page.locator(".demo-banner").textContent()).resolves.toContain("Esittelytila");
    await page.fill("#token", demo.analyst.token);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/lataa$/);
    await expect(page.locator(".userbar").textContent()).resolves.toContain("Esittelyn analyytikko");
    await checkAccessibility(page);

    await page.setInputFiles("#file", {
      name: "jyvaskyla_2025Q3.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(BROKEN, "utf8"),
    });
    await page.click("button.primary");
    await page.waitForSelector("#report-title");
    expect(await page.locator("#report-title").textContent()).toContain("Tiedosto hylättiin");
    const errorRow = page.locator("#errors tbody tr").first();
    const cells = (await errorRow.locator("td").allTextContents()).map((t) => t.trim());
    expect(cells[0]).toBe("2");
    expect(cells[2]).toBe("paattyneet");
    expect(cells[4]).toMatch(/summa/i);
    await checkAccessibility(page);
    await screenshotForHumans(page, "upload-rejected");

    await page.setInputFiles("#file", {
      name: "jyvaskyla_2025Q3_korjattu.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FIXED, "utf8"),
    });
    // the answer comes after the load's commit; the new figures follow in the background
    await page.click("button.primary");
    await page.waitForSelector("#report-title");
    expect(await page.locator("#report-title").textContent()).toContain("Tiedosto ladattiin");
    const change = (await page.locator("#changes tbody tr").first().locator("td").allTextContents()).map(
      (t) => t.trim(),
    );
    expect(change).toEqual(["2025 Q3", "Jyväskylä (179)", "korvattiin", "1"]);
    expect(await page.locator("#publication-title + p").textContent()).toContain(
      "Uusia lukuja valmistellaan",
    );
    await screenshotForHumans(page, "upload-loaded");
    expectNoConsoleErrors(page, [/^HTTP 422: .*\/lataa$/]);

    // the load's report says when the new figures are out (the recompute, protection and audit of the
    // whole demo): the analyst reloads it
    const reportLink = await page.locator("text=Tilanteen näet latauksen raportista").getAttribute("href");
    // the server is busy with protection meanwhile: its answers may take a while
    await page.goto(`${env.baseUrl}${reportLink}`, { timeout: 240_000 });
    for (let tries = 0; tries < 240; tries++) {
      if ((await page.locator("#publication-title + p").textContent())?.includes("julkaistu julkaisussa"))
        break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await page.reload({ timeout: 240_000 });
    }
    expect(await page.locator("#publication-title + p").textContent()).toMatch(/julkaistu julkaisussa \d+/);

    const history = await page.goto(`${env.baseUrl}/lataukset`);
    expect(history?.status()).toBe(200);
    expect(await page.locator("main table tbody tr").count()).toBe(2);

    await page.goto(`${env.baseUrl}${QUARTER_PAGE}`);
    const after = page
      .locator("table", { hasText: "Joutsa" })
      .first()
      .locator("tr", { hasText: "Jyväskylä" });
    // the new figure, or (when protection hides it) the hidden symbol with what the API shows of it
    const cell = (await after.locator("td").first().textContent())?.trim().replace(/^(\.\.)\d+$/, "$1");
    const api = (await (
      await fetch(
        `${env.baseUrl}/api/v1/values?indicator=kt-tyohon&level=kunta&area=179&period=2025Q3&category=total`,
      )
    ).json()) as { values: { value: number | null; status: string }[] };
    const published = api.values[0];
    expect(published?.value === null ? ".." : "56,3").toBe(cell);
    expect(published?.value === 56.3 || published?.status === "suppressed").toBe(true);
    expectNoConsoleErrors(page, [/^HTTP 422: .*\/lataa$/]);
    await page.context().close();
    // the new figures of the whole demo take the recompute, protection and audit
  }, 600_000);

  it("an analyst's file with another municipality's rows is refused naming the rows", async () => {
    const page = await env.open("/kirjaudu");
    await page.fill("#token", demo.analyst.token);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/lataa$/);
    await page.setInputFiles("#file", {
      name: "helsinki.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FIXED.replace("Jyväskylä;", "091;"), "utf8"),
    });
    await page.click("button.primary");
    await page.waitForSelector("#report-title");
    const codes = await page.locator("#errors tbody tr td:last-child").allTextContents();
    expect(codes).toContain("SEU_ROW_KUNTA_NOT_ALLOWED");
    await page.context().close();
  });
});
