import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { changesResponseSchema } from "../../dashboard/api/schemas.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { formatPeriod, formatPublished } from "../../indicators/format.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { REASONS } from "../../indicators/suppress/status.ts";
import { KT_KESKI_UUSIMAA, useKeskiUusimaaApp } from "./fixture.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];
const ATOM = "http://www.w3.org/2005/Atom";

interface XmlElement {
  name: string;
  ns: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML strictly (saxes: well-formedness and namespaces); throws on any error. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value]));
    const element: XmlElement = { name: tag.local, ns: tag.uri, attributes, children: [], text: "" };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on("text", (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error("no root element");
  return root;
}

const child = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name && c.ns === ATOM);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The elements RFC 4287 requires of a feed and its entries (4.1.1, 4.1.2), checked; the entries returned. */
function checkAtom(xml: string): XmlElement[] {
  const feed = parseXml(xml);
  expect([feed.name, feed.ns]).toEqual(["feed", ATOM]);
  for (const name of ["id", "title", "updated"]) expect(child(feed, name), `feed ${name}`).toHaveLength(1);
  expect(child(feed, "updated")[0]?.text).toMatch(RFC3339);
  expect(child(feed, "author").length).toBeGreaterThan(0);
  expect(child(child(feed, "author")[0] as XmlElement, "name")).toHaveLength(1);
  expect(child(feed, "link").some((l) => l.attributes.rel === "self")).toBe(true);
  const entries = child(feed, "entry");
  for (const entry of entries) {
    for (const name of ["id", "title", "updated"])
      expect(child(entry, name), `entry ${name}`).toHaveLength(1);
    expect(child(entry, "updated")[0]?.text).toMatch(RFC3339);
    expect(new URL(child(entry, "id")[0]?.text ?? "").protocol).toMatch(/^https?:$/);
    const alternate = child(entry, "link").filter((l) => (l.attributes.rel ?? "alternate") === "alternate");
    expect(alternate).toHaveLength(1);
    expect(child(entry, "summary").length + child(entry, "content").length).toBeGreaterThan(0);
  }
  expect(new Set(entries.map((e) => child(e, "id")[0]?.text)).size).toBe(entries.length);
  return entries;
}

describe("the releases pages and the Atom feed", () => {
  const { env: fixtureEnv, app: fixtureApp } = useKeskiUusimaaApp();
  const get = (url: string) =>
    fixtureApp().inject({ method: "GET", url, headers: { host: "seuranta.example" } });

  it("the feed is valid Atom 1.0 with one entry per release, and grows by one with a new release", async () => {
    const first = await get("/julkaisut.atom");
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const entries = checkAtom(first.body);
    expect(entries.map((e) => child(e, "id")[0]?.text)).toEqual(["http://seuranta.example/julkaisut/1"]);

    // Hyvinkää corrects 2024Q1
    expect(
      (await fixtureEnv().ingest("korjaus.csv", `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`))
        .errors,
    ).toEqual([]);
    expect((await recomputeAll(fixtureEnv().db, fixtureEnv().config)).release?.id).toBe(2);
    const second = checkAtom((await get("/julkaisut.atom")).body);
    expect(second.map((e) => child(e, "id")[0]?.text)).toEqual([
      "http://seuranta.example/julkaisut/2",
      "http://seuranta.example/julkaisut/1",
    ]);
  });

  it("/julkaisut lists the releases in every language, and links the feed", async () => {
    for (const [prefix, word] of [
      ["", "Julkaisut"],
      ["/sv", "Publiceringar"],
      ["/en", "Releases"],
    ] as const) {
      const page = await get(`${prefix}/julkaisut`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<h1>${word}</h1>`);
      expect(page.body).toContain(`href="${prefix}/julkaisut/2"`);
      expect(page.body).toContain(`href="${prefix}/julkaisut/1"`);
      expect(page.body).toContain('type="application/atom+xml"');
    }
  });

  it("/julkaisut/2 shows the revised data, the figures that moved, and never why a figure is hidden", async () => {
    for (const prefix of ["", "/sv", "/en"]) {
      const page = await get(`${prefix}/julkaisut/2`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/(Hyvinkää|Hyvinge) \(106\)/);
      expect(page.body).toMatch(/korjattu|korrigerad|revised/);
      expect(page.body).toContain("2024 Q1");
      for (const reason of ["small_count", "small_numerator", "small_denominator", "secondary"] as const)
        for (const text of Object.values(REASONS[reason]))
          expect(page.body).not.toContain(text.replace("{threshold}", "5"));
      expect(page.body.slice(page.body.indexOf("<main"))).not.toMatch(/secondary|small_/);
    }
    const moved = await get("/julkaisut/2");
    expect(moved.body).toContain("Muuttuneet luvut");
    expect(moved.body).toContain('href="/api/v1/releases/2/changes"');
  });

  it("pages pinned with ?julkaisu=1 show release 1's figures under a banner that links to the latest", async () => {
    const changes = changesResponseSchema.parse((await get("/api/v1/releases/2/changes")).json());
    const moved = changes.moved.find((c) => c.category === null && c.level !== "tyollisyysalue");
    if (!moved?.before || !moved.after) throw new Error("no figure moved");
    const def = (await loadCatalogue()).byId(moved.indicator)?.definition;
    const decimals = def?.decimals ?? 1;
    const url = `/indikaattori/${moved.indicator}?taso=${moved.level}&alue=${moved.area}&jaksotyyppi=${moved.period_type}&jakso=${moved.period}`;
    const old = await get(`${url}&julkaisu=1`);
    expect(old.statusCode, old.body).toBe(200);
    expect(old.body).toContain("Näytät julkaisun 1 lukuja");
    expect(old.body).toContain("Se ei ole uusin julkaisu.");
    expect(old.body).toContain(">Näytä uusimmat luvut</a>");
    expect(old.body).toContain(formatPublished(moved.before, decimals, "fi"));
    expect(old.body).toContain('name="julkaisu" value="1"');
    const now = await get(url);
    expect(now.body).not.toContain("Näytät julkaisun");
    expect(now.body).toContain(formatPublished(moved.after, decimals, "fi"));
    expect(now.body).not.toBe(old.body);
    for (const page of [
      "/?julkaisu=1",
      "/en/?julkaisu=1",
      `/alue/${moved.level === "kunta" ? `kunta/${moved.area}` : "koko_maa/SSS"}?julkaisu=1`,
    ]) {
      const response = await get(page);
      expect(response.statusCode, page).toBe(200);
      expect(response.body).toMatch(/Näytät julkaisun 1 lukuja|You are looking at the figures of release 1/);
    }
    // an old area link keeps its release through the redirect
    const legacy = await get("/alue/SSS?julkaisu=1");
    expect([legacy.statusCode, legacy.headers.location]).toEqual([301, "/alue/koko_maa/SSS?julkaisu=1"]);
    expect((await get("/?julkaisu=2")).body).toContain("se on uusin julkaisu");
    expect((await get("/?julkaisu=9")).statusCode).toBe(404);
    expect((await get("/?julkaisu=x")).statusCode).toBe(400);
  });

  it("the compare page, its downloads, the embeds and the oEmbed answer follow ?julkaisu=1", async () => {
    const changes = changesResponseSchema.parse((await get("/api/v1/releases/2/changes")).json());
    const moved = changes.moved.find((c) => c.category === null && c.level !== "tyollisyysalue");
    if (!moved?.before?.value || !moved.after?.value) throw new Error("no shown figure moved");
    const decimals = (await loadCatalogue()).byId(moved.indicator)?.definition.decimals ?? 1;
    const row = (v: number) =>
      `${formatPeriod(moved.period)}</th><td class="num">${formatPublished({ value: v, symbol: null }, decimals, "fi")}</td>`;
    const view = `indikaattori=${moved.indicator}&alueet=${moved.level}%3A${moved.area}&jaksotyyppi=${moved.period_type}`;

    const old = await get(`/vertailu?${view}&julkaisu=1`);
    expect(old.statusCode, old.body).toBe(200);
    expect(old.body).toContain("Näytät julkaisun 1 lukuja");
    expect(old.body).toContain(row(moved.before.value));
    expect(old.body).toContain('name="julkaisu" value="1"');
    expect(old.body).toContain(`href="/sv/vertailu?${view.replaceAll("&", "&amp;")}&amp;julkaisu=1"`);
    expect((await get(`/vertailu?${view}`)).body).toContain(row(moved.after.value));
    // the area choice keeps the release through the form's redirect
    const chosen = await get(`/vertailu?indikaattori=${moved.indicator}&alue=koko_maa%3ASSS&julkaisu=1`);
    expect(chosen.headers.location).toMatch(/&julkaisu=1$/);

    const csv = await get(`/vertailu.csv?${view}&julkaisu=1`);
    expect(csv.headers["content-disposition"]).toMatch(/_julkaisu-1\.csv"$/);
    expect(csv.body).toContain(`;${moved.period};${moved.before.value.toFixed(decimals).replace(".", ",")};`);
    expect((await get(`/vertailu/kaavio.svg?${view}&julkaisu=1`)).statusCode).toBe(200);

    const embed = await get(`/upotus/vertailu?${view}&julkaisu=1`);
    expect(embed.statusCode, embed.body).toBe(200);
    expect(embed.body).toContain("Luvut ovat julkaisusta 1");
    expect(embed.body).toContain(
      `href="/vertailu?${view.replaceAll("&", "&amp;")}&amp;julkaisu=1" target="_blank"`,
    );
    expect((await get(`/upotus/vertailu?${view}`)).body).not.toContain("julkaisusta");
    const page = `/indikaattori/${moved.indicator}?taso=${moved.level}&alue=${moved.area}&jaksotyyppi=${moved.period_type}&jakso=${moved.period}&julkaisu=1`;
    const chartEmbed = await get(
      `/en/upotus/indikaattori/${moved.indicator}/kehitys${page.slice(page.indexOf("?"))}`,
    );
    expect(chartEmbed.statusCode, chartEmbed.body).toBe(200);
    expect(chartEmbed.body).toContain("The figures are those of release 1");
    expect(chartEmbed.body).toContain("&amp;julkaisu=1");

    const url = `${fixtureEnv().config.publicUrl}${page}`;
    const oembed = await get(`/oembed?${new URLSearchParams({ url, format: "json" })}`);
    expect(oembed.statusCode, oembed.body).toBe(200);
    expect((oembed.json() as { html: string }).html).toContain('&amp;julkaisu=1"');
  });

  it("the language switch keeps a pinned page's release", async () => {
    expect((await get("/?julkaisu=1")).body).toContain('href="/sv/?julkaisu=1"');
    expect((await get("/en/?alue=15&julkaisu=1")).body).toContain('href="/?alue=15&amp;julkaisu=1"');
    const area = await get("/alue/koko_maa/SSS?julkaisu=1");
    expect(area.body).toContain('href="/en/alue/koko_maa/SSS?julkaisu=1"');
    expect(area.body).toContain("julkaisu=1");
    expect(area.body).toMatch(/href="\/vertailu\?alueet=[^"]*&amp;julkaisu=1"/);
  });

  it("an unknown release is a 404 page in the language", async () => {
    expect((await get("/julkaisut/9")).statusCode).toBe(404);
    expect((await get("/en/julkaisut/x")).statusCode).toBe(404);
    expect((await get("/en/julkaisut/9")).body).toContain("There is no release 9.");
  });
});
