import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { formatPublished } from "../../indicators/format.ts";
import { readValues } from "../../indicators/read.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { KT_KESKI_UUSIMAA } from "./fixture.ts";

const PUBLIC = "https://seuranta.example.fi";
const ALLOWED = "https://www.hyvaks.fi";
const EMBED = "/upotus/indikaattori/kt-tyohon/kehitys?taso=kunta&alue=106&jaksotyyppi=quarter";

let env: TestEnv;
let app: FastifyInstance;
beforeAll(async () => {
  env = await makeTestEnv({
    SEURANTA_PUBLIC_URL: PUBLIC,
    SEURANTA_EMBED_ORIGINS: `${ALLOWED}, https://x.fi`,
  });
  expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
  await recomputeAll(env.db, env.config);
  app = await buildApp({ db: env.db, config: env.config });
});
afterAll(async () => {
  await app.close();
  await env.close();
});

describe("embed pages", () => {
  it("show the title, the chart, its text alternative, the data as of, the privacy note and a link back, without navigation", async () => {
    const page = await app.inject(EMBED);
    const { values } = await readValues(env.db, {
      indicator: "kt-tyohon",
      level: "kunta",
      area: "106",
      periodType: "quarter",
      category: "",
    });
    const last = values.at(-1);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      "<h1>Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista: Hyvinkää</h1>",
    );
    expect(page.body).toContain("<svg");
    expect(page.body).not.toContain("<nav");
    expect(page.body).toMatch(/<figcaption>Viivakaavio, [^<]*Hyvinkää: viimeisin /);
    if (!last) throw new Error("Hyvinkää has values");
    expect(page.body).toContain(formatPublished(last, 1, "fi"));
    expect(page.body).toMatch(/Tiedot päivitetty: \d{4}-\d{2}-\d{2}\. Pienet luvut/);
    expect(page.body).toContain(
      'href="/indikaattori/kt-tyohon?taso=kunta&amp;alue=106&amp;jaksotyyppi=quarter&amp;jakso=2024Q1" target="_blank"',
    );
    expect(page.body).toContain(
      `<link rel="alternate" type="application/json+oembed" href="${PUBLIC}/oembed?url=https%3A%2F%2Fseuranta.example.fi%2Fupotus%2Findikaattori%2Fkt-tyohon%2Fkehitys`,
    );
  });

  it("may be framed by the allowed origins only; every other page stays DENY", async () => {
    const embed = await app.inject(EMBED);
    const compare = await app.inject("/en/upotus/vertailu?indikaattori=kt-tyohon&alueet=kunta:106,kunta:611");
    const page = await app.inject("/indikaattori/kt-tyohon");

    expect(embed.headers["x-frame-options"]).toBeUndefined();
    expect(embed.headers["content-security-policy"]).toContain(`frame-ancestors ${ALLOWED} https://x.fi`);
    expect(embed.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(compare.statusCode).toBe(200);
    expect(compare.headers["content-security-policy"]).toContain(`frame-ancestors ${ALLOWED}`);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("the indicator page has the Upota box with the <iframe> snippet and the discovery link", async () => {
    const page = await app.inject("/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter");

    expect(page.body).toContain("<h2>Upota</h2>");
    expect(page.body).toContain(
      `&lt;iframe src=&quot;${PUBLIC}/upotus/indikaattori/kt-tyohon/kehitys?taso=kunta&amp;amp;alue=106`,
    );
    expect(page.body).toMatch(
      /<link rel="alternate" type="application\/json\+oembed" href="https:\/\/seuranta\.example\.fi\/oembed\?url=/,
    );
  });
});

describe("oEmbed", () => {
  it("answers type rich with the oEmbed 1.0 fields for an indicator page", async () => {
    const url = `${PUBLIC}/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter`;
    const response = await app.inject(
      `/oembed?${new URLSearchParams({ url, format: "json", maxwidth: "600" })}`,
    );
    const body = response.json() as Record<string, unknown>;

    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("application/json");
    // oEmbed 1.0, section 2.3.4: version, type; rich: html, width, height (required)
    expect(body.version).toBe("1.0");
    expect(body.type).toBe("rich");
    expect(typeof body.html).toBe("string");
    expect(body.width).toBe(600);
    expect(body.height).toBe(640);
    expect(body.title).toBe("Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista: Hyvinkää");
    expect(body.provider_name).toBe("Seuranta");
    expect(body.provider_url).toBe(`${PUBLIC}/`);
    expect(body.html).toBe(
      `<iframe src="${PUBLIC}/upotus/indikaattori/kt-tyohon/kehitys?taso=kunta&amp;alue=106&amp;jaksotyyppi=quarter" width="600" height="640" title="Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista: Hyvinkää" loading="lazy"></iframe>`,
    );
    for (const key of Object.keys(body))
      expect([
        "version",
        "type",
        "title",
        "provider_name",
        "provider_url",
        "html",
        "width",
        "height",
      ]).toContain(key);
  });

  it.each([
    [
      "a compare page",
      `${PUBLIC}/vertailu?indikaattori=kt-tyohon&alueet=kunta:106,kunta:611&jaksotyyppi=year`,
    ],
    ["an embed page", `${PUBLIC}/sv${EMBED}`],
    ["a pinned indicator page", `${PUBLIC}/en/indikaattori/kt-tyohon?taso=kunta&alue=106&julkaisu=1`],
  ])("answers %s with exactly the oEmbed 1.0 fields of a rich type, of their types", async (_, url) => {
    const response = await app.inject(`/oembed?${new URLSearchParams({ url, format: "json" })}`);
    const body = response.json() as Record<string, unknown>;

    expect(response.statusCode, response.body).toBe(200);
    // oEmbed 1.0, 2.3.4: version and type required; title, provider_name, provider_url optional strings;
    // 2.3.4.4 rich: html, width and height required, width and height positive integers
    expect(Object.keys(body).sort()).toEqual(
      ["height", "html", "provider_name", "provider_url", "title", "type", "version", "width"].sort(),
    );
    expect([body.version, body.type]).toEqual(["1.0", "rich"]);
    for (const key of ["title", "provider_name", "provider_url", "html"])
      expect(typeof body[key], key).toBe("string");
    for (const key of ["width", "height"]) {
      expect(Number.isInteger(body[key]), key).toBe(true);
      expect(body[key] as number).toBeGreaterThan(0);
    }
    // the html is an iframe of the page's embed at the public address (no script: the spec's advice)
    expect(body.html).toMatch(
      new RegExp(`^<iframe src="${PUBLIC}/(?:sv/|en/)?upotus/[^"]+"[^>]*></iframe>$`),
    );
    expect(body.html).not.toContain("<script");
  });

  it.each([
    ["url=https%3A%2F%2Fevil.example%2Findikaattori%2Fkt-tyohon&format=json", 404],
    [`url=${encodeURIComponent(`${PUBLIC}/tila`)}&format=json`, 404],
    [`url=${encodeURIComponent(`${PUBLIC}/indikaattori/nope`)}`, 404],
    [`url=${encodeURIComponent(`${PUBLIC}/vertailu?alueet=kunta:106`)}&format=xml`, 501],
    ["format=json", 400],
  ])("/oembed?%s is a %i", async (query, status) => {
    const response = await app.inject(`/oembed?${query}`);

    expect(response.statusCode).toBe(status);
  });
});
