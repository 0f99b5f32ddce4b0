import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

let env: TestEnv;
beforeEach(async () => {
  env = await makeTestEnv();
});
afterEach(() => env.close());

describe("the web application", () => {
  it("answers /healthz and /readyz", async () => {
    const app = await buildApp({ db: env.db, config: env.config });

    expect((await app.inject("/healthz")).json()).toEqual({ status: "ok" });
    expect((await app.inject("/readyz")).json()).toEqual({ status: "ready" });
  });

  it("logs one line per request, with its method, URL, status and time, cached answers too", async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const app = await buildApp({ db: env.db, config: env.config, logger: { level: "info", stream } });

    await app.inject("/tila");
    await app.inject("/tila");
    await app.inject("/ei-ole");
    await app.close();

    const requests = lines.filter((l) => l.req !== undefined);
    expect(
      requests.map((l) => [
        l.msg,
        (l.req as { url: string }).url,
        (l.res as { statusCode: number }).statusCode,
      ]),
    ).toEqual([
      ["request completed", "/tila", 200],
      ["request completed", "/tila", 200],
      ["request completed", "/ei-ole", 404],
    ]);
    for (const line of requests) expect(line.responseTime).toEqual(expect.any(Number));
  });

  it("the status page counts reporting municipalities per quarter, in Finnish", async () => {
    await env.ingest(
      "t.csv",
      "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;7\n091;2024Q1;tulo;kela;5\n",
    );
    const app = await buildApp({ db: env.db, config: env.config });

    const page = await app.inject("/tila");

    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain('<html lang="fi">');
    expect(page.body).toMatch(/<td>2024 Q1<\/td><td class="num">2<\/td>/);
    expect(page.body).toContain("Lähde: Tilastokeskus");
  });

  it("every page is also in Swedish and English, with the language in the URL and in <html lang>", async () => {
    const app = await buildApp({ db: env.db, config: env.config });

    const sv = await app.inject("/sv/tila");
    const en = await app.inject("/en/tila");

    expect(sv.body).toContain('<html lang="sv">');
    expect(sv.body).toContain("<h1>Datastatus</h1>");
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain("Source: Statistics Finland");
  });

  it("the language switch links to the same page in each language", async () => {
    const app = await buildApp({ db: env.db, config: env.config });

    const page = await app.inject("/sv/tila");

    expect(page.body).toContain('href="/tila" lang="fi"');
    expect(page.body).toContain('href="/en/tila" lang="en"');
  });
});
