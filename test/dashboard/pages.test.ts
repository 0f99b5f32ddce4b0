import { describe, expect, it } from "vitest";
import { formatNumber, formatPublished } from "../../indicators/format.ts";
import { readValues } from "../../indicators/read.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

const fixture = useKeskiUusimaaApp();

const get = (url: string) => fixture.app().inject(url);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const cells = (html: string) => [...html.matchAll(/<td class="num">([^<]*)/g)].map((m) => m[1]);

describe("front page", () => {
  it("shows a tile per indicator with the county's latest value, the change and completeness", async () => {
    const page = await get("/?alue=02");
    const { values } = await readValues(fixture.env().db, {
      indicator: "kt-tyohon",
      level: "hyvinvointialue",
      area: "02",
      periodType: "quarter",
      category: "",
    });
    const now = values.find((v) => v.period === "2024Q1");
    const before = values.find((v) => v.period === "2023Q1");

    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    if (!now || now.value === null || before?.value == null) throw new Error("fixture values are shown");
    expect(page.body).toContain(`${formatPublished(now, 1, "fi")}\u00a0%`);
    const diff = now.value - before.value;
    expect(page.body).toContain(
      `${diff >= 0 ? "+" : "−"}${formatNumber(Math.abs(diff), 1, "fi")}\u00a0%-yks.`,
    );
    expect(page.body).toContain("3/6 kuntaa ilmoitti");
    expect(page.body).toContain('href="/indikaattori/kt-tyohon?taso=hyvinvointialue&amp;alue=02');
    expect(page.body).toContain('<option value="02" selected>');
  });

  it("defaults to the whole country and is translated", async () => {
    const fi = await get("/");
    const sv = await get("/sv?alue=02");
    const en = await get("/en");

    expect(fi.body).toContain("<h2>Indikaattorit: Koko maa</h2>");
    expect(sv.body).toContain("<h2>Indikatorer: Mellersta Nylands välfärdsområde</h2>");
    expect(en.body).toContain("<h2>Indicators: Whole country</h2>");
  });

  it("an unknown county is a 404 in the page's language", async () => {
    const page = await get("/en?alue=99");

    expect(page.statusCode).toBe(404);
    expect(page.body).toContain("Unknown wellbeing services county");
  });
});

describe("indicator page", () => {
  it("the time series table holds readValues' figures for the area, its county and the country", async () => {
    const page = await get("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");
    const read = async (level: "kunta" | "hyvinvointialue" | "koko_maa", area: string) =>
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
      await read("hyvinvointialue", "02"),
      await read("koko_maa", "SSS"),
    ];
    const expected = (series[0] ?? []).flatMap((_, i) =>
      series.map((s) => (s[i] ? formatPublished(s[i], 1, "fi") : "missing")),
    );

    expect(page.statusCode).toBe(200);
    expect(cells(page.body).slice(0, expected.length)).toEqual(expected);
    expect(page.body).toMatch(/<table><caption>[^<]*Hyvinkää/);
    expect(page.body).toContain('<th scope="col" class="num">Keski-Uudenmaan hyvinvointialue</th>');
    // time series, the municipalities as bars, and the same on the county's map
    expect(page.body.match(/<figure[^>]*><svg/g)).toHaveLength(3);
    expect(page.body).toMatch(/<figcaption>[^<]+<\/figcaption><\/figure>/);
  });

  it("the county's municipalities are on a map whose caption says it is a map", async () => {
    const page = await fixture
      .app()
      .inject("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");

    expect(page.body).toMatch(/<figure role="group" aria-label="[^"]*\(kartta\)"><svg/);
  });

  it("a suppressed cell shows .. with its reason, and its number appears nowhere", async () => {
    const page = await get("/indikaattori/kt-tyohon?taso=kunta&alue=611&jakso=2024Q1");
    const hidden = (
      await readValues(
        fixture.env().db,
        { indicator: "kt-tyohon", level: "kunta", area: "611", period: "2024Q1", category: "" },
        { unsuppressed: true },
      )
    ).values[0];

    if (hidden?.value == null) throw new Error("the unsuppressed value exists");
    expect(hidden.status).toBe("suppressed");
    expect(page.body).toContain('<td class="num">..<sup><a href="#note-');
    expect(page.body).toContain(
      "Peitetty tietosuojan vuoksi: luku on pienempi kuin 5 tai siitä voisi päätellä pienen luvun.",
    );
    // readers are not told whether a hidden value is small itself or hidden to protect another
    expect(page.body).not.toContain("Osoittaja on pienempi kuin 5");
    expect(page.body).not.toContain(formatNumber(hidden.value, 1, "fi"));
    expect(page.body).not.toContain(formatNumber(hidden.value, 1, "en"));
  });

  it("compares the municipalities of the county, largest first", async () => {
    // kt-jatkaa: every reporting municipality's 2024Q1 value is shown (41,7, 25,0 and 20,0)
    const page = await get("/indikaattori/kt-jatkaa?taso=hyvinvointialue&alue=02&jakso=2024Q1");
    const section = page.body.slice(page.body.indexOf("Alueiden vertailu"));
    const order = ["Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula"]
      .map((name) => ({ name, at: section.indexOf(`>${name}</a>`) }))
      .sort((a, b) => a.at - b.at)
      .map((r) => r.name);

    expect(order.slice(0, 3)).toEqual(["Pornainen", "Järvenpää", "Hyvinkää"]);
    expect(section).toMatch(/>Pornainen<\/a><\/th><td class="num">41,7</);
    expect(section).toMatch(/>Hyvinkää<\/a><\/th><td class="num">20,0</);
    expect(section).toMatch(/>Tuusula<\/a><\/th><td class="num">(<span[^>]*>)?\.</);
    // a hidden value is compared as ..
    const hidden = await get("/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=02&jakso=2024Q1");
    expect(hidden.body.slice(hidden.body.indexOf("Alueiden vertailu"))).toMatch(
      />Pornainen<\/a><\/th><td class="num">\.\.</,
    );
  });

  it("has one h1, the definition and translated headings", async () => {
    const fi = await get("/indikaattori/kt-tyohon");
    const sv = await get("/sv/indikaattori/kt-tyohon");
    const en = await get("/en/indikaattori/kt-tyohon");

    expect(fi.body.match(/<h1>/g)).toHaveLength(1);
    expect(fi.body).toContain("<h2>Määritelmä</h2>");
    expect(sv.body).toContain("<h2>Definition</h2>");
    expect(sv.body).toContain("<h2>Utveckling: Hela landet</h2>");
    expect(en.body).toContain("<h2>Trend: Whole country</h2>");
    expect(en.body).toContain("<dt>Limitations</dt>");
  });

  it("the level switch maps the area to the chosen level", async () => {
    const page = await get("/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=106&mista=kunta");

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<h2>Kehitys: Keski-Uudenmaan hyvinvointialue</h2>");
  });

  it.each([
    ["/indikaattori/ei-ole", 404, "Tuntematon indikaattori"],
    ["/en/indikaattori/ei-ole", 404, "Unknown indicator"],
    ["/indikaattori/kt-tyohon?taso=planeetta", 400, "Tuntematon aluetaso"],
    ["/indikaattori/kt-tyohon?taso=kunta&alue=999", 404, "Aluetta 999 ei ole"],
    ["/indikaattori/kt-tyohon?taso=kunta&alue=1'%3B%20DROP%20TABLE%20kuntouttava", 404, "ei ole"],
    ["/indikaattori/kt-tyohon?jaksotyyppi=viikko", 400, "Tuntematon jaksotyyppi"],
    ["/indikaattori/kt-tyohon?jakso=2024-01", 400, "ei ole oikeaa muotoa"],
    ["/indikaattori/kt-tyohon?jakso=1999Q1", 404, "ei ole tietoja"],
    ["/indikaattori/kt-tyohon?alue=02&alue=05&taso=hyvinvointialue", 400, "useammin kuin kerran"],
    ["/sv/indikaattori/kt-tyohon.csv?taso=x", 400, "Okänd områdesnivå"],
  ])("%s gives %i", async (url, status, text) => {
    const page = await get(url);

    expect(page.statusCode).toBe(status);
    expect(page.body).toContain(text);
  });
});

describe("CSV download", () => {
  it("is UTF-8 with a BOM, ; separated, decimal comma, hidden values as ..", async () => {
    const res = await get("/indikaattori/kt-tyohon.csv?taso=kunta&alue=611&jakso=2024Q1");
    const bytes = res.rawPayload;
    const text = bytes.toString("utf8");
    const lines = text.slice(1).trimEnd().split("\r\n");

    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toContain("attachment");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines[0]).toBe(
      "indikaattori;taso;aluekoodi;alue;jakso;arvo;yksikkö;osoittaja;nimittäjä;ilmoittaneet kunnat;kuntia;huomautus",
    );
    // the small numerator is hidden, the denominator that needs no hiding is shown
    const pornainen = lines.find((l) => l.startsWith("kt-tyohon;Kunta;611;Pornainen;2024Q1;"));
    expect(pornainen).toBe(
      "kt-tyohon;Kunta;611;Pornainen;2024Q1;..;%;;12;1;1;Peitetty tietosuojan vuoksi: luku on pienempi kuin 5 tai siitä voisi päätellä pienen luvun.",
    );
    const county = lines.find((l) =>
      l.startsWith("kt-tyohon;Hyvinvointialue;02;Keski-Uudenmaan hyvinvointialue;2024Q1;"),
    );
    expect(county).toBe(
      "kt-tyohon;Hyvinvointialue;02;Keski-Uudenmaan hyvinvointialue;2024Q1;28,4;%;29;102;3;6;",
    );
  });
});

describe("area page", () => {
  it("lists every indicator's latest value for a municipality with its county and the country", async () => {
    const page = await get("/alue/kunta/106");
    const read = async (level: "kunta" | "hyvinvointialue" | "koko_maa", area: string) =>
      (
        await readValues(fixture.env().db, {
          indicator: "kt-tyohon",
          level,
          area,
          period: "2024Q1",
          category: "",
        })
      ).values[0];
    const expected = [
      await read("kunta", "106"),
      await read("hyvinvointialue", "02"),
      await read("koko_maa", "SSS"),
    ]
      // a value not shown is its symbol with a footnote giving the reason
      .map((v) =>
        !v
          ? "missing"
          : v.symbol
            ? `<td [^>]*class="num"[^>]*>${escapeRegExp(v.symbol)}<sup><a href="#note-\\d+" aria-label="Huomautus \\d+">\\d+</a></sup></td>`
            : `<td [^>]*class="num"[^>]*>${escapeRegExp(formatPublished(v, 1, "fi"))}</td>`,
      )
      .join("");

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<h1>Hyvinkää</h1>");
    expect(page.body).toMatch(/<caption>Hyvinkää: indikaattorien viimeisimmät arvot<\/caption>/);
    expect(page.body).toMatch(
      new RegExp(
        `Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista</a></th><td [^>]*>2024 Q1</td><td [^>]*>%</td>${expected}`,
      ),
    );
    expect(page.body).toContain(
      'href="/indikaattori/kt-tyohon?taso=kunta&amp;alue=106&amp;jaksotyyppi=quarter&amp;jakso=2024Q1"',
    );
  });

  it("a county lists its municipalities; a hidden value shows ..; Swedish and English headings", async () => {
    const county = await get("/sv/alue/hyvinvointialue/02");
    const small = await get("/en/alue/kunta/611");

    expect(county.body).toContain("<h2>Områdets kommuner</h2>");
    expect(county.body).toContain('<a href="/sv/alue/kunta/611">Borgnäs</a>');
    expect(small.body).toContain("<h2>Indicators</h2>");
    expect(small.body).toMatch(/<td [^>]*class="num"[^>]*>\.\.<sup>/);
  });

  it.each(["/alue/kunta/999", "/alue/xyz/106", "/alue/tyollisyysalue/02x", "/en/alue/kunta/%27%3B--"])(
    "%s is a 404",
    async (url) => {
      const page = await get(url);

      expect(page.statusCode).toBe(404);
    },
  );
});

describe("an indicator with a breakdown", () => {
  it("shows the chosen area's categories with the same figures as readValues", async () => {
    const page = await get(
      "/indikaattori/kt-paattymissyyt?taso=kunta&alue=106&jaksotyyppi=quarter&jakso=2024Q1",
    );
    const { values, definition } = await readValues(fixture.env().db, {
      indicator: "kt-paattymissyyt",
      level: "kunta",
      area: "106",
      period: "2024Q1",
      periodType: "quarter",
    });
    const categories = values.filter((v) => v.category !== null);
    const table = page.body.slice(
      page.body.indexOf("<h2>Jakauma"),
      page.body.indexOf("</table>", page.body.indexOf("<h2>Jakauma")),
    );

    expect(categories).toHaveLength(10);
    expect(table).toContain("Hyvinkää, 2024 Q1");
    for (const v of categories) {
      expect(table).toContain(
        `${v.categoryLabel?.fi}</th><td class="num">${formatPublished(v, definition.decimals, "fi")}`,
      );
    }
  });
});

describe("the front tile of a breakdown", () => {
  it("shows the largest category instead of a total that is always 100 %", async () => {
    const page = await get("/?alue=02");
    const tile = page.body.slice(page.body.indexOf("Kuntouttavan työtoiminnan jaksot päättymissyyn mukaan"));

    expect(tile.slice(0, tile.indexOf("</li>"))).toContain("Suurin luokka: ");
    expect(tile.slice(0, tile.indexOf("</li>"))).not.toContain("100,0");
  });
});

describe("employment-area pages and old area links", () => {
  it("an employment area has its page under /alue/tyollisyysalue/<code> with readValues' figures", async () => {
    // Keski-Uusimaa's employment area: Hyvinkää (106) lies in it
    const areas = await fixture
      .env()
      .db.all<{ code: string; name: string }>(
        "SELECT tyollisyysalue AS code, tyollisyysalue_fi AS name FROM ref_kunta WHERE kunta = '106'",
      );
    const { code, name } = areas[0] ?? { code: "", name: "" };
    const page = await get(`/alue/tyollisyysalue/${code}`);
    const { values } = await readValues(fixture.env().db, {
      indicator: "kt-tyohon",
      level: "tyollisyysalue",
      area: code,
      period: "2024Q1",
      category: "",
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${name}</h1>`);
    expect(page.body).toContain("<h2>Alueen kunnat</h2>");
    expect(page.body).toContain('<a href="/alue/kunta/106">Hyvinkää</a>');
    expect(page.body).toContain('<a href="/alue/hyvinvointialue/02">');
    const v = values[0];
    if (!v) throw new Error("the employment area has a 2024Q1 value");
    expect(page.body).toMatch(
      new RegExp(
        `Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista</a></th><td [^>]*>2024 Q1</td><td [^>]*>%</td><td [^>]*class="num"[^>]*>${escapeRegExp(formatPublished(v, 1, "fi"))}<`,
      ),
    );
  });

  it("a county and an employment area with the same code are two pages", async () => {
    const county = await get("/alue/hyvinvointialue/02");
    const employment = await get("/alue/tyollisyysalue/02");

    expect(county.statusCode).toBe(200);
    expect(employment.statusCode).toBe(200);
    expect(county.body).toContain("<h1>Keski-Uudenmaan hyvinvointialue</h1>");
    expect(employment.body).not.toContain("<h1>Keski-Uudenmaan hyvinvointialue</h1>");
    expect(county.body).toContain("<h2>Alueen työllisyysalueet</h2>");
  });

  it.each([
    ["/alue/106", "/alue/kunta/106"],
    ["/alue/02", "/alue/hyvinvointialue/02"],
    ["/alue/SSS", "/alue/koko_maa/SSS"],
    ["/sv/alue/611", "/sv/alue/kunta/611"],
    ["/en/alue/02", "/en/alue/hyvinvointialue/02"],
  ])("the old link %s moves permanently to %s", async (old, now) => {
    const response = await get(old);

    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(now);
  });
});

describe("the indicator page's one form", () => {
  it("asks for every choice in one GET form with one button", async () => {
    const page = await get("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");
    const forms = page.body.match(/<form method="get" action="\/indikaattori\/kt-tyohon"/g) ?? [];
    const form = page.body.slice(page.body.indexOf('<form method="get" action="/indikaattori/kt-tyohon"'));
    const fields = form.slice(0, form.indexOf("</form>"));

    expect(forms).toHaveLength(1);
    for (const name of ["taso", "alue", "jaksotyyppi", "jakso"])
      expect(fields).toContain(`<select name="${name}">`);
    expect(fields.match(/<button/g)).toHaveLength(1);
  });

  it.each([
    // a changed period type drops the period of the old type
    [
      "/indikaattori/kt-tyohon?lomake=1&mista=kunta&taso=kunta&alue=106&jaksotyyppi=year&jakso=2024Q1",
      "/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=year&jakso=2024",
    ],
    // a changed level maps the area: Hyvinkää → its county, county 02 → its first municipality
    [
      "/indikaattori/kt-tyohon?lomake=1&mista=kunta&taso=hyvinvointialue&alue=106&jaksotyyppi=quarter",
      "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=02&jaksotyyppi=quarter&jakso=2024Q1",
    ],
    [
      "/sv/indikaattori/kt-tyohon?lomake=1&mista=hyvinvointialue&taso=kunta&alue=02&jaksotyyppi=quarter&jakso=2024Q1",
      "/sv/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter&jakso=2024Q1",
    ],
  ])("%s answers 303 to %s", async (url, location) => {
    const response = await get(url);

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(location);
  });

  it("from county 02 the employment-area level gives the employment area of its first municipality, not employment area 02", async () => {
    const response = await get(
      "/indikaattori/kt-tyohon?lomake=1&mista=hyvinvointialue&taso=tyollisyysalue&alue=02&jaksotyyppi=quarter",
    );
    const first = await fixture
      .env()
      .db.one<{ code: string }>(
        "SELECT tyollisyysalue AS code FROM ref_kunta WHERE hyvinvointialue = '02' ORDER BY kunta LIMIT 1",
      );

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain(`taso=tyollisyysalue&alue=${first?.code}&`);
    expect(first?.code).not.toBe("02");
  });
});
