import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { loadSummary } from "../../dashboard/upload/summary.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { IPS_HEADER, ipsRow } from "../support/ips.ts";

// Two units of Keski-Suomi: Kätevä (Jyväskylä 179) reviewed twice, 83 then 91 (seed 004), with 100
// clients for 5 specialists; a small unit in Jämsä (182) reviewed once, 110 points, with 3 clients.

const header = IPS_HEADER.split(";");
const row = ipsRow;

const IPS = [
  header.join(";"),
  row("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-03-14", 83, 5, 100),
  row("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-10-02", 91, 5, 100),
  row("KS-IPS-2", "Jämsän työhönvalmennus", "182", "2024-05-20", 110, 1, 3),
].join("\n");

let env: TestEnv;
let app: FastifyInstance;
beforeAll(async () => {
  env = await makeTestEnv();
  const report = await env.ingest("ips.csv", `${IPS}\n`);
  expect(report.errors).toEqual([]);
  app = await buildApp({ db: env.db, config: env.config });
});
afterAll(async () => {
  await app.close();
  await env.close();
});

describe("IPS pages", () => {
  it("the unit list reads 83 → 91 as fair → fair, +8", async () => {
    const page = await app.inject("/ips");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("kohtalainen → kohtalainen, +8");
    expect(page.body).toContain("Työvalmennuspalvelu Kätevä");
  });

  it("the English page says fair → fair, +8", async () => {
    const page = await app.inject("/en/ips");
    expect(page.body).toContain("fair → fair, +8");
  });

  it("counts the county's units by the band of their latest review", async () => {
    const page = await app.inject("/ips");
    const county = page.body.match(/Keski-Suomen hyvinvointialue<\/th>((?:<td class="num">\d+<\/td>)+)/);
    expect(county?.[1]?.match(/\d+/g)).toEqual(["0", "1", "1", "0"]);
  });

  it("a small unit's client count and caseload are hidden, its score is not", async () => {
    const page = await app.inject("/ips/KS-IPS-2");
    expect(page.statusCode).toBe(200);
    const review = page.body.match(/<th scope="row">20\.5\.2024<\/th>[\s\S]*?<\/tr>/)?.[0] ?? "";
    expect(review).toContain('<td class="num">110</td>');
    // specialists 1; clients and caseload hidden
    expect(review).toMatch(/<td class="num">1<\/td>\s*<td class="num">\.\.<\/td><td class="num">\.\.<\/td>/);
  });

  it("the unit page lists the items lowest first with the change from the previous review", async () => {
    const page = await app.inject("/ips/KS-IPS-1");
    const items = [...page.body.matchAll(/<td class="num">(\d+)<\/td><th scope="row">/g)].map((m) =>
      Number(m[1]),
    );
    // 91 = 16 items of 4 and 9 of 3: the nine 3s (items 17–25) come first
    expect(items.slice(0, 9)).toEqual([17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(page.body).toContain("20,0 (20: kyllä)");
  });

  it("an unknown unit is a 404 page in the reader's language", async () => {
    const page = await app.inject("/sv/ips/EI-OLE");
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain("Enheten finns inte");
  });

  it("the front page has the IPS tile", async () => {
    const page = await app.inject("/");
    expect(page.body).toContain('href="/ips"');
  });
});

describe("GET /api/v1/ips", () => {
  it("gives every unit's reviews with totals, bands, trend and the hidden client count", async () => {
    const res = await app.inject("/api/v1/ips");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const katera = body.units.find((u: { unit: string }) => u.unit === "KS-IPS-1");
    expect(katera.reviews.map((r: { total: number }) => r.total)).toEqual([83, 91]);
    expect(katera.trend.en).toBe("fair → fair, +8");
    expect(katera.reviews[1]).toMatchObject({
      band: "kohtalainen",
      caseload_per_specialist: 20,
      caseload_within_limit: true,
    });
    const small = body.units.find((u: { unit: string }) => u.unit === "KS-IPS-2");
    expect(small.reviews[0]).toMatchObject({
      total: 110,
      band: "hyva",
      clients: null,
      clients_hidden: true,
      caseload_per_specialist: null,
    });
    expect(body.items).toHaveLength(25);
  });
});

describe("the upload summary of an IPS file", () => {
  it("marks the municipality's quarter replaced when a review of the same unit and date is sent again", async () => {
    const again = [
      header.join(";"),
      row("KS-IPS-2", "Jämsän työhönvalmennus", "182", "20.5.2024", 110, 1, 3),
    ];
    const report = await env.ingest("ips-again.csv", `${again.join("\n")}\n`);
    expect(report.keys_replaced).toEqual([{ yksikko: "KS-IPS-2", arviointipaiva: "2024-05-20" }]);
    expect(await loadSummary(env.db, report)).toEqual([
      { kunta: "182", nimi: "Jämsä", vuosineljannes: "2024Q2", rows: 1, replaced: true },
    ]);
  });
});
