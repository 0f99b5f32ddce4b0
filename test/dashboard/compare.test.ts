import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { formatPublished } from "../../indicators/format.ts";
import { readValues } from "../../indicators/read.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

const fixture = useKeskiUusimaaApp();
const get = (url: string) => fixture.app().inject(url);
const PERMALINK =
  "/vertailu?indikaattori=kt-tyohon&alueet=kunta%3A106%2Ckunta%3A611%2Chyvinvointialue%3A02&jaksotyyppi=quarter";

describe("the compare page", () => {
  it("shows one line per chosen area and a table with readValues' figures, a hidden one as .. without a reason", async () => {
    const page = await get(PERMALINK);
    const read = async (level: "kunta" | "hyvinvointialue", area: string) =>
      (
        await readValues(fixture.env().db, {
          indicator: "kt-tyohon",
          level,
          area,
          periodType: "quarter",
          category: "",
        })
      ).values;
    const series = [
      await read("kunta", "106"),
      await read("kunta", "611"),
      await read("hyvinvointialue", "02"),
    ];
    const table = page.body.slice(page.body.indexOf("<tbody>"), page.body.indexOf("</tbody>"));
    const cells = [...table.matchAll(/<td class="num">([^<]*)/g)].map((m) => m[1]);
    const periods = [...new Set(series.flat().map((v) => v.period))].sort();
    const expected = periods.flatMap((p) =>
      series.map((s) => {
        const v = s.find((x) => x.period === p);
        return v ? formatPublished(v, 1, "fi") : "";
      }),
    );

    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    expect(cells).toEqual(expected);
    // Pornainen's 2024Q1 is hidden: `..`, no footnote, no reason
    expect(cells[periods.indexOf("2024Q1") * 3 + 1]).toBe("..");
    expect(table).not.toContain("<sup>");
    // three lines with the names at their ends, and a text alternative naming each area
    const svg = page.body.slice(page.body.indexOf("<svg"), page.body.indexOf("</svg>"));
    expect(svg.match(/<path[^>]*stroke="#0072B2"|stroke="#0072B2"/g)?.length).toBeGreaterThan(0);
    expect(svg).toContain(">Hyvinkää</text>");
    expect(svg).toContain(">Keski-Uudenmaan hyvinvointialue</text>");
    expect(page.body).toMatch(/<desc>Viivakaavio, [^<]*3 aikasarjaa\.[^<]*Hyvinkää: /);
  });

  it("the area choice works without JavaScript: checkboxes grouped by county, the form's answer a 303 to the permalink", async () => {
    const page = await get(PERMALINK);
    const form = page.body.slice(page.body.indexOf('<form method="get" action="/vertailu"'));
    const county = form.slice(form.indexOf("<details open><summary>Keski-Uudenmaan hyvinvointialue"));

    expect(county.slice(0, county.indexOf("</details>"))).toContain(
      '<input type="checkbox" name="alue" value="kunta:611" id="a-02-kunta-611" checked><label for="a-02-kunta-611">Pornainen</label>',
    );
    expect(form).toContain("<summary>Keski-Suomen hyvinvointialue</summary>");
    const submitted = await get(
      "/vertailu?indikaattori=kt-tyohon&jaksotyyppi=quarter&alue=kunta%3A106&alue=kunta%3A611&alue=hyvinvointialue%3A02",
    );
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers.location).toBe(PERMALINK);
  });

  it("gives completeness per area and links to its downloads, the indicator and the areas", async () => {
    const page = await get(`/en${PERMALINK}`);

    expect(page.body).toMatch(
      /<th scope="row">Mellersta Nylands välfärdsområde|<th scope="row">Central Uusimaa[^<]*<\/th><td>2024 Q1<\/td><td class="num">3\/6<\/td>/,
    );
    for (const file of [".csv", ".xlsx", "/kaavio.svg", "/kaavio.png"])
      expect(page.body).toContain(`href="/en/vertailu${file}?indikaattori=kt-tyohon&amp;alueet=kunta%3A106`);
    expect(page.body).toContain('href="/en/indikaattori/kt-tyohon"');
    expect(page.body).toContain('href="/en/alue/kunta/611"');
  });

  it("its downloads hold the page's figures: CSV, XLSX, SVG and PNG", async () => {
    const csv = await get(PERMALINK.replace("/vertailu?", "/vertailu.csv?"));
    const xlsx = await get(PERMALINK.replace("/vertailu?", "/vertailu.xlsx?"));
    const svg = await get(PERMALINK.replace("/vertailu?", "/vertailu/kaavio.svg?"));
    const png = await get(PERMALINK.replace("/vertailu?", "/vertailu/kaavio.png?"));

    expect(csv.headers["content-disposition"]).toContain(
      "vertailu_kt-tyohon_kunta-106_kunta-611_hyvinvointialue-02_quarter.csv",
    );
    expect(csv.body).toContain("kt-tyohon;Kunta;611;Pornainen;2024Q1;..;%;;");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const { values } = await readValues(fixture.env().db, {
      indicator: "kt-tyohon",
      level: "kunta",
      area: "611",
      periodType: "quarter",
      category: "",
    });
    const rows: string[] = [];
    wb.getWorksheet("Arvot")?.eachRow((row) => {
      if (row.getCell(2).value === "611") rows.push(`${row.getCell(4).value}=${row.getCell(5).value}`);
    });
    expect(rows).toEqual(values.map((v) => `${v.period}=${v.value ?? v.symbol}`));
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    expect(svg.body).toContain(">Pornainen</text>");
    expect(png.rawPayload.subarray(1, 4).toString()).toBe("PNG");
  });

  it.each([
    ["/vertailu?indikaattori=nope", 404],
    ["/vertailu?alueet=kunta:999", 404],
    ["/vertailu?alueet=maakunta:01", 404],
    ["/vertailu?jaksotyyppi=week&alueet=kunta:106", 400],
    [
      "/vertailu?alueet=kunta:106,kunta:186,kunta:611,kunta:179,kunta:182,kunta:091,kunta:092,kunta:049,kunta:245",
      400,
    ],
    ["/vertailu.csv?indikaattori=kt-tyohon", 400],
  ])("%s is a %i in the page's language", async (url, status) => {
    const response = await get(url);

    expect(response.statusCode).toBe(status);
  });

  it("is reachable from the indicator page and the area page", async () => {
    const indicator = await get("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=year");
    const area = await get("/alue/kunta/106");

    expect(indicator.body).toContain(
      'href="/vertailu?indikaattori=kt-tyohon&amp;alueet=kunta%3A106%2Chyvinvointialue%3A02%2Ckoko_maa%3ASSS&amp;jaksotyyppi=year"',
    );
    expect(area.body).toContain(
      'href="/vertailu?alueet=kunta%3A106%2Chyvinvointialue%3A02%2Ckoko_maa%3ASSS"',
    );
  });
});
