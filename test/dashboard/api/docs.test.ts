import { describe, expect, it } from "vitest";
import { SCRIPT_TAG } from "../../../dashboard/pages/html.ts";
import { useKeskiUusimaaApp } from "../fixture.ts";

const { app } = useKeskiUusimaaApp();

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { summary?: string; parameters?: { name: string; in: string; description?: string }[] }>
  >;
};

const ROUTES: Record<string, string[]> = {
  "/api/v1/indicators": ["release"],
  "/api/v1/indicators/{id}": ["id"],
  "/api/v1/areas": ["level", "county"],
  "/api/v1/values": [
    "indicator",
    "level",
    "area",
    "period_type",
    "period",
    "from",
    "to",
    "category",
    "suppression",
    "release",
  ],
  "/api/v1/releases": [],
  "/api/v1/releases/{id}/changes": ["id"],
  "/api/v1/openapi.json": [],
};

describe("the API documentation", () => {
  it("the OpenAPI document lists every /api/v1 route with its parameters", async () => {
    const response = await app().inject({ url: "/api/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as Doc;
    expect(doc.openapi).toMatch(/^3\./);
    for (const [path, params] of Object.entries(ROUTES)) {
      const get = doc.paths[path]?.get;
      expect(get, path).toBeDefined();
      expect(get?.summary, path).toBeTruthy();
      expect((get?.parameters ?? []).map((p) => p.name).sort(), path).toEqual([...params].sort());
      for (const p of get?.parameters ?? []) expect(p.description, `${path} ${p.name}`).toBeTruthy();
    }
  });

  it("the OpenAPI document leaves the pages out", async () => {
    const doc = (await app().inject({ url: "/api/v1/openapi.json" })).json() as Doc;
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/api\//);
  });

  it("the docs page shows every endpoint with its parameters, an example request and a real response", async () => {
    const response = await app().inject({ url: "/api" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    const html = response.body;
    // plain HTML: no script of its own (only the site's optional /seuranta.js that every page loads)
    expect(html.replace(SCRIPT_TAG, "")).not.toMatch(/<script/i);
    for (const [path, params] of Object.entries(ROUTES)) {
      expect(html).toContain(`GET ${path}`);
      for (const p of params) expect(html).toContain(`<code>${p}</code>`);
    }
    expect(html).toContain(
      "curl &#39;http://localhost:80/api/v1/values?indicator=kt-tyohon&amp;level=hyvinvointialue",
    );
    // the example answer is the API's own: Keski-Uusimaa's values
    expect(html).toContain("Keski-Uudenmaan hyvinvointialue");
    expect(html).toContain("&quot;definitions_version&quot;");
    expect(html).toContain('href="/api/v1/openapi.json"');
  });

  it("the docs page is in Swedish and English too, and the navigation links to it", async () => {
    for (const [url, lang, h1] of [
      ["/sv/api", "sv", "Gränssnitt (API)"],
      ["/en/api", "en", "API"],
    ] as const) {
      const response = await app().inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(`<html lang="${lang}">`);
      expect(response.body).toContain(`<h1>${h1}</h1>`);
    }
    const front = await app().inject({ url: "/en/" });
    expect(front.body).toContain('<a href="/en/api">API</a>');
  });
});
