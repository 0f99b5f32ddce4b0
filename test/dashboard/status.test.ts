import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
/** A valid kuntouttava row: 31 ended periods = the sum of the outcomes. */
const row = (kunta: string, quarter: string, clients = 64) =>
  `${kunta};${quarter};${clients};12;31;3;0;2;1;2;19;3;1;0;0`;
const csv = (...rows: string[]) => `${HEADER}\n${rows.join("\n")}\n`;

let env: TestEnv;
let app: FastifyInstance;
beforeEach(async () => {
  env = await makeTestEnv();
  app = await buildApp({ db: env.db, config: env.config });
});
afterEach(async () => {
  await app.close();
  await env.close();
});

/** The cell states of a municipality's row in the matrix, oldest quarter first. */
function cellsOf(body: string, code: string): string[] {
  const match = new RegExp(`<tr><th scope="row">[^<]* <span class="code">${code}</span></th>(.*?)</tr>`).exec(
    body,
  );
  if (!match?.[1]) throw new Error(`no matrix row for ${code}`);
  return [...match[1].matchAll(/data-state="(\w+)"/g)].map((m) => m[1] ?? "");
}

/** The summary line of the matrix: "n/N" per quarter. */
function summaryOf(body: string): Record<string, string> {
  const foot = /<tfoot>(.*?)<\/tfoot>/s.exec(body)?.[1] ?? "";
  return Object.fromEntries([...foot.matchAll(/data-quarter="(\w+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
}

describe("the completeness matrix of the status page", () => {
  it("shows received, revised and missing per municipality for the latest 8 quarters, with text and a symbol", async () => {
    // Jyväskylä (179) sends 2025Q2 and 2025Q3, then a corrected 2025Q3; Muurame (500) sends 2025Q3
    expect((await env.ingest("jkl.csv", csv(row("179", "2025Q2"), row("179", "2025Q3")))).status).toBe(
      "loaded",
    );
    const fix = await env.ingest("jkl-korjaus.csv", csv(row("179", "2025Q3", 70)));
    expect(fix.keys_replaced).toEqual([{ kunta: "179", vuosineljannes: "2025Q3" }]);
    await env.ingest("muurame.csv", csv(row("500", "2025Q3")));

    const page = await app.inject("/tila?aineisto=kuntouttava&alue=15");

    expect(page.statusCode).toBe(200);
    const body = page.body;
    // 2023Q4 … 2025Q3 (the fixed test date 2025-11-25 ends 2025Q3)
    expect(body).toMatch(
      /<th scope="col">Kunta<\/th><th scope="col">2023 Q4<\/th>.*<th scope="col">2025 Q3<\/th><\/tr>/,
    );
    expect(cellsOf(body, "179")).toEqual([...Array(6).fill("missing"), "received", "revised"]);
    expect(cellsOf(body, "500")).toEqual([...Array(7).fill("missing"), "received"]);
    expect(cellsOf(body, "992")).toEqual(Array(8).fill("missing")); // Äänekoski sent nothing
    // text and a symbol in every cell, not colour alone
    expect(body).toContain(`data-state="received"><span aria-hidden="true">✓</span> saatu</td>`);
    expect(body).toContain(`data-state="revised"><span aria-hidden="true">✎</span> korjattu</td>`);
    expect(body).toContain(`data-state="missing"><span aria-hidden="true">–</span> puuttuu</td>`);
    const municipalities = (body.match(/<th scope="row">[^<]* <span class="code">/g) ?? []).length;
    expect(municipalities).toBe(22); // Keski-Suomi has 22 municipalities in 2026
    expect(summaryOf(body)).toMatchObject({ "2025Q3": "2/22", "2025Q2": "1/22", "2024Q1": "0/22" });
  });

  it("keeps datasets and counties apart: another dataset or county shows nothing received", async () => {
    await env.ingest("jkl.csv", csv(row("179", "2025Q3")));

    const tiimi = await app.inject("/tila?aineisto=tiimi&alue=15");
    const uusimaa = await app.inject("/tila?aineisto=kuntouttava&alue=01");

    expect(cellsOf(tiimi.body, "179")).toEqual(Array(8).fill("missing"));
    expect(summaryOf(uusimaa.body)["2025Q3"]).toBe("0/7");
    expect(uusimaa.body).not.toContain('<span class="code">179</span>');
  });

  it("the choice is a plain GET form that keeps the selection (works without JavaScript)", async () => {
    const page = await app.inject("/tila?aineisto=vammaispalvelut&alue=15");

    expect(page.body).toContain('<form method="get" action="/tila"');
    expect(page.body).toContain('<option value="vammaispalvelut" selected>');
    expect(page.body).toMatch(/<option value="15" selected>Keski-Suomen hyvinvointialue<\/option>/);
    // the language switch keeps the selection
    expect(page.body).toContain('href="/sv/tila?aineisto=vammaispalvelut&amp;alue=15" lang="sv"');
    // without parameters: the first dataset and county
    const plain = await app.inject("/tila");
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toContain('<option value="kuntouttava" selected>');
    expect(plain.body).toContain('<option value="01" selected>');
  });

  it("a county code that is not in ref_hyvinvointialue is a 400 with a Finnish message, not a 500", async () => {
    for (const alue of ["99", "15' OR 1=1 --", "1", "Keski-Suomi"]) {
      const page = await app.inject(`/tila?aineisto=kuntouttava&alue=${encodeURIComponent(alue)}`);

      expect(page.statusCode, alue).toBe(400);
      expect(page.headers["content-type"]).toContain("text/html");
      expect(page.body).toContain('<html lang="fi">');
      expect(page.body).toContain(`Tuntematon hyvinvointialue ”${alue.replaceAll("'", "&#39;")}”`);
    }
  });

  it("an unknown dataset or a repeated parameter is a 400 too, in the page's language", async () => {
    const dataset = await app.inject("/tila?aineisto=loads&alue=15");
    const repeated = await app.inject("/tila?alue=15&alue=16");
    const sv = await app.inject("/sv/tila?alue=99");

    expect(dataset.statusCode).toBe(400);
    expect(dataset.body).toContain("Tuntematon aineisto ”loads”. Valitse jokin näistä: kuntouttava");
    expect(repeated.statusCode).toBe(400);
    expect(repeated.body).toContain("Parametri ”alue” on annettu useammin kuin kerran.");
    expect(sv.statusCode).toBe(400);
    expect(sv.body).toContain("Okänt välfärdsområde ”99”");
  });

  it("is in Swedish under /sv/tila: headings, column heads, cell texts, summary", async () => {
    await env.ingest("jkl.csv", csv(row("179", "2025Q3")));

    const page = await app.inject("/sv/tila?aineisto=kuntouttava&alue=15");

    expect(page.body).toContain('<html lang="sv">');
    expect(page.body).toContain("<h1>Datastatus</h1>");
    expect(page.body).toContain('<h2 id="kattavuus">Täckning per kommun</h2>');
    expect(page.body).toContain("<h2>Laddningshistorik</h2>");
    expect(page.body).toContain("<h2>Senaste körningar av inkorgen</h2>");
    expect(page.body).toContain('<th scope="col">Kommun</th>');
    expect(page.body).toContain('<label for="alue">Välfärdsområde</label>');
    expect(page.body).toContain('<option value="15" selected>Mellersta Finlands välfärdsområde</option>');
    expect(page.body).toContain("✓</span> mottagen</td>");
    expect(page.body).toContain("–</span> saknas</td>");
    expect(page.body).toContain('<th scope="row">Mottagna</th>');
  });

  it("the load history gives counts per day to everyone, no file names or errors", async () => {
    await env.ingest("jyvaskyla-salainen.csv", csv(row("179", "2025Q3")));
    await env.ingest("jyvaskyla-salainen.csv", csv(row("179", "2025Q3"))); // same bytes: no load
    await env.ingest("rikki-salainen.csv", "kunta;vuosineljannes\n179;2025Q3\n");

    const page = await app.inject("/tila");

    const history = /<table id="lataushistoria">(.*?)<\/table>/s.exec(page.body)?.[1] ?? "";
    expect(history).toMatch(
      /<td>\d\d\.\d\d\.\d{4}<\/td><td class="num">1<\/td><td class="num">1<\/td><\/tr>/,
    );
    expect(page.body).not.toContain("salainen");
    // the per-quarter counts stay
    expect(page.body).toMatch(/<table id="maarat-kuntouttava">.*<td>2025 Q3<\/td><td class="num">1<\/td>/s);
  });
});
