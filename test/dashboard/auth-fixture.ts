import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import { TokenStore } from "../../core/tokens.ts";
import { type AppDeps, buildApp } from "../../dashboard/app.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

export interface AuthFixture {
  env: () => TestEnv;
  app: () => FastifyInstance;
  /** An analyst of Jyväskylä (179) and Jämsä (182). */
  analyst: () => string;
  /** An analyst of Helsinki (091). */
  helsinki: () => string;
  admin: () => string;
}

/** The real app on a real database, with an in-memory token store holding two analysts and an admin. */
export function useAuthApp(
  env: Record<string, string> = {},
  deps: Pick<AppDeps, "publisher"> = {},
): AuthFixture {
  let testEnv: TestEnv;
  let app: FastifyInstance;
  const tokens = TokenStore.inMemory();
  const analyst = tokens.add({
    role: "analyst",
    name: "Anna Analyytikko, Jyväskylä",
    kunnat: ["179", "182"],
  });
  const helsinki = tokens.add({ role: "analyst", name: "Helmi Helsinki", kunnat: ["091"] });
  const admin = tokens.add({ role: "admin", name: "Aino Ylläpitäjä" });
  beforeAll(async () => {
    testEnv = await makeTestEnv(env);
    app = await buildApp({ db: testEnv.db, config: testEnv.config, tokens, ...deps });
  });
  afterAll(async () => {
    await app?.close();
    await testEnv?.close();
  });
  return {
    env: () => testEnv,
    app: () => app,
    analyst: () => analyst.token,
    helsinki: () => helsinki.token,
    admin: () => admin.token,
  };
}

/** Signs in through the form and returns the session cookie and the page's CSRF token. */
export async function signIn(app: FastifyInstance, token: string): Promise<{ cookie: string; csrf: string }> {
  const response = await app.inject({
    method: "POST",
    url: "/kirjaudu",
    payload: `token=${encodeURIComponent(token)}`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const setCookie = String(response.headers["set-cookie"]);
  const cookie = setCookie.split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: "/lataa", headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error("no CSRF token on the upload page");
  return { cookie, csrf };
}
