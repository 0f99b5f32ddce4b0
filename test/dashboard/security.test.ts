import { createHash } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { SCRIPT_PATH } from "../../dashboard/pages/html.ts";
import { RATE_LIMITS, SECURITY_HEADERS, STRICT_CSP } from "../../dashboard/security.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { useKeskiUusimaaApp } from "./fixture.ts";

/** The directives of a CSP header: name → sources. */
function directives(csp: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(csp ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

/** The hash sources of the text of every `<style>` element, computed here independently of the app. */
function styleHashesOf(body: string): Set<string> {
  const { document } = parseHTML(body);
  return new Set(
    [...document.querySelectorAll("style")].map(
      (style) =>
        `'sha256-${createHash("sha256")
          .update(style.textContent ?? "")
          .digest("base64")}'`,
    ),
  );
}

/** Every inline thing besides `<style>` blocks that a CSP would have to allow, as readable findings. */
function otherInlineContent(body: string): string[] {
  const { document } = parseHTML(body);
  const found: string[] = [];
  // the one script allowed is the same-origin /seuranta.js; any other (inline or elsewhere) is listed
  for (const script of document.querySelectorAll("script"))
    if (script.getAttribute("src") !== SCRIPT_PATH || script.textContent !== "")
      found.push(`script ${script.getAttribute("src") ? "with src" : "inline"}`);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name === "style") found.push(`<${el.tagName.toLowerCase()} style="${attr.value}">`);
      if (/^on/i.test(attr.name)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
      if (/^\s*javascript:/i.test(attr.value))
        found.push(`<${el.tagName.toLowerCase()} ${attr.name}=javascript:>`);
    }
  }
  return found;
}

const securityHeaders = (response: LightMyRequestResponse) =>
  Object.fromEntries(
    [...Object.keys(SECURITY_HEADERS), "content-security-policy", "strict-transport-security"].map((name) => [
      name,
      response.headers[name],
    ]),
  );

const PAGES = [
  "/",
  "/indikaattori/kt-tyohon",
  "/alue/kunta/106",
  "/alue/hyvinvointialue/02",
  "/alue/tyollisyysalue/02",
  "/tila",
  "/kirjaudu",
];

describe("security headers and the Content-Security-Policy", () => {
  const { app } = useKeskiUusimaaApp();

  it.each(PAGES)("%s carries the security headers and a CSP with scripts from 'self' only", async (url) => {
    const response = await app().inject({ url });
    expect(response.statusCode).toBe(200);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["strict-transport-security"]).toBeUndefined();
    const csp = directives(response.headers["content-security-policy"] as string);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect([...csp.keys()].filter((name) => name.startsWith("script") || name === "style-src-attr")).toEqual([
      "script-src",
    ]);
  });

  it.each(PAGES)("%s: the CSP allows exactly its <style> blocks and nothing else is inline", async (url) => {
    const response = await app().inject({ url });
    const styleSrc = directives(response.headers["content-security-policy"] as string).get("style-src") ?? [];
    expect(styleSrc.every((source) => source.startsWith("'sha256-"))).toBe(true);
    expect(new Set(styleSrc)).toEqual(styleHashesOf(response.body));
    expect(otherInlineContent(response.body)).toEqual([]);
  });

  it("the indicator page's charts bring Plot's <style> and are allowed by hash", async () => {
    const response = await app().inject({ url: "/indikaattori/kt-tyohon" });
    const { document } = parseHTML(response.body);
    const chartStyles = [...document.querySelectorAll("svg style")];
    expect(chartStyles.length).toBeGreaterThan(0);
    const styleSrc = directives(response.headers["content-security-policy"] as string).get("style-src") ?? [];
    for (const style of chartStyles) {
      const hash = `'sha256-${createHash("sha256")
        .update(style.textContent ?? "")
        .digest("base64")}'`;
      expect(styleSrc).toContain(hash);
    }
  });

  it("a cached response carries the same headers as the fresh one, and so does a 304", async () => {
    const url = "/sv/indikaattori/kt-tyohon";
    const hitsBefore = app().responseCache.stats.hits;
    const fresh = await app().inject({ url });
    const cached = await app().inject({ url });
    expect(app().responseCache.stats.hits).toBe(hitsBefore + 1);
    expect(cached.body).toBe(fresh.body);
    expect(securityHeaders(cached)).toEqual(securityHeaders(fresh));
    expect(fresh.headers["content-security-policy"]).toMatch(/style-src 'sha256-/);
    const notModified = await app().inject({ url, headers: { "if-none-match": String(fresh.headers.etag) } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers["content-security-policy"]).toBe(fresh.headers["content-security-policy"]);
  });

  it("Strict-Transport-Security only over TLS, also when the page comes from the cache", async () => {
    const url = "/en/alue/kunta/106";
    const overTls = await app().inject({ url, headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
    const plain = await app().inject({ url });
    expect(plain.body).toBe(overTls.body);
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    const againOverTls = await app().inject({ url, headers: { "x-forwarded-proto": "https" } });
    expect(againOverTls.headers["strict-transport-security"]).toBe(
      overTls.headers["strict-transport-security"],
    );
  });

  it.each(["kehitys", "vertailu"])(
    "the %s chart SVG download has a strict CSP allowing only its own style",
    async (chart) => {
      for (let round = 0; round < 2; round++) {
        const response = await app().inject({ url: `/indikaattori/kt-tyohon/kaavio/${chart}.svg` });
        expect(response.statusCode).toBe(200);
        expect(response.headers["content-type"]).toMatch(/^image\/svg\+xml/);
        const hashes = [...styleHashesOf(response.body)];
        expect(hashes).toHaveLength(1);
        expect(response.headers["content-security-policy"]).toBe(
          `default-src 'none'; style-src ${hashes[0]}; frame-ancestors 'none'`,
        );
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        expect(otherInlineContent(response.body)).toEqual([]);
      }
    },
  );

  it.each([
    "/indikaattori/kt-tyohon.csv",
    "/indikaattori/kt-tyohon.xlsx",
    "/indikaattori/kt-tyohon/kaavio/kehitys.png",
    "/healthz",
  ])("%s gets the strict CSP and the other headers", async (url) => {
    const response = await app().inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-security-policy"]).toBe(STRICT_CSP);
    expect(directives(STRICT_CSP).get("default-src")).toEqual(["'none'"]);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
  });

  it("a page that is not found has the headers too, and its styles allowed", async () => {
    const response = await app().inject({ url: "/indikaattori/ei-ole" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    if (String(response.headers["content-type"]).startsWith("text/html")) {
      const styleSrc =
        directives(response.headers["content-security-policy"] as string).get("style-src") ?? [];
      expect(new Set(styleSrc.filter((s) => s !== "'none'"))).toEqual(styleHashesOf(response.body));
    }
  });
});

describe("rate limits", () => {
  let env: TestEnv;
  let app: FastifyInstance;
  let tokens: TokenStore;
  let tokenA = "";
  let tokenB = "";

  beforeAll(async () => {
    env = await makeTestEnv({ SEURANTA_RATE_SIGNIN: "3/15", SEURANTA_RATE_UPLOAD: "2/10" });
    tokens = TokenStore.inMemory();
    tokenA = tokens.add({ role: "analyst", name: "A", kunnat: ["106"] }).token;
    tokenB = tokens.add({ role: "analyst", name: "B", kunnat: ["186"] }).token;
    app = await buildApp({ db: env.db, config: env.config, tokens });
    // stand-ins for the sign-in and upload routes, with the options those routes use
    for (const prefix of ["", "/sv"]) {
      app.post(`${prefix}/testi/kirjaudu`, { config: { rateLimit: RATE_LIMITS.signin } }, async () => "ok");
    }
    app.get("/testi/sivu", { config: { rateLimit: RATE_LIMITS.signin } }, async (_request, reply) =>
      reply.type("text/html; charset=utf-8").send("<!doctype html><p>ok</p>"),
    );
    app.post("/api/v1/testi/lataus", { config: { rateLimit: RATE_LIMITS.upload } }, async () => ({
      ok: true,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await env?.close();
  });

  it("reads the limits from SEURANTA_RATE_SIGNIN and SEURANTA_RATE_UPLOAD", () => {
    expect(env.config.rateSignin).toEqual({ max: 3, minutes: 15 });
    expect(env.config.rateUpload).toEqual({ max: 2, minutes: 10 });
  });

  it("sign-in: the fourth attempt from one address is a 429 page in Finnish with Retry-After", async () => {
    const from = (remoteAddress: string, url = "/testi/kirjaudu") =>
      app.inject({ method: "POST", url, remoteAddress });
    // the Swedish variant of the route counts against the same limit
    expect((await from("192.0.2.1")).statusCode).toBe(200);
    expect((await from("192.0.2.1", "/sv/testi/kirjaudu")).statusCode).toBe(200);
    const third = await from("192.0.2.1");
    expect(third.statusCode).toBe(200);
    expect(third.headers["x-ratelimit-remaining"]).toBe("0");
    const limited = await from("192.0.2.1");
    expect(limited.statusCode).toBe(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.headers["content-type"]).toMatch(/^text\/html/);
    expect(limited.headers["cache-control"]).toBe("no-store");
    expect(limited.body).toContain("Liian monta yritystä");
    expect(limited.body).toContain("15 minuutin kuluttua");
    // the 429 page passes its own CSP like every other page
    const styleSrc = directives(limited.headers["content-security-policy"] as string).get("style-src") ?? [];
    expect(new Set(styleSrc)).toEqual(styleHashesOf(limited.body));
    expect(otherInlineContent(limited.body)).toEqual([]);
    // another address is not affected
    expect((await from("192.0.2.2")).statusCode).toBe(200);
  });

  it("the 429 page is in Swedish under /sv", async () => {
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 4; i++)
      last = await app.inject({ method: "POST", url: "/sv/testi/kirjaudu", remoteAddress: "192.0.2.3" });
    expect(last?.statusCode).toBe(429);
    expect(last?.body).toContain('lang="sv"');
    expect(last?.body).toContain("För många försök");
  });

  it("a rate-limited GET page is never answered from the response cache", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await app.inject({ url: "/testi/sivu", remoteAddress: "192.0.2.4" })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("upload: counted per token, and the API answers JSON with a Finnish and an English message", async () => {
    const upload = (token: string | null, remoteAddress = "192.0.2.10") =>
      app.inject({
        method: "POST",
        url: "/api/v1/testi/lataus",
        remoteAddress,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await upload(tokenA)).statusCode).toBe(200);
    expect((await upload(tokenA)).statusCode).toBe(200);
    const limited = await upload(tokenA);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(9 * 60);
    expect(limited.headers["content-type"]).toMatch(/^application\/json/);
    expect(limited.headers["content-security-policy"]).toBe(STRICT_CSP);
    const body = limited.json() as { error: string; message: string; message_en: string };
    expect(body.error).toBe("rate_limited");
    expect(body.message).toMatch(/^Liian monta yritystä.*10 minuutin kuluttua/);
    expect(body.message_en).toMatch(/^Too many attempts.*10 minutes/);
    // the same address with another token, and an anonymous caller, have their own counts
    expect((await upload(tokenB)).statusCode).toBe(200);
    expect((await upload(null)).statusCode).toBe(200);
  });
});
