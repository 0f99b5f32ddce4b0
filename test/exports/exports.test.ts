import { tableFromIPC } from "apache-arrow";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { writeExport } from "../../exports/export.ts";
import { FORMAT_NAMES, type FormatName } from "../../exports/formats/index.ts";
import { UNSUPPRESSED_NOTICE } from "../../exports/metadata.ts";
import { parseSelection } from "../../exports/report.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { useKeskiUusimaaApp } from "../dashboard/fixture.ts";
import {
  asCells,
  type Cell,
  expectedCells,
  expectSameCells,
  keyOf,
  levelCode,
  readCsvExcel,
  readXlsx,
  statusCode,
  withDuckDbFile,
} from "./support.ts";

const fixture = useKeskiUusimaaApp();
const QUERY = "level=hyvinvointialue,kunta&from=2024Q1&to=2024Q1";
const HIDDEN = "kt-tyohon||kunta|611|2024Q1"; // Pornainen: 2 of 12 to work
const HIDDEN_TOO = "kt-tyohon||kunta|186|2024Q1"; // Järvenpää, hidden so that Pornainen's cannot be worked out

let app: FastifyInstance;
let tokens: { admin: string; analyst: string };
let expected: Map<string, Cell>;
let expectedRaw: Map<string, Cell>;

beforeAll(async () => {
  const store = TokenStore.inMemory();
  tokens = {
    admin: store.add({ role: "admin", name: "Ylläpito" }).token,
    analyst: store.add({ role: "analyst", name: "Analyytikko", kunnat: ["611"] }).token,
  };
  const env = fixture.env();
  app = await buildApp({ db: env.db, config: env.config, tokens: store });
  const db = await env.db.reader();
  expected = await apiCells();
  expectedRaw = await apiCells(tokens.admin);
  // the API reads readValues as the export does; both agree with readValues read here directly
  expect(Object.fromEntries(expected)).toEqual(
    Object.fromEntries(await expectedCells(db, ["hyvinvointialue", "kunta", "koko_maa"], ["2024Q1"])),
  );
  expect(Object.fromEntries(expectedRaw)).toEqual(
    Object.fromEntries(await expectedCells(db, ["hyvinvointialue", "kunta", "koko_maa"], ["2024Q1"], true)),
  );
});

/** What GET /api/v1/values gives for the export's levels and period (unsuppressed with an admin token). */
async function apiCells(adminToken?: string): Promise<Map<string, Cell>> {
  const ids = (await loadCatalogue()).entries.map((e) => e.definition.id).join(",");
  const out = new Map<string, Cell>();
  for (const level of ["koko_maa", "hyvinvointialue", "kunta"]) {
    const response = await app.inject({
      url: `/api/v1/values?indicator=${ids}&level=${level}&period=2024Q1${adminToken ? "&suppression=none" : ""}`,
      headers: adminToken ? { authorization: `Bearer ${adminToken}` } : {},
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    for (const v of response.json().values as (Cell & Parameters<typeof keyOf>[0])[])
      out.set(keyOf(v), {
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        status: v.status,
      });
  }
  return out;
}
afterAll(async () => {
  await app.close();
});

async function download(format: FormatName, extra = "", token?: string) {
  const response = await app.inject({
    method: "GET",
    url: `/api/v1/exports?format=${format}&${QUERY}${extra}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
  return { body: response.rawPayload, headers: response.headers };
}

describe("GET /api/v1/exports read back by independent readers, compared with GET /api/v1/values", () => {
  it("the machine CSV (DuckDB read_csv) holds readValues' values", async () => {
    const { body, headers } = await download("csv");
    expect(headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(headers["content-disposition"]).toMatch(
      /^attachment; filename="seuranta_hyvinvointialue-kunta_2024Q1_\d{4}-\d{2}-\d{2}_julkaisu-1\.csv"$/,
    );
    expect(body.subarray(0, 3).toString("hex")).not.toBe("efbbbf");
    const rows = await withDuckDbFile(body, "machine.csv", (file, all) =>
      all(`SELECT * FROM read_csv('${file}')`),
    );
    expectSameCells(asCells(rows), expected);
    expect(rows[0]).toMatchObject({ suppression_threshold: 5n, suppression_applied: true, release: 1n });
    expect(String(rows[0]?.definitions_version)).toMatch(/^[0-9a-f]{16}$/);
    expect(rows[0]?.data_as_of).toBeInstanceOf(Date); // ISO 8601, which read_csv takes for a timestamp
    const api = (await app.inject({ url: "/api/v1/values?indicator=kt-tyohon&level=koko_maa" })).json().meta;
    expect(rows[0]?.definitions_version).toBe(api.definitions_version);
    expect((rows[0]?.data_as_of as Date | undefined)?.toISOString().replace(".000Z", "Z")).toBe(
      api.data_as_of,
    );
  });

  it("the Excel CSV (BOM, ;, decimal comma, CRLF) holds the same values under its metadata lines", async () => {
    const { body, headers } = await download("csv-excel");
    expect(headers["content-disposition"]).toContain("_excel.csv");
    expect(body.subarray(0, 3).toString("hex")).toBe("efbbbf");
    const text = body.toString("utf8");
    expect(text.split("\r\n").length).toBeGreaterThan(100);
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    expect(text).toContain("tietosuojaraja;5");
    expect(text).toContain("ei ilmoittaneet: kuntouttava 2024Q1;305:");
    expect(text).toMatch(/kt-tyohon;;Hyvinvointialue;01;[^\r]*;2024Q1;\.;/); // a county that did not report
    expect(text).toMatch(/;\d+,\d;%;/); // decimal comma
    const rows = await readCsvExcel(body);
    expectSameCells(asCells(rows), expected);
    const hidden = rows.find((r) => keyOf(r as never) === HIDDEN);
    expect(hidden).toMatchObject({ symbol: "..", status: "suppressed" });
  });

  it("Parquet (DuckDB read_parquet) holds the values and the metadata as key-value metadata", async () => {
    const { body } = await download("parquet");
    const { rows, kv } = await withDuckDbFile(body, "x.parquet", async (file, all) => ({
      rows: await all(`SELECT * FROM read_parquet('${file}')`),
      kv: await all(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`),
    }));
    expectSameCells(asCells(rows), expected);
    const meta = Object.fromEntries(kv.map((r) => [r.key, r.value]));
    expect(meta).toMatchObject({
      "seuranta.suppression_threshold": "5",
      "seuranta.suppression_applied": "true",
    });
    expect(JSON.parse(String(meta["seuranta.not_reported"]))[0]).toMatchObject({
      dataset: "kuntouttava",
      period: "2024Q1",
    });
  });

  it("Arrow (apache-arrow tableFromIPC) holds the values and the metadata in the schema", async () => {
    const { body, headers } = await download("arrow");
    expect(headers["content-type"]).toBe("application/vnd.apache.arrow.file");
    const table = tableFromIPC(body);
    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    expectSameCells(asCells(rows), expected);
    expect(table.schema.metadata.get("seuranta.suppression_applied")).toBe("true");
    expect(table.schema.metadata.get("seuranta.definitions_version")).toMatch(/^[0-9a-f]{16}$/);
    expect(table.schema.fields.find((f) => f.name === "value")?.type.toString()).toBe("Float64");
  });

  it("XLSX (exceljs) has values as number cells, definitions and notes sheets", async () => {
    const { body } = await download("xlsx");
    const { wb, grid } = await readXlsx(body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Arvot", "Määritelmät", "Huomautukset"]);
    const [header = [], ...data] = grid;
    const col = (name: string) => header.indexOf(name);
    const rows = data.map((r) => {
      const value = r[col("arvo")];
      return {
        indicator: r[col("indikaattori")],
        category: r[col("luokka")] ?? "",
        level: levelCode(String(r[col("taso")])),
        area: r[col("aluekoodi")],
        period: r[col("jakso")],
        value: typeof value === "number" ? value : null,
        numerator: r[col("osoittaja")] ?? null,
        denominator: r[col("nimittäjä")] ?? null,
        status: statusCode(String(r[col("tila")])),
      };
    });
    expectSameCells(asCells(rows), expected);
    const shown = data.find((r) => r[col("tila")] === "arvo");
    expect(typeof shown?.[col("arvo")]).toBe("number");
    // row 2: the first value (a percentage with one decimal) and its counts, formatted as numbers
    const second = wb.worksheets[0]?.getRow(2);
    expect(second?.getCell(col("arvo") + 1).numFmt).toBe("#,##0.0");
    expect(second?.getCell(col("osoittaja") + 1).numFmt).toBe("#,##0");
    const hidden = data.find((r) => keyOf(rows[data.indexOf(r)] as never) === HIDDEN);
    expect(hidden?.[col("arvo")]).toBe("..");
    const notes: string[] = [];
    wb.getWorksheet("Huomautukset")?.eachRow((row) => {
      notes.push((row.values as unknown[]).slice(1).join(" "));
    });
    expect(notes.join("\n")).toContain("tietosuojaraja 5");
    expect(notes.join("\n")).toContain("ei ilmoittaneet: kuntouttava 2024Q1");
    expect(notes.join("\n")).toContain("määritelmien versio");
    const defs: unknown[] = [];
    wb.getWorksheet("Määritelmät")?.eachRow((row) => {
      defs.push((row.values as unknown[])[1]);
    });
    expect(defs).toContain("kt-tyohon");
  });

  it("JSON-stat 2.0: a consistent dataset with status per hidden cell", async () => {
    const { body } = await download("jsonstat");
    const ds = JSON.parse(body.toString("utf8"));
    expect(ds).toMatchObject({ version: "2.0", class: "dataset", id: ["indicator", "area", "period"] });
    expect(ds.size).toHaveLength(ds.id.length);
    for (const [i, id] of (ds.id as string[]).entries()) {
      const index = ds.dimension[id].category.index as Record<string, number>;
      expect(Object.values(index).sort((a, b) => a - b)).toEqual([...Array(ds.size[i]).keys()]);
      for (const key of Object.keys(index)) expect(ds.dimension[id].category.label[key]).toBeTypeOf("string");
    }
    const n = (ds.size as number[]).reduce((a, b) => a * b, 1);
    expect(ds.value).toHaveLength(n);
    for (const [at, symbol] of Object.entries(ds.status as Record<string, string>)) {
      expect(Number(at)).toBeLessThan(n);
      expect(["..", ".", "–"]).toContain(symbol);
      expect(ds.value[Number(at)]).toBeNull();
    }
    expect(ds.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ds.extension.seuranta).toMatchObject({ suppression_threshold: 5, suppression_applied: true });
    const statusOf: Record<string, string> = { "..": "suppressed", ".": "missing", "–": "not_computable" };
    const dims = ds.dimension;
    const cells = new Map<string, Cell>();
    for (const [indicatorId, i] of Object.entries(dims.indicator.category.index as Record<string, number>))
      for (const [areaId, a] of Object.entries(dims.area.category.index as Record<string, number>))
        for (const [period, p] of Object.entries(dims.period.category.index as Record<string, number>)) {
          const at = (i * ds.size[1] + a) * ds.size[2] + p;
          const [indicator = "", category = ""] = indicatorId.split(":");
          const [level = "", area = ""] = areaId.split(":");
          const key = keyOf({ indicator, category, level, area, period });
          if (!expected.has(key)) {
            expect(ds.value[at], key).toBeNull();
            continue;
          }
          const value = ds.value[at] as number | null;
          const symbol = ds.status[at] as string | undefined;
          cells.set(key, {
            value,
            numerator: ds.extension.seuranta.numerator[at],
            denominator: ds.extension.seuranta.denominator[at],
            status: symbol ? (statusOf[symbol] ?? symbol) : value === 0 ? "zero" : "value",
          });
        }
    // a shown 0 is the value 0 without a status, as readValues' zero
    expectSameCells(cells, expected);
  });
});

describe("suppression in every format", () => {
  it("the hidden cell of the fixture is hidden in readValues, so the tests above test it", () => {
    // the small numerator is hidden; the denominator (12 ended periods) needs no hiding and is shown
    expect(expected.get(HIDDEN)).toEqual({
      value: null,
      numerator: null,
      denominator: 12,
      status: "suppressed",
    });
    expect(expected.get(HIDDEN_TOO)?.status).toBe("suppressed");
    expect(expectedRaw.get(HIDDEN)).toMatchObject({ value: 16.7, numerator: 2, denominator: 12 });
  });

  it("an anonymous request for suppression=none is refused with 401", async () => {
    const response = await app.inject({ url: `/api/v1/exports?format=csv&${QUERY}&suppression=none` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: "unauthorised" });
    expect(response.body).not.toContain("16.7");
  });

  it("an analyst asking for suppression=none gets 403", async () => {
    const response = await app.inject({
      url: `/api/v1/exports?format=csv&${QUERY}&suppression=none`,
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: "forbidden" });
  });

  // six formats of every indicator of the demo: past 60 s when the whole suite runs on this machine
  it("an admin's unsuppressed export shows the hidden numbers and says so first, in every format", async () => {
    const raw = "&suppression=none";
    const csv = await download("csv", raw, tokens.admin);
    expect(csv.headers["cache-control"]).toBe("private, no-store");
    expect(csv.headers["content-disposition"]).toContain("_SUOJAAMATON");
    expect(csv.body.toString("utf8").split("\n")[0]).toBe(UNSUPPRESSED_NOTICE);
    const rows = await withDuckDbFile(csv.body, "raw.csv", (file, all) =>
      all(`SELECT * FROM read_csv('${file}')`),
    );
    expectSameCells(asCells(rows), expectedRaw);
    expect(rows[0]).toMatchObject({ suppression_applied: false });

    const excel = (await download("csv-excel", raw, tokens.admin)).body.toString("utf8");
    expect(excel.slice(1).split("\r\n")[0]).toBe(UNSUPPRESSED_NOTICE);
    expectSameCells(asCells(await readCsvExcel(Buffer.from(excel))), expectedRaw);

    const { grid } = await readXlsx((await download("xlsx", raw, tokens.admin)).body);
    expect(grid[0]).toEqual([UNSUPPRESSED_NOTICE]);

    const ds = JSON.parse((await download("jsonstat", raw, tokens.admin)).body.toString("utf8"));
    expect(ds.label).toMatch(new RegExp(`^${UNSUPPRESSED_NOTICE}`));
    expect(ds.extension.seuranta).toMatchObject({ suppression_applied: false, notice: UNSUPPRESSED_NOTICE });

    const arrow = tableFromIPC((await download("arrow", raw, tokens.admin)).body);
    expect(arrow.schema.metadata.get("seuranta.notice")).toBe(UNSUPPRESSED_NOTICE);
    expectSameCells(asCells(arrow.toArray().map((r) => r.toJSON() as Record<string, unknown>)), expectedRaw);

    const parquet = (await download("parquet", raw, tokens.admin)).body;
    const kv = await withDuckDbFile(parquet, "raw.parquet", (file, all) =>
      all(
        `SELECT decode(value) AS value FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'seuranta.notice'`,
      ),
    );
    expect(kv).toEqual([{ value: UNSUPPRESSED_NOTICE }]);
  }, 180_000);

  it("an admin without suppression=none gets the suppressed file", async () => {
    const { body } = await download("csv", "", tokens.admin);
    const rows = await withDuckDbFile(body, "a.csv", (file, all) => all(`SELECT * FROM read_csv('${file}')`));
    expectSameCells(asCells(rows), expected);
  });
});

describe("reproducible exports", () => {
  it.each(FORMAT_NAMES)(
    "%s: two exports of the same data give the same bytes, whatever the clock",
    async (format) => {
      const db = await fixture.env().db.reader();
      const parsed = parseSelection({ level: "hyvinvointialue", year: "2024" }, { year: 2025, quarter: 3 });
      if (!parsed.ok) throw new Error(parsed.error.message);
      const request = { selection: parsed.selection, format, threshold: 5 };
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(new Date("2030-01-01T10:00:00Z"));
        const first = await writeExport(db, request);
        vi.setSystemTime(new Date("2031-06-15T17:45:13Z"));
        const second = await writeExport(db, request);
        expect(second.name).toBe(first.name);
        expect(second.body.equals(first.body)).toBe(true);
        expect(first.name).toMatch(/^seuranta_hyvinvointialue_2024_\d{4}-\d{2}-\d{2}/);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  it("the date in the file name is the last load's, and so is the XLSX's own date", async () => {
    const env = fixture.env();
    const last = await env.db.one<{ d: string }>(
      `SELECT strftime(max(received_at) AT TIME ZONE 'Europe/Helsinki', '%Y-%m-%d') AS d FROM loads WHERE status = 'loaded'`,
    );
    const { body, headers } = await download("xlsx");
    expect(headers["content-disposition"]).toContain(`_2024Q1_${last?.d}_julkaisu-1.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    expect(wb.created.toISOString().slice(0, 10)).toBe(
      new Date(`${(await readMetaDate(body)) ?? ""}`).toISOString().slice(0, 10),
    );
  });
});

/** The data-as-of timestamp of an XLSX export's notes sheet. */
async function readMetaDate(body: Buffer): Promise<string | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  let found: string | null = null;
  wb.getWorksheet("Huomautukset")?.eachRow((row) => {
    const [label, value] = (row.values as unknown[]).slice(1);
    if (label === "aineisto ladattu viimeksi") found = String(value);
  });
  return found;
}

describe("requests the export refuses", () => {
  it.each([
    ["format=pdf&year=2024", "querystring.format"],
    ["format=csv&year=24", "querystring.year"],
    ["format=csv&year=2031", "querystring.year"],
    ["format=csv&year=2025", "querystring.year"], // 2025Q4 has not ended
    ["format=csv&from=2024Q3&to=2024Q1", "querystring.from"],
    ["format=csv&from=2024Q5&to=2024Q1", "querystring.from"],
    ["format=csv&year=2024&from=2024Q1&to=2024Q2", "querystring.year"],
    ["format=csv", "querystring.year"],
    ["format=csv&year=2024&level=maakunta", "querystring.level"],
    ["format=csv&year=2024&suppression=off", "querystring.suppression"],
  ])("%s is a 400 naming %s", async (query, parameter) => {
    const response = await app.inject({ url: `/api/v1/exports?${query}` });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe("invalid_request");
    expect(body.details.map((d: { parameter: string }) => d.parameter)).toContain(parameter);
    expect(body.message).toBeTypeOf("string");
  });
});

describe("the reports page", () => {
  it.each([
    ["/raportit", "Raportit", "Lataa"],
    ["/sv/raportit", "Rapporter", "Ladda ner"],
    ["/en/raportit", "Reports", "Download"],
  ])("%s has GET forms to the export in its language", async (url, title, button) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain('<form method="get" action="/api/v1/exports">');
    expect(html).toContain('name="year"');
    expect(html).toContain('name="from"');
    expect(html).toContain('name="to"');
    expect(html).toContain('<option value="hyvinvointialue,kunta">');
    for (const f of FORMAT_NAMES) expect(html).toContain(`<option value="${f}"`);
    expect(html).toContain(`>${button}</button>`);
    expect(html).toMatch(/<a href="(\/sv|\/en)?\/raportit">/);
  });

  it("only an admin's page offers the unsuppressed choice", async () => {
    expect((await app.inject({ url: "/raportit" })).body).not.toContain('name="suppression"');
    const analyst = await app.inject({
      url: "/raportit",
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    expect(analyst.body).not.toContain('name="suppression"');
    const admin = await app.inject({
      url: "/raportit",
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(admin.body).toContain('<input type="checkbox" id="year-raw" name="suppression" value="none">');
    expect(admin.headers["cache-control"]).toBe("private, no-store");
  });

  it("a form's request gives a file", async () => {
    const response = await app.inject({
      url: "/api/v1/exports?lang=sv&level=hyvinvointialue&year=2024&format=csv-excel",
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("dataskyddsgräns;5");
  });
});
