import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { loadAnnotations } from "../../indicators/annotations.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

/**
 * Annotations (indicators/annotations.json) on the real app: Hyvinkää (106) and Mäntyharju (507) report
 * the four quarters around the 2025 reform, so the reform (every series) and the Pertunmaa merger
 * (Mäntyharju's series only) fall inside the time series.
 */
const rows = (kunta: string) =>
  ["2024Q3", "2024Q4", "2025Q1", "2025Q2"].map((q) => `${kunta};${q};400;20;40;6;4;2;3;5;15;2;1;1;1`);
const KT = `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
${[...rows("106"), ...rows("507")].join("\n")}
`;

let env: TestEnv;
let app: FastifyInstance;
beforeAll(async () => {
  env = await makeTestEnv();
  const report = await env.ingest("kt.csv", KT);
  expect(report.errors).toEqual([]);
  await recomputeAll(env.db, env.config);
  app = await buildApp({ db: env.db, config: env.config });
});
afterAll(async () => {
  await app.close();
  await env.close();
});

describe("the annotations file", () => {
  it("holds the three events the seeds and the reference data know, checked by its schema", () => {
    const list = loadAnnotations();

    expect(list.map((a) => [a.id, a.date])).toEqual([
      ["hyvinvointialueet-2023", "2023-01-01"],
      ["te-uudistus-2025", "2025-01-01"],
      ["pertunmaa-mantyharju-2025", "2025-01-01"],
    ]);
  });

  it("a broken file is refused naming the field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-annotations-"));
    const file = path.join(dir, "annotations.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        annotations: [
          {
            id: "x",
            date: "2025-01-01",
            kind: "reform",
            scope: { areas: ["kunnat:507"] },
            label: { fi: "a", sv: "b", en: "c" },
            text: { fi: "a", sv: "b", en: "c" },
          },
        ],
      }),
    );

    expect(() => loadAnnotations(file)).toThrow(/scope/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("annotations on the indicator page", () => {
  it("the reform is a marked rule on the time series, in its text alternative and under the table", async () => {
    const page = await app.inject("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");
    const chart = page.body.slice(page.body.indexOf("<figure"), page.body.indexOf("</figure>"));

    expect(page.statusCode).toBe(200);
    expect(chart).toMatch(/<g stroke-dasharray="2,3"[^>]*><line /);
    expect(chart).toContain(">TE-uudistus</text>");
    expect(chart).toContain(
      "Merkinnät: 2025 Q1, TE-uudistus: Työllisyyspalvelut siirtyivät kunnille 1.1.2025",
    );
    expect(page.body).toMatch(
      /<div class="annotations">.*<li><strong>2025 Q1, TE-uudistus:<\/strong> Työllisyyspalvelut siirtyivät kunnille/s,
    );
    // only Mäntyharju's series carries the merger
    expect(page.body).not.toContain("Kuntaliitos");
  });

  it("Mäntyharju's series carries the merger too, in Swedish and English", async () => {
    const sv = await app.inject("/sv/indikaattori/kt-tyohon?taso=kunta&alue=507&jaksotyyppi=quarter");
    const en = await app.inject("/en/indikaattori/kt-tyohon?taso=kunta&alue=507&jaksotyyppi=quarter");

    expect(sv.body).toContain("Kommunsammanslagning");
    expect(sv.body).toContain("Pertunmaa (588) gick samman med Mäntyharju (507)");
    expect(en.body).toContain(">Merger</text>");
    expect(en.body).toContain("2025 Q1, TE reform:</strong> Employment services moved");
  });

  it("an event before the series starts has no mark", async () => {
    const page = await app.inject("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");

    expect(page.body).toContain("TE-uudistus");
    expect(page.body).not.toContain("Hyvinvointialueet aloittivat");
  });
});

describe("annotations in the downloads", () => {
  it("the page's workbook and the report export carry the reform in their notes", async () => {
    const report = await app.inject(
      "/api/v1/exports?format=csv-excel&level=hyvinvointialue&from=2024Q3&to=2025Q2",
    );
    const text = report.body;

    expect(report.statusCode).toBe(200);
    expect(text).toContain("merkintä: 2025Q1, TE-uudistus;Työllisyyspalvelut siirtyivät kunnille 1.1.2025");
    // the merger concerns Mäntyharju only, which a county export does not hold
    expect(text).not.toContain("Kuntaliitos");
    const json = await app.inject("/api/v1/exports?format=jsonstat&level=kunta&from=2024Q3&to=2025Q2");
    expect(json.body).toContain("Pertunmaa (588) liittyi Mäntyharjuun (507)");

    const xlsx = await app.inject("/en/indikaattori/kt-tyohon.xlsx?taso=kunta&alue=507&jaksotyyppi=quarter");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const notes: string[] = [];
    wb.getWorksheet("Notes")?.eachRow((row) => notes.push(String(row.getCell(1).value)));
    expect(notes).toContain(
      "2025Q1, Merger: Pertunmaa (588) merged into Mäntyharju (507) on 1 January 2025. The series is in the current division: Mäntyharju's figures include Pertunmaa's before the merger.",
    );
  });
});
