import { tableFromIPC } from "apache-arrow";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Localised } from "../../core/lang.ts";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { FORMAT_NAMES, type FormatName } from "../../exports/formats/index.ts";
import { columnsOf, type TableRow } from "../../exports/table.ts";
import type { IndicatorDefinition } from "../../indicators/definition.ts";
import { formatPublished, formatValue } from "../../indicators/format.ts";
import { LEVELS, type LevelName } from "../../indicators/levels.ts";
import { type ReaderValue, readValues, type ValueQuery } from "../../indicators/read.ts";
import { type Catalogue, loadCatalogue } from "../../indicators/registry.ts";
import { REASONS, type Reason, reasonText } from "../../indicators/suppress/status.ts";
import { type Cell, expectedCells, keyOf, num, withDuckDbFile } from "../exports/support.ts";
import { KT, TIIMI, useComputed, VP } from "../indicators/support.ts";

/**
 * Disclosure control must not say why a value is hidden: every public output (API, pages, page
 * downloads, charts, exports) calls a hidden value only "confidential", never small_count,
 * small_numerator, small_denominator or secondary, and shows of it only the number protection left
 * shown (`shown_parts`). Each output is compared with what readValues (public) allows, on the
 * hand-made fixture of county 04 (Vantaa 092, Kerava 245): its small numbers hide values for each
 * primary reason and, to protect those, others (secondary), and protection leaves one number of many
 * hidden values shown.
 */

const fixture = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });
const tokens = TokenStore.inMemory();
const admin = tokens.add({ role: "admin", name: "Ylläpito" }).token;
let app: FastifyInstance;
let catalogue: Catalogue;

beforeAll(async () => {
  catalogue = await loadCatalogue();
  app = await buildApp({ db: fixture.env.db, config: fixture.env.config, tokens });
});
afterAll(async () => {
  await app?.close();
});

const LANGS = ["fi", "sv", "en"] as const;
type Lang = (typeof LANGS)[number];
const SPECIFIC = ["small_count", "small_numerator", "small_denominator", "secondary"] as const;
/** The reason codes a public output may carry (not reported and 0/0 are no secret). */
const PUBLIC_REASONS = ["confidential", "not_reported", "zero_denominator"];
/**
 * The specific reasons in words, in every language: each text up to its threshold (the rest may be
 * worded with any number), so that the full text and any rewording of its end are caught.
 */
const SPECIFIC_TEXTS = SPECIFIC.flatMap((r) =>
  LANGS.map((lang) => REASONS[r][lang].split("{threshold}")[0]?.trim() ?? REASONS[r][lang]),
);

/** The heading of a downloads' column (columnsOf throws for an unknown one). */
const heading = (key: keyof TableRow): Localised =>
  columnsOf([key]).map((c) => c.label)[0] ?? { fi: "", sv: "", en: "" };
const H = {
  level: heading("level"),
  code: heading("area"),
  period: heading("period"),
  value: heading("value"),
  numerator: heading("numerator"),
  denominator: heading("denominator"),
  note: heading("note"),
};
const threshold = () => fixture.env.config.suppressionThreshold;
const confidential = (lang: Lang) => reasonText("confidential", lang, threshold());
const db = () => fixture.env.db;
const definition = (id: string): IndicatorDefinition => {
  const entry = catalogue.byId(id);
  if (!entry) throw new Error(`unknown indicator ${id}`);
  return entry.definition;
};
const ALL_IDS = () => catalogue.entries.map((e) => e.definition.id);

/** Fails naming the first specific reason code or text found in an output. */
function expectNoSpecificReason(text: string, where: string) {
  for (const t of SPECIFIC_TEXTS) expect(text, `${where} says "${t}"`).not.toContain(t);
  for (const code of ["small_count", "small_numerator", "small_denominator"])
    expect(text, `${where} names ${code}`).not.toContain(code);
  // "secondary" as a word of its own (a CSS custom property such as --text-secondary is no reason)
  expect(text, `${where} names secondary`).not.toMatch(/(?<![\w-])secondary(?![\w-])/);
}

/**
 * What readValues gives readers (unsuppressed: what an admin sees). Nothing in this file changes the
 * data, so each query is read once and its answer given again to the tests that ask it (as a new array).
 */
const referenceAnswers = new Map<string, Promise<ReaderValue[]>>();
async function reference(q: ValueQuery, unsuppressed = false): Promise<ReaderValue[]> {
  const key = JSON.stringify([q, unsuppressed]);
  let answer = referenceAnswers.get(key);
  if (!answer) {
    answer = readValues(db(), q, { catalogue, unsuppressed }).then((r) => r.values);
    referenceAnswers.set(key, answer);
  }
  return [...(await answer)];
}

async function get(url: string, token?: string) {
  return app.inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

// ---------------------------------------------------------------------------------------------------
// the reference

type ViewRow = {
  indicator_id: string;
  category: string;
  level: LevelName;
  area: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  status: string;
  reason: string | null;
  shown_parts: number;
};

/** The stored values of the fixture's areas straight from the view (raw: only the engine sees these). */
async function storedRows(): Promise<ViewRow[]> {
  return db().all<ViewRow>(
    `SELECT indicator_id, category, level, area, period, numerator, denominator, status, reason,
       shown_parts::INTEGER AS shown_parts
     FROM indicator_values WHERE area IN ('092', '245', '04', '11', '43', 'SSS')`,
  );
}

describe("the reference: readValues", () => {
  it("the fixture hides values for small numbers and to protect others, and leaves some denominators shown", async () => {
    const rows = await storedRows();
    const reasons = new Set(rows.filter((r) => r.status === "suppressed").map((r) => r.reason));

    expect([...reasons]).toEqual(expect.arrayContaining(["small_count", "small_numerator", "secondary"]));
    expect([...reasons].filter((r) => !SPECIFIC.includes(r as (typeof SPECIFIC)[number]))).toEqual([]);
    expect(rows.some((r) => r.status === "suppressed" && r.shown_parts === 2)).toBe(true);
    expect(rows.some((r) => r.status === "suppressed" && r.shown_parts === 0)).toBe(true);
  });

  it("readValues shows of a hidden value exactly the numbers protection left shown, and never both", async () => {
    const stored = new Map(
      (await storedRows()).map((r) => [
        keyOf({
          indicator: r.indicator_id,
          category: r.category,
          level: r.level,
          area: r.area,
          period: r.period,
        }),
        r,
      ]),
    );
    let hidden = 0;
    for (const id of ALL_IDS())
      for (const v of await reference({ indicator: id })) {
        const s = stored.get(keyOf(v));
        if (!s) continue;
        if (v.status !== "suppressed") continue;
        hidden++;
        const where = keyOf(v);
        expect(v.value, where).toBeNull();
        expect(v.reason, where).toBe("confidential");
        expect(v.numerator !== null, `${where} numerator`).toBe(
          (s.shown_parts & 1) === 1 && s.numerator !== null,
        );
        expect(v.denominator !== null, `${where} denominator`).toBe(
          (s.shown_parts & 2) === 2 && s.denominator !== null,
        );
        expect(v.numerator !== null && v.denominator !== null, `${where} shows both numbers`).toBe(false);
      }
    expect(hidden).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------------
// GET /api/v1/values

interface ApiValue {
  indicator: string;
  category: string | null;
  level: LevelName;
  area: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: string;
  suppressed: boolean;
  reason: string | null;
  reason_text: Record<Lang, string> | null;
  symbol: string | null;
}

/** The fixture's areas at every level, as API queries and as readValues queries. */
const API_AREAS: { query: string; reads: { level: LevelName; area: string }[] }[] = [
  {
    query: "level=kunta&area=092,245",
    reads: [
      { level: "kunta", area: "092" },
      { level: "kunta", area: "245" },
    ],
  },
  {
    query: "level=tyollisyysalue&area=11,43",
    reads: [
      { level: "tyollisyysalue", area: "11" },
      { level: "tyollisyysalue", area: "43" },
    ],
  },
  { query: "level=hyvinvointialue&area=04", reads: [{ level: "hyvinvointialue", area: "04" }] },
  { query: "level=koko_maa", reads: [{ level: "koko_maa", area: "SSS" }] },
];

/** Every answer of GET /api/v1/values for the fixture's areas (all indicators, all periods). */
async function apiAnswers(extra = "", token?: string) {
  const out: { body: string; values: ApiValue[]; cacheControl: unknown }[] = [];
  for (const { query } of API_AREAS) {
    const response = await get(`/api/v1/values?indicator=${ALL_IDS().join(",")}&${query}${extra}`, token);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    out.push({
      body: response.body,
      values: (response.json() as { values: ApiValue[] }).values,
      cacheControl: response.headers["cache-control"],
    });
  }
  return out;
}

async function referenceOfApiAreas(unsuppressed = false): Promise<Map<string, ReaderValue>> {
  const out = new Map<string, ReaderValue>();
  for (const id of ALL_IDS())
    for (const { reads } of API_AREAS)
      for (const r of reads)
        for (const v of await reference({ indicator: id, ...r }, unsuppressed)) out.set(keyOf(v), v);
  return out;
}

describe("GET /api/v1/values", () => {
  it("every hidden value has no value, the reason confidential and the confidential text", async () => {
    const hidden = (await apiAnswers()).flatMap((a) => a.values).filter((v) => v.status === "suppressed");

    expect(hidden.length).toBeGreaterThan(100);
    for (const v of hidden)
      expect(
        {
          value: v.value,
          suppressed: v.suppressed,
          reason: v.reason,
          reason_text: v.reason_text,
          symbol: v.symbol,
        },
        keyOf(v),
      ).toEqual({
        value: null,
        suppressed: true,
        reason: "confidential",
        reason_text: { fi: confidential("fi"), sv: confidential("sv"), en: confidential("en") },
        symbol: "..",
      });
  });

  it("gives every value as readValues does: a hidden one with only the number protection left shown", async () => {
    const values = (await apiAnswers()).flatMap((a) => a.values);
    const expected = await referenceOfApiAreas();

    expect(values.length).toBe(expected.size);
    for (const v of values) {
      const e = expected.get(keyOf(v));
      expect(e, keyOf(v)).toBeDefined();
      expect([v.value, v.numerator, v.denominator, v.status, v.reason, v.symbol], keyOf(v)).toEqual([
        e?.value,
        e?.numerator,
        e?.denominator,
        e?.status,
        e?.reason,
        e?.symbol,
      ]);
    }
    const hidden = values.filter((v) => v.status === "suppressed");
    // the partly shown hidden values are there, so the comparison above covers them
    expect(hidden.some((v) => v.denominator !== null)).toBe(true);
    expect(hidden.filter((v) => v.numerator !== null && v.denominator !== null)).toEqual([]);
  });

  it("no answer contains a specific reason code or text", async () => {
    for (const [i, a] of (await apiAnswers()).entries()) {
      expect(a.body).toContain('"confidential"');
      expect(a.body, API_AREAS[i]?.query).not.toContain('"secondary"');
      expectNoSpecificReason(a.body, `GET /api/v1/values?${API_AREAS[i]?.query}`);
    }
  });

  it("an admin asking for suppression=none gets each hidden value's specific reason and numbers", async () => {
    const answers = await apiAnswers("&suppression=none", admin);
    const values = answers.flatMap((a) => a.values);
    const raw = await referenceOfApiAreas(true);
    const hidden = values.filter((v) => v.status === "suppressed");

    expect(answers.map((a) => a.cacheControl)).toEqual(answers.map(() => "private, no-store"));
    expect([...new Set(hidden.map((v) => v.reason))]).toEqual(
      expect.arrayContaining(["small_count", "small_numerator", "secondary"]),
    );
    for (const v of hidden) {
      const e = raw.get(keyOf(v));
      expect([v.reason, v.value, v.numerator, v.denominator], keyOf(v)).toEqual([
        e?.reason,
        e?.value,
        e?.numerator,
        e?.denominator,
      ]);
      expect(v.reason_text?.fi, keyOf(v)).toBe(reasonText(v.reason as Reason, "fi", threshold()));
      expect(v.reason_text?.en, keyOf(v)).toBe(reasonText(v.reason as Reason, "en", threshold()));
    }
  });

  it("an admin who does not ask for suppression=none gets only confidential", async () => {
    for (const a of await apiAnswers("", admin)) {
      expectNoSpecificReason(a.body, "an admin's suppressed answer");
      for (const v of a.values.filter((x) => x.status === "suppressed"))
        expect(v.reason).toBe("confidential");
    }
  });

  it("an anonymous reader after an admin's unsuppressed read still gets only confidential", async () => {
    const url = `/api/v1/values?indicator=kt-tyohon,vp-tyohonvalmennus&level=kunta&area=245`;
    const before = await get(url);
    await get(`${url}&suppression=none`, admin);
    const after = await get(url);

    expect(after.statusCode).toBe(200);
    expect(after.body).toBe(before.body);
    expect(after.body).toContain('"confidential"');
    expectNoSpecificReason(after.body, "the anonymous answer after an admin's");
  });
});

// ---------------------------------------------------------------------------------------------------
// pages

/** The pages compared: each kind of denominator, a breakdown, a municipality and a county. */
const PAGES: { id: string; level: LevelName; area: string }[] = [
  { id: "kt-tyohon", level: "kunta", area: "245" },
  { id: "kt-paattymissyyt", level: "kunta", area: "092" },
  { id: "vp-tyohonvalmennus", level: "kunta", area: "245" },
  { id: "vp-avotyo-per-10000", level: "hyvinvointialue", area: "04" },
  { id: "tt-terveydenhuollosta", level: "kunta", area: "092" },
  { id: "kt-jatkaa", level: "hyvinvointialue", area: "04" },
];
const PERIOD = "2024Q1";
const pageQuery = (p: { level: LevelName; area: string }) =>
  `taso=${p.level}&alue=${p.area}&jaksotyyppi=quarter&jakso=${PERIOD}`;
const pageName = (p: { id: string; level: LevelName; area: string }) => `${p.id} ${p.level} ${p.area}`;
const prefix = (lang: Lang) => (lang === "fi" ? "" : `/${lang}`);

/** The series of the time-series table: the area, its county (for a municipality) and the country. */
function seriesOf(p: { level: LevelName; area: string }): { level: LevelName; area: string }[] {
  const out: { level: LevelName; area: string }[] = [{ level: p.level, area: p.area }];
  if (p.level === "kunta" || p.level === "tyollisyysalue") out.push({ level: "hyvinvointialue", area: "04" });
  if (p.level !== "koko_maa") out.push({ level: "koko_maa", area: "SSS" });
  return out;
}

async function page(url: string): Promise<string> {
  const response = await get(url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return response.body;
}

/** The text of a table cell: the tags (footnote links, spans) and their contents taken out. */
const cellText = (html: string) =>
  html
    .replace(/<sup>[\s\S]*?<\/sup>/g, "")
    .replace(/<[^>]+>/g, "")
    .trim();

/** The rows of an HTML table as [row heading, cells]. */
function tableRows(table: string): { head: string; headHtml: string; cells: string[] }[] {
  return [...table.matchAll(/<tr[^>]*><th scope="row"[^>]*>([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => ({
    head: cellText(m[1] ?? ""),
    headHtml: m[1] ?? "",
    cells: [...(m[2] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => cellText(c[1] ?? "")),
  }));
}

/** The footnotes of a page: number → text. */
function footnotes(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/<li id="note-(\d+)">([^<]*)<\/li>/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
  );
}

/** The expected text of a cell: the value as readValues gives it, `..` when hidden, `.` when there is none. */
const expectedCell = (v: ReaderValue | undefined, decimals: number, lang: Lang) =>
  v ? formatPublished(v, decimals, lang) : ".";

describe("indicator pages", () => {
  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "%s (fi) names no specific reason, only the confidential one",
    async (_name, p) => {
      const html = await page(`/indikaattori/${p.id}?${pageQuery(p)}`);

      expectNoSpecificReason(html, pageName(p));
      if (html.includes(">..<")) expect(html).toContain(confidential("fi"));
    },
  );

  it.each(["sv", "en"] as const)(
    "the %s indicator pages name no specific reason, only the confidential one",
    async (lang) => {
      for (const p of PAGES) {
        const html = await page(`${prefix(lang)}/indikaattori/${p.id}?${pageQuery(p)}`);
        expectNoSpecificReason(html, `${lang} ${pageName(p)}`);
        if (html.includes(">..<")) expect(html).toContain(confidential(lang));
      }
    },
  );

  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "%s: the time-series table gives each value as readValues does, a hidden one as ..",
    async (_name, p) => {
      const def = definition(p.id);
      const html = await page(`/indikaattori/${p.id}?${pageQuery(p)}`);
      const table = /<table>[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
      const series = seriesOf(p);
      const values = await Promise.all(
        series.map(
          async (s) =>
            new Map(
              (await reference({ indicator: p.id, ...s, periodType: "quarter", category: "" })).map((v) => [
                v.period,
                v,
              ]),
            ),
        ),
      );
      const rows = tableRows(table);

      expect(rows.length).toBeGreaterThan(0);
      let hidden = 0;
      for (const row of rows) {
        const period = row.head.replace(" ", "");
        expect(row.cells, `${pageName(p)} ${period}`).toEqual(
          values.map((byPeriod) => expectedCell(byPeriod.get(period), def.decimals, "fi")),
        );
        hidden += values.filter((byPeriod) => byPeriod.get(period)?.status === "suppressed").length;
      }
      expect(rows.flatMap((r) => r.cells).filter((c) => c === "..").length).toBe(hidden);
    },
  );

  it.each([
    ["kt-paattymissyyt", "kunta", "092"],
    ["vp-avotyo-per-10000", "hyvinvointialue", "04"],
    ["vp-tyohonvalmennus", "kunta", "245"],
  ] as const)(
    "%s %s %s: the breakdown table gives each category as readValues does, a hidden one as ..",
    async (id, level, area) => {
      const def = definition(id);
      const labels = def.breakdown?.labels ?? {};
      const html = await page(`/indikaattori/${id}?${pageQuery({ level, area })}`);
      const tables = [...html.matchAll(/<table>[\s\S]*?<\/table>/g)].map((m) => m[0]);
      const table = tables.find((t) =>
        Object.values(labels).some((l) => t.includes(`<th scope="row">${l.fi}</th>`)),
      );
      const values = (await reference({ indicator: id, level, area, period: PERIOD })).filter(
        (v) => v.category !== null,
      );

      expect(table, "the page has a breakdown table").toBeDefined();
      const rows = tableRows(table ?? "");
      expect(rows.length).toBe(values.length);
      for (const row of rows) {
        const code = Object.entries(labels).find(([, l]) => l.fi === row.head)?.[0];
        const v = values.find((x) => x.category === code);
        expect(v, row.head).toBeDefined();
        expect(row.cells, row.head).toEqual([expectedCell(v, def.decimals, "fi")]);
      }
    },
  );

  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "%s: every .. points to the confidential footnote",
    async (_name, p) => {
      const html = await page(`/indikaattori/${p.id}?${pageQuery(p)}`);
      const notes = footnotes(html);
      const links = [...html.matchAll(/>\.\.<sup><a href="#note-(\d+)"/g)].map((m) => m[1] ?? "");

      for (const n of links) expect(notes.get(n), `note ${n}`).toBe(confidential("fi"));
      for (const text of notes.values())
        expect([
          confidential("fi"),
          reasonText("not_reported", "fi", threshold()),
          reasonText("zero_denominator", "fi", threshold()),
        ]).toContain(text);
    },
  );
});

describe("area pages", () => {
  it.each([
    "/alue/kunta/245",
    "/alue/kunta/092",
    "/alue/hyvinvointialue/04",
    "/alue/tyollisyysalue/43",
    "/alue/koko_maa/SSS",
    "/en/alue/kunta/245",
    "/sv/alue/hyvinvointialue/04",
  ])("%s names no specific reason, only the confidential one", async (url) => {
    const html = await page(url);
    const lang: Lang = url.startsWith("/en/") ? "en" : url.startsWith("/sv/") ? "sv" : "fi";

    expectNoSpecificReason(html, url);
    expect(html).toContain(">..<");
    expect(html).toContain(confidential(lang));
  });

  it.each([
    ["245", "kunta"],
    ["04", "hyvinvointialue"],
    ["43", "tyollisyysalue"],
  ] as const)(
    "/alue/%s gives each latest value as readValues does, a hidden one as ..",
    async (code, level) => {
      const html = await page(`/alue/${level}/${code}`);
      const table = /<table[\s>][\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
      const columns = seriesOf({ level, area: code });
      const rows = tableRows(table);

      expect(rows.length).toBeGreaterThan(5);
      let hidden = 0;
      for (const row of rows) {
        const id = /\/indikaattori\/([a-z0-9-]+)\?/.exec(row.headHtml)?.[1] ?? "";
        const def = definition(id);
        const [periodText = "", , ...cells] = row.cells;
        const period = periodText.replace(" ", "");
        const expected = await Promise.all(
          columns.map(async (c) =>
            period === "" || !def.levels.includes(c.level)
              ? "."
              : expectedCell(
                  (await reference({ indicator: id, ...c, period, category: "" }))[0],
                  def.decimals,
                  "fi",
                ),
          ),
        );
        expect(cells, `${id} ${period}`).toEqual(expected);
        hidden += expected.filter((e) => e === "..").length;
      }
      expect(hidden).toBeGreaterThan(0);
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// page downloads and charts

/** A `;`-separated CSV line with `"` quoting. */
function splitCsv(line: string, sep = ";"): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cell);
      cell = "";
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

const levelOfTitle = (title: unknown, lang: Lang) => LEVELS.find((l) => l.title[lang] === title)?.name;

/** The one value readValues gives for a row of a download. */
async function referenceRow(id: string, level: LevelName | undefined, area: string, period: string) {
  if (!level) throw new Error(`unknown level in ${id} ${area} ${period}`);
  const values = await reference({ indicator: id, level, area, period, category: "" });
  expect(values, `${id} ${level} ${area} ${period}`).toHaveLength(1);
  return values[0] as ReaderValue;
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** Every non-empty cell of every sheet, as text. */
function workbookTexts(wb: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  for (const ws of wb.worksheets)
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        out.push(String(cell.value));
      }),
    );
  return out;
}

describe("page downloads", () => {
  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "%s.csv gives each value as readValues does: a hidden one as .., the confidential note and only the number left shown",
    async (_name, p) => {
      const response = await get(`/indikaattori/${p.id}.csv?${pageQuery(p)}`);
      const [header = [], ...rows] = response.body
        .replace(/^\uFEFF/, "")
        .split("\r\n")
        .filter((l) => l !== "")
        .map((l) => splitCsv(l));
      const col = (h: { fi: string }) => header.indexOf(h.fi);

      expect(response.statusCode).toBe(200);
      expect(rows.length).toBeGreaterThan(0);
      let hidden = 0;
      for (const r of rows) {
        const v = await referenceRow(
          p.id,
          levelOfTitle(r[col(H.level)], "fi"),
          r[col(H.code)] ?? "",
          r[col(H.period)] ?? "",
        );
        const where = `${p.id} ${v.level} ${v.area} ${v.period}`;
        const value = r[col(H.value)] ?? "";
        expect(v.value === null ? value : num(value), where).toBe(v.value === null ? v.symbol : v.value);
        expect(num(r[col(H.numerator)]), `${where} numerator`).toBe(v.numerator);
        expect(num(r[col(H.denominator)]), `${where} denominator`).toBe(v.denominator);
        if (v.status === "suppressed") {
          hidden++;
          expect(r[col(H.note)], where).toBe(confidential("fi"));
          expect([r[col(H.numerator)], r[col(H.denominator)]], `${where} shows both numbers`).toContain("");
        }
      }
      expect(hidden).toBe(rows.filter((r) => r[col(H.value)] === "..").length);
    },
  );

  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "%s.xlsx gives each value as readValues does: a hidden one as .., the confidential note and only the number left shown",
    async (_name, p) => {
      const response = await get(`/indikaattori/${p.id}.xlsx?${pageQuery(p)}`);
      const wb = await workbook(response.rawPayload);
      const ws = wb.getWorksheet("Arvot");
      if (!ws) throw new Error("the values sheet exists");
      const header = (ws.getRow(1).values as unknown[]).map((x) => String(x ?? ""));
      const col = (h: { fi: string }) => header.indexOf(h.fi);

      expect(response.statusCode).toBe(200);
      expect(ws.rowCount).toBeGreaterThan(1);
      for (let i = 2; i <= ws.rowCount; i++) {
        const row = ws.getRow(i);
        const at = (h: { fi: string }) => row.getCell(col(h)).value ?? null;
        const v = await referenceRow(
          p.id,
          levelOfTitle(at(H.level), "fi"),
          String(at(H.code)),
          String(at(H.period)),
        );
        const where = `${p.id} ${v.level} ${v.area} ${v.period}`;
        expect(at(H.value), where).toBe(v.value === null ? v.symbol : v.value);
        expect(at(H.numerator), `${where} numerator`).toBe(v.numerator);
        expect(at(H.denominator), `${where} denominator`).toBe(v.denominator);
        if (v.status === "suppressed") {
          expect(at(H.note), where).toBe(confidential("fi"));
          expect([at(H.numerator), at(H.denominator)], `${where} shows both numbers`).toContain(null);
        }
      }
    },
  );

  it.each(["fi", "sv", "en"] as const)(
    "the %s CSV and XLSX downloads name no specific reason",
    async (lang) => {
      for (const p of PAGES) {
        const csv = await get(`${prefix(lang)}/indikaattori/${p.id}.csv?${pageQuery(p)}`);
        const xlsx = await get(`${prefix(lang)}/indikaattori/${p.id}.xlsx?${pageQuery(p)}`);

        expect([csv.statusCode, xlsx.statusCode]).toEqual([200, 200]);
        expectNoSpecificReason(csv.body, `${lang} ${pageName(p)}.csv`);
        expectNoSpecificReason(
          workbookTexts(await workbook(xlsx.rawPayload)).join("\n"),
          `${lang} ${pageName(p)}.xlsx`,
        );
      }
    },
  );
});

/**
 * A number as a value the text states: not part of a longer number, a period (`2024 Q1`), a rank
 * (`2/2`) or a count of something (`3 aikasarjaa`, `12 arvoa`), which a bare integer would match.
 */
const mention = (n: string) =>
  new RegExp(
    `(?<![\\p{L}\\d,./])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\d/]|[,.]\\d|\\s\\p{L})`,
    "u",
  );

describe("chart downloads", () => {
  /** The values a chart of the page draws: the series of the area, and the county's municipalities. */
  async function chartValues(p: { id: string; level: LevelName; area: string }, unsuppressed: boolean) {
    const out: ReaderValue[] = [];
    for (const s of seriesOf(p))
      out.push(
        ...(await reference({ indicator: p.id, ...s, periodType: "quarter", category: "" }, unsuppressed)),
      );
    for (const area of ["092", "245"])
      out.push(
        ...(await reference(
          { indicator: p.id, level: "kunta", area, period: PERIOD, category: "" },
          unsuppressed,
        )),
      );
    return out;
  }

  it.each(
    PAGES.flatMap((p) => (["fi", "en"] as const).map((lang) => [`${lang} ${pageName(p)}`, p, lang] as const)),
  )(
    "the charts of %s name no specific reason, and their text alternatives no hidden value",
    async (_name, p, lang) => {
      const def = definition(p.id);
      const shown = await chartValues(p, false);
      const raw = new Map((await chartValues(p, true)).map((v) => [keyOf(v), v]));
      const format = (x: number) => formatValue(x, def.decimals, def.unit, lang);
      const shownTexts = new Set(shown.filter((v) => v.value !== null).map((v) => format(v.value as number)));
      // a hidden value's number, unless a shown value happens to read the same
      const secrets = shown
        .filter((v) => v.status === "suppressed")
        .map((v) => raw.get(keyOf(v))?.value)
        .filter((x): x is number => typeof x === "number")
        .map(format)
        .filter((t) => !shownTexts.has(t));

      for (const chart of ["kehitys", "vertailu", "kartta"]) {
        const response = await get(
          `${prefix(lang)}/indikaattori/${p.id}/kaavio/${chart}.svg?${pageQuery(p)}`,
        );
        if (response.statusCode === 404) continue; // no map of a county's comparison, for example
        expect(response.statusCode).toBe(200);
        const svg = response.body;
        // the text alternative (axis ticks are no statement of a value)
        const text = [...svg.matchAll(/<title>([\s\S]*?)<\/title>|<desc>([\s\S]*?)<\/desc>/g)]
          .map((m) => m[1] ?? m[2] ?? "")
          .join("\n");
        expectNoSpecificReason(svg, `${chart}.svg of ${pageName(p)}`);
        for (const s of secrets)
          expect(text, `${chart}.svg of ${pageName(p)} shows the hidden ${s}`).not.toMatch(mention(s));
      }
    },
  );

  it.each(PAGES.map((p) => [pageName(p), p] as const))(
    "the time-series chart of %s counts as hidden (..) exactly the values readValues hides",
    async (_name, p) => {
      const values = [];
      for (const s of seriesOf(p))
        values.push(...(await reference({ indicator: p.id, ...s, periodType: "quarter", category: "" })));
      const hidden = values.filter((v) => v.status === "suppressed").length;
      const svg = (await get(`/indikaattori/${p.id}/kaavio/kehitys.svg?${pageQuery(p)}`)).body;
      const desc = /<desc>([\s\S]*?)<\/desc>/.exec(svg)?.[1] ?? "";

      if (hidden === 0) expect(desc).not.toContain("suojattu pienten lukujen vuoksi");
      else expect(desc).toMatch(new RegExp(`(: |; )${hidden} suojattu pienten lukujen vuoksi, \\.\\.`));
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// exports

const EXPORT_QUERY = "level=kunta,hyvinvointialue&year=2024";
const EXPORT_LEVELS: LevelName[] = ["hyvinvointialue", "kunta", "koko_maa"];

async function exportFile(format: FormatName, extra = "", token?: string): Promise<Buffer> {
  const response = await get(`/api/v1/exports?format=${format}&${EXPORT_QUERY}${extra}`, token);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return response.rawPayload;
}

/** An export read back: the reason code of each row and every text it holds. */
async function readBack(format: FormatName, body: Buffer): Promise<{ codes: string[]; text: string }> {
  const strings = (rows: Record<string, unknown>[]) =>
    rows.flatMap((r) => Object.values(r).filter((x): x is string => typeof x === "string"));
  switch (format) {
    case "csv":
      return withDuckDbFile(body, "x.csv", async (file, all) => {
        const rows = await all(`SELECT * FROM read_csv('${file}', all_varchar = true)`);
        return { codes: rows.map((r) => String(r.reason ?? "")), text: body.toString("utf8") };
      });
    case "csv-excel":
      return withDuckDbFile(body, "x.csv", async (file, all) => {
        const rows = await all(`SELECT * FROM read_csv('${file}', all_varchar = true)`);
        return { codes: rows.map((r) => String(r.syykoodi ?? "")), text: body.toString("utf8") };
      });
    case "xlsx": {
      const wb = await workbook(body);
      const ws = wb.getWorksheet("Arvot");
      if (!ws) throw new Error("the values sheet exists");
      const header = (ws.getRow(1).values as unknown[]).map((x) => String(x ?? ""));
      const at = header.indexOf("syykoodi");
      const codes: string[] = [];
      ws.eachRow((row, i) => {
        if (i > 1) codes.push(String(row.getCell(at).value ?? ""));
      });
      return { codes, text: workbookTexts(wb).join("\n") };
    }
    case "jsonstat": {
      const text = body.toString("utf8");
      const ds = JSON.parse(text);
      return { codes: Object.values(ds.extension.seuranta.reason as Record<string, string>), text };
    }
    case "arrow": {
      const rows = tableFromIPC(body)
        .toArray()
        .map((r) => r.toJSON() as Record<string, unknown>);
      return { codes: rows.map((r) => String(r.reason ?? "")), text: strings(rows).join("\n") };
    }
    case "parquet":
      return withDuckDbFile(body, "x.parquet", async (file, all) => {
        const rows = await all(`SELECT * FROM read_parquet('${file}')`);
        const kv = await all(`SELECT decode(value) AS value FROM parquet_kv_metadata('${file}')`);
        return {
          codes: rows.map((r) => String(r.reason ?? "")),
          text: [...strings(rows), ...strings(kv)].join("\n"),
        };
      });
  }
}

describe("GET /api/v1/exports", () => {
  it("the fixture's export year hides values, so the comparisons below test hiding", async () => {
    const expected = await expectedCells(db(), EXPORT_LEVELS, ["2024"]);
    const hidden = [...expected.values()].filter((c) => c.status === "suppressed");

    expect(hidden.length).toBeGreaterThan(10);
    expect(hidden.some((c) => c.numerator !== null || c.denominator !== null)).toBe(true);
  });

  it.each(FORMAT_NAMES)("the %s export names no specific reason code or text", async (format) => {
    const { codes, text } = await readBack(format, await exportFile(format));

    expect(codes.length).toBeGreaterThan(0);
    expect(codes).toContain("confidential");
    expect([...new Set(codes)].filter((c) => c !== "" && !PUBLIC_REASONS.includes(c))).toEqual([]);
    expectNoSpecificReason(text, `the ${format} export`);
  });

  it("the machine CSV hides what readValues hides and shows what it shows", async () => {
    const body = await exportFile("csv");
    const expected = await expectedCells(db(), EXPORT_LEVELS, ["2024"]);
    const rows = await withDuckDbFile(body, "x.csv", (file, all) =>
      all(`SELECT * FROM read_csv('${file}', all_varchar = true)`),
    );
    const cells = new Map<string, Cell>();
    for (const r of rows) {
      const key = keyOf({
        indicator: String(r.indicator),
        category: r.category === null ? "" : String(r.category),
        level: String(r.level),
        area: String(r.area),
        period: String(r.period),
      });
      cells.set(key, {
        value: num(r.value),
        numerator: num(r.numerator),
        denominator: num(r.denominator),
        status: String(r.status),
      });
      if (r.status === "suppressed") {
        expect([r.symbol, r.reason, r.note], key).toEqual(["..", "confidential", confidential("fi")]);
        expect([r.numerator, r.denominator], `${key} shows both numbers`).toContain(null);
      }
    }

    expect(cells.size).toBe(rows.length);
    expect(Object.fromEntries(cells)).toEqual(Object.fromEntries(expected));
  });

  it("JSON-stat hides what readValues hides and shows what it shows", async () => {
    const ds = JSON.parse((await exportFile("jsonstat")).toString("utf8"));
    const expected = await expectedCells(db(), EXPORT_LEVELS, ["2024"]);
    const dims = ds.dimension;
    const seuranta = ds.extension.seuranta;
    const statusOf: Record<string, string> = { "..": "suppressed", ".": "missing", "–": "not_computable" };
    const cells = new Map<string, Cell>();
    for (const [indicatorId, i] of Object.entries(dims.indicator.category.index as Record<string, number>))
      for (const [areaId, a] of Object.entries(dims.area.category.index as Record<string, number>))
        for (const [period, t] of Object.entries(dims.period.category.index as Record<string, number>)) {
          const at = (i * ds.size[1] + a) * ds.size[2] + t;
          const [indicator = "", category = ""] = indicatorId.split(":");
          const [level = "", area = ""] = areaId.split(":");
          const key = keyOf({ indicator, category, level, area, period });
          const symbol = ds.status[at] as string | undefined;
          if (!expected.has(key)) {
            expect([ds.value[at], seuranta.numerator[at], seuranta.denominator[at]], key).toEqual([
              null,
              null,
              null,
            ]);
            continue;
          }
          cells.set(key, {
            value: ds.value[at],
            numerator: seuranta.numerator[at],
            denominator: seuranta.denominator[at],
            status: symbol ? (statusOf[symbol] ?? symbol) : ds.value[at] === 0 ? "zero" : "value",
          });
          if (symbol === "..") {
            expect(seuranta.reason[at], key).toBe("confidential");
            expect([seuranta.numerator[at], seuranta.denominator[at]], `${key} shows both numbers`).toContain(
              null,
            );
          }
        }

    expect(Object.fromEntries(cells)).toEqual(Object.fromEntries(expected));
  });

  it("an admin's unsuppressed CSV export names the specific reasons", async () => {
    const { codes } = await readBack("csv", await exportFile("csv", "&suppression=none", admin));

    expect(codes).toContain("small_numerator");
    expect(codes).toContain("secondary");
    expect(codes).not.toContain("confidential");
  });
});
