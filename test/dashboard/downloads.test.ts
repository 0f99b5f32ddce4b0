import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { indicatorData } from "../../dashboard/pages/indicator-data.ts";
import { indicatorWorkbook } from "../../dashboard/pages/xlsx.ts";
import { cellValue, numberFormat } from "../../exports/formats/xlsx.ts";
import { neutralise } from "../../exports/neutralise.ts";
import { formatNumber } from "../../indicators/format.ts";
import { LEVELS } from "../../indicators/levels.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

const PAGE = "/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter";
const QUERY = "taso=kunta&alue=611&jaksotyyppi=quarter&jakso=2024Q1";

const fixture = useKeskiUusimaaApp();

const get = (url: string) => fixture.app().inject(url);

/** The SVGs embedded in the page's figures, in page order. */
/** The wide picture of each chart on a page (the download), without the class that marks it as wide. */
const pageSvgs = (html: string) =>
  [
    ...html.matchAll(
      /<figure(?: class="wide")? role="group"[^>]*>(<svg[\s\S]*?<\/svg>)<svg[\s\S]*?<\/svg><figcaption>/g,
    ),
  ].map((m) => m[1]?.replace(" chart-wide", ""));

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

const svgSize = (svg: string) => ({
  width: Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]),
  height: Number(/^<svg[^>]* height="(\d+)"/.exec(svg)?.[1]),
});

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** Every non-empty cell of every sheet. */
function allCells(wb: ExcelJS.Workbook): { sheet: string; address: string; value: ExcelJS.CellValue }[] {
  const out: { sheet: string; address: string; value: ExcelJS.CellValue }[] = [];
  for (const ws of wb.worksheets)
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        out.push({ sheet: ws.name, address: cell.address, value: cell.value });
      }),
    );
  return out;
}

describe("chart downloads", () => {
  it("the SVG of each chart is the chart on the page, as an attachment with an ASCII name", async () => {
    const page = await get(PAGE);
    const query = PAGE.slice(PAGE.indexOf("?"));
    const svgs = await Promise.all(
      ["kehitys", "vertailu", "kartta"].map((c) => get(`/indikaattori/kt-tyohon/kaavio/${c}.svg${query}`)),
    );

    expect(pageSvgs(page.body)).toHaveLength(3);
    expect(svgs.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(svgs.map((r) => r.body)).toEqual(pageSvgs(page.body));
    expect(svgs[0]?.headers["content-type"]).toBe("image/svg+xml");
    expect(svgs.map((r) => r.headers["content-disposition"])).toEqual([
      'attachment; filename="kt-tyohon-kehitys-hyvinkaa-2024Q1.svg"',
      'attachment; filename="kt-tyohon-vertailu-hyvinkaa-2024Q1.svg"',
      'attachment; filename="kt-tyohon-kartta-hyvinkaa-2024Q1.svg"',
    ]);
  });

  it("a Swedish chart is the Swedish page's chart, named in ASCII", async () => {
    const query = "taso=hyvinvointialue&alue=02&jakso=2023Q1";
    const page = await get(`/sv/indikaattori/kt-tyohon?${query}`);
    const svg = await get(`/sv/indikaattori/kt-tyohon/kaavio/vertailu.svg?${query}`);

    expect(svg.statusCode).toBe(200);
    expect(svg.body).toBe(pageSvgs(page.body)[1]);
    expect(svg.body).toContain('xml:lang="sv"');
    expect(svg.headers["content-disposition"]).toBe(
      'attachment; filename="kt-tyohon-vertailu-mellersta-nylands-valfardsomrade-2023Q1.svg"',
    );
  });

  it("the PNG is the chart at twice its size", async () => {
    const query = PAGE.slice(PAGE.indexOf("?"));
    for (const chart of ["kehitys", "vertailu", "kartta"]) {
      const svg = await get(`/en/indikaattori/kt-tyohon/kaavio/${chart}.svg${query}`);
      const png = await get(`/en/indikaattori/kt-tyohon/kaavio/${chart}.png${query}`);
      const size = svgSize(svg.body);

      expect(png.statusCode).toBe(200);
      expect(png.headers["content-type"]).toBe("image/png");
      expect(png.headers["content-disposition"]).toBe(
        `attachment; filename="kt-tyohon-${chart}-hyvinkaa-2024Q1.png"`,
      );
      expect([...png.rawPayload.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(size.width).toBeGreaterThan(0);
      expect(pngSize(png.rawPayload)).toEqual({ width: 2 * size.width, height: 2 * size.height });
    }
  });

  it("the page links every chart's SVG and PNG, and the XLSX, in its language", async () => {
    const fi = await get(PAGE);
    const sv = await get("/sv/indikaattori/kt-tyohon?taso=kunta&alue=106");
    const en = await get("/en/indikaattori/kt-tyohon?taso=kunta&alue=106");
    const q = "taso=kunta&amp;alue=106&amp;jaksotyyppi=quarter&amp;jakso=2024Q1";

    for (const chart of ["kehitys", "vertailu", "kartta"])
      for (const format of ["svg", "png"])
        expect(fi.body).toContain(`href="/indikaattori/kt-tyohon/kaavio/${chart}.${format}?${q}" download`);
    expect(fi.body.match(/Lataa kuva: <a [^>]*>SVG<\/a>, <a [^>]*>PNG<\/a>/g)).toHaveLength(3);
    expect(sv.body).toContain(`href="/sv/indikaattori/kt-tyohon/kaavio/kartta.png?${q}"`);
    expect(sv.body).toContain("Ladda ner bilden: <a");
    expect(en.body).toContain("Download the image: <a");
    expect(fi.body).toContain(`href="/indikaattori/kt-tyohon.xlsx?${q}" download>Excel (XLSX)`);
    expect(sv.body).toContain(`href="/sv/indikaattori/kt-tyohon.xlsx?${q}" download>Excel (XLSX)`);
  });

  it.each([
    ["/indikaattori/kt-tyohon/kaavio/piirakka.svg", 404, "Tuntematon kaavio"],
    ["/en/indikaattori/kt-tyohon/kaavio/kartta.gif", 404, "Unknown chart"],
    ["/sv/indikaattori/kt-tyohon/kaavio/kartta", 404, "Okänt diagram"],
    ["/indikaattori/kt-tyohon/kaavio/__proto__.svg", 404, "Tuntematon kaavio"],
    ["/indikaattori/kt-tyohon/kaavio/kartta.svg?taso=koko_maa", 404, "Tätä kaaviota ei ole"],
    ["/en/indikaattori/kt-tyohon/kaavio/kartta.png?taso=koko_maa", 404, "does not exist"],
    ["/indikaattori/ei-ole/kaavio/kehitys.svg", 404, "Tuntematon indikaattori"],
    ["/indikaattori/kt-tyohon/kaavio/kehitys.png?taso=planeetta", 400, "Tuntematon aluetaso"],
    ["/sv/indikaattori/kt-tyohon/kaavio/kehitys.svg?jaksotyyppi=viikko", 400, "Okänd periodtyp"],
    ["/en/indikaattori/kt-tyohon/kaavio/vertailu.svg?jakso=2024-01", 400, "not well formed"],
    ["/indikaattori/kt-tyohon/kaavio/vertailu.svg?alue=02&alue=05", 400, "useammin kuin kerran"],
  ])("%s gives %i", async (url, status, text) => {
    const res = await get(url);

    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain(text);
  });
});

describe("XLSX download", () => {
  /** What readValues gives for every row the page shows (area, county, country, compared municipalities). */
  async function expectedValues(options: { unsuppressed?: boolean } = {}): Promise<Map<string, ReaderValue>> {
    const series = [
      ["kunta", "611"],
      ["hyvinvointialue", "02"],
      ["koko_maa", "SSS"],
    ] as const;
    const out = new Map<string, ReaderValue>();
    for (const [level, area] of series) {
      const { values } = await readValues(
        fixture.env().db,
        { indicator: "kt-tyohon", level, area, periodType: "quarter", category: "" },
        options,
      );
      for (const v of values) out.set(`${v.level}|${v.area}|${v.period}`, v);
    }
    const { values } = await readValues(
      fixture.env().db,
      { indicator: "kt-tyohon", level: "kunta", period: "2024Q1", periodType: "quarter", category: "" },
      options,
    );
    const county = (
      await indicatorData(fixture.env().db, fixture.env().config, "kt-tyohon", {
        taso: "hyvinvointialue",
        alue: "02",
      })
    ).area.members;
    for (const v of values) if (county.includes(v.area)) out.set(`${v.level}|${v.area}|${v.period}`, v);
    return out;
  }

  it("holds the values readValues gives, numbers as number cells, hidden ones as .. with the reason", async () => {
    const res = await get(`/indikaattori/kt-tyohon.xlsx?${QUERY}`);
    const wb = await workbook(res.rawPayload);
    const ws = wb.getWorksheet("Arvot");
    const expected = await expectedValues();
    const levelName = (title: unknown) => LEVELS.find((l) => l.title.fi === title)?.name;

    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.headers["content-disposition"]).toBe(
      'attachment; filename="kt-tyohon_kunta_611_quarter.xlsx"',
    );
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Arvot", "Määritelmä", "Huomautukset"]);
    if (!ws) throw new Error("the values sheet exists");
    expect(ws.getRow(1).values).toEqual([
      undefined,
      "taso",
      "aluekoodi",
      "alue",
      "jakso",
      "arvo",
      "yksikkö",
      "osoittaja",
      "nimittäjä",
      "ilmoittaneet kunnat",
      "kuntia",
      "tila",
      "huomautus",
    ]);
    expect(ws.rowCount - 1).toBe(expected.size);
    const seen = new Set<string>();
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const key = `${levelName(row.getCell(1).value)}|${row.getCell(2).value}|${row.getCell(4).value}`;
      const v = expected.get(key);
      if (!v) throw new Error(`unexpected row ${key}`);
      seen.add(key);
      const value = row.getCell(5);
      if (v.value === null) {
        expect(value.value).toBe(v.symbol);
        expect(value.type).toBe(ExcelJS.ValueType.String);
      } else {
        expect(value.value).toBe(v.value);
        expect(value.type).toBe(ExcelJS.ValueType.Number);
        expect(value.numFmt).toBe("#,##0.0");
      }
      expect(row.getCell(7).value ?? null).toBe(v.numerator);
      expect(row.getCell(8).value ?? null).toBe(v.denominator);
      expect(row.getCell(9).value).toBe(v.reported);
      expect(row.getCell(10).value).toBe(v.members);
    }
    expect(seen.size).toBe(expected.size);

    const pornainen = expected.get("kunta|611|2024Q1");
    const row = [...Array(ws.rowCount).keys()]
      .map((i) => ws.getRow(i + 1))
      .find((x) => x.getCell(2).value === "611" && x.getCell(4).value === "2024Q1");
    expect(pornainen?.status).toBe("suppressed");
    expect(row?.getCell(5).value).toBe("..");
    expect(row?.getCell(11).value).toBe("peitetty");
    // readers are not told whether a hidden value is small itself or hidden to protect another
    expect(row?.getCell(12).value).toBe(
      "Peitetty tietosuojan vuoksi: luku on pienempi kuin 5 tai siitä voisi päätellä pienen luvun.",
    );
  });

  it("has no hidden number in any cell of any sheet, and no formula or date", async () => {
    const res = await get(`/en/indikaattori/kt-tyohon.xlsx?${QUERY}`);
    const wb = await workbook(res.rawPayload);
    const cells = allCells(wb);
    const shown = await expectedValues();
    const hidden = [...(await expectedValues({ unsuppressed: true })).values()].filter(
      (v) => v.status === "suppressed",
    );

    // Pornainen's small shares (2/10 and 2/12) and the shares of the others hidden with them in 2024Q1
    // (Hyvinkää 15/50, Järvenpää 12/40) equal no shown value of the fixture
    expect(hidden.map((v) => `${v.area}|${v.period}`).sort()).toEqual([
      "106|2024Q1",
      "186|2024Q1",
      "611|2023Q1",
      "611|2024Q1",
    ]);
    expect(cells.length).toBeGreaterThan(50);
    for (const c of cells) expect(["string", "number"], `${c.sheet}!${c.address}`).toContain(typeof c.value);
    for (const v of hidden) {
      if (v.value === null) throw new Error("the unsuppressed value exists");
      const rounded = Math.round(v.value * 10) / 10;
      for (const c of cells) {
        if (typeof c.value === "number")
          expect(Math.abs(c.value - v.value) < 1e-9 || c.value === rounded, `${c.sheet}!${c.address}`).toBe(
            false,
          );
        else
          for (const lang of ["fi", "en"] as const)
            expect(String(c.value), `${c.sheet}!${c.address}`).not.toContain(formatNumber(v.value, 1, lang));
      }
    }
    // Pornainen's small numerator is among the numbers hidden
    expect(shown.get("kunta|611|2024Q1")?.numerator).toBeNull();
    // every hidden row: the symbol, and exactly the numerator and denominator readValues shows (a number
    // protection leaves shown, or nothing)
    let hiddenRows = 0;
    const levelName = (title: unknown) => LEVELS.find((l) => l.title.en === title)?.name;
    wb.getWorksheet("Values")?.eachRow((row) => {
      if (row.getCell(11).value !== "suppressed") return;
      hiddenRows++;
      const key = `${levelName(row.getCell(1).value)}|${row.getCell(2).value}|${row.getCell(4).value}`;
      const v = shown.get(key);
      if (!v) throw new Error(`unexpected row ${key}`);
      expect(row.getCell(5).value).toBe("..");
      expect(row.getCell(7).value ?? null, key).toBe(v.numerator);
      expect(row.getCell(8).value ?? null, key).toBe(v.denominator);
    });
    expect(hiddenRows).toBe(hidden.length);
  });

  it("has a bold frozen header, the definition and the notes; Swedish sheet names under /sv/", async () => {
    const fi = await workbook((await get(`/indikaattori/kt-tyohon.xlsx?${QUERY}`)).rawPayload);
    const sv = await workbook((await get(`/sv/indikaattori/kt-tyohon.xlsx?${QUERY}`)).rawPayload);
    const values = fi.getWorksheet("Arvot");
    const definition = fi.getWorksheet("Määritelmä");
    const notes = fi.getWorksheet("Huomautukset");
    const text = (ws: ExcelJS.Worksheet | undefined) =>
      ws ? allCells({ worksheets: [ws] } as ExcelJS.Workbook).map((c) => String(c.value)) : [];

    expect(sv.worksheets.map((s) => s.name)).toEqual(["Värden", "Definition", "Anmärkningar"]);
    for (const ws of fi.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    }
    expect(values?.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(text(definition)).toEqual(
      expect.arrayContaining([
        "Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista",
        "Tulkinta",
        "Rajoitukset",
        "Lähde",
        "%",
      ]),
    );
    const noteLines = text(notes);
    expect(noteLines.some((l) => l.startsWith("Tietosuoja: luvut, jotka ovat pienempiä kuin 5"))).toBe(true);
    expect(noteLines.some((l) => /^Pornainen, 2024Q1: kaikki kunnat ilmoittivat$/.test(l))).toBe(true);
    expect(
      noteLines.some((l) =>
        l.startsWith("Keski-Uudenmaan hyvinvointialue, 2024Q1: ei ilmoittaneet: Mäntsälä"),
      ),
    ).toBe(true);
    expect(noteLines.some((l) => l.startsWith("Lähde: "))).toBe(true);
    expect(text(sv.getWorksheet("Anmärkningar")).some((l) => l.startsWith("Källa: "))).toBe(true);
  });

  it("bad parameters are a 400 and an unknown indicator a 404, in the page's language", async () => {
    const bad = await get("/sv/indikaattori/kt-tyohon.xlsx?taso=x");
    const unknown = await get("/en/indikaattori/ei-ole.xlsx");

    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Okänd områdesnivå");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain("Unknown indicator");
  });
});

describe("formula injection", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])("%j gets a leading apostrophe", (text) => {
    expect(neutralise(text)).toBe(`'${text}`);
    expect(cellValue(text)).toBe(`'${text}`);
  });

  it("leaves other text, numbers and empty cells alone", () => {
    expect(neutralise("Hyvinkää")).toBe("Hyvinkää");
    expect(neutralise("–")).toBe("–");
    expect(cellValue(-1.5)).toBe(-1.5);
    expect(cellValue("")).toBeNull();
    expect(cellValue(null)).toBeNull();
    expect(numberFormat(0)).toBe("#,##0");
    expect(numberFormat(2)).toBe("#,##0.00");
  });

  it("a payload in an area name or a definition text reaches the workbook neutralised", async () => {
    const d = await indicatorData(fixture.env().db, fixture.env().config, "kt-tyohon", {
      taso: "kunta",
      alue: "611",
    });
    const payload = '=HYPERLINK("http://example.com","x")';
    const first = d.series[0]?.values[0];
    if (!first) throw new Error("the fixture has values");
    const poisoned = {
      ...d,
      definition: { ...d.definition, source: { ...d.definition.source, fi: `@${payload}` } },
      series: [{ ...d.series[0], values: [{ ...first, areaName: { ...first.areaName, fi: payload } }] }],
    } as typeof d;
    const wb = await workbook(Buffer.from(await indicatorWorkbook(poisoned, "fi", 5).xlsx.writeBuffer()));
    const texts = allCells(wb)
      .map((c) => c.value)
      .filter((v): v is string => typeof v === "string");

    expect(texts).toContain(`'${payload}`);
    expect(texts).toContain(`'@${payload}`);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t))).toEqual([]);
    expect(allCells(wb).every((c) => typeof c.value !== "object")).toBe(true);
  });
});
