import { describe, expect, it } from "vitest";
import { readAudit } from "../../core/audit.ts";
import { signIn, useAuthApp } from "./auth-fixture.ts";

const form = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST" as const,
  url: "/kirjaudu",
  payload: body,
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
});

describe("signing in with a token", () => {
  const f = useAuthApp();

  it("a valid token starts a session: HttpOnly, SameSite=Strict cookie, not Secure over plain HTTP", async () => {
    const response = await f.app().inject(form(`token=${encodeURIComponent(f.analyst())}`));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/lataa");
    const cookie = String(response.headers["set-cookie"]);
    expect(cookie).toMatch(/^seuranta_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain("Secure");
  });

  it("behind TLS (X-Forwarded-Proto: https) the cookie is Secure", async () => {
    const response = await f
      .app()
      .inject(form(`token=${encodeURIComponent(f.admin())}`, { "x-forwarded-proto": "https" }));
    expect(String(response.headers["set-cookie"])).toContain("Secure");
    expect(response.headers.location).toBe("/lataukset");
  });

  it("a wrong token shows the form again with a Finnish message and a 401", async () => {
    const response = await f.app().inject(form("token=seu_00000000_wrong"));
    expect(response.statusCode).toBe(401);
    expect(response.headers["set-cookie"]).toBeUndefined();
    expect(response.body).toContain("Tunniste ei kelpaa");
    expect(response.body).toContain('aria-invalid="true"');
  });

  it("the signed-in header names the user and the database keeps only a hash of the session id", async () => {
    const { cookie } = await signIn(f.app(), f.analyst());
    const page = await f.app().inject({ method: "GET", url: "/", headers: { cookie } });
    expect(page.body).toContain("Kirjautunut: <strong>Anna Analyytikko, Jyväskylä</strong>");
    const id = cookie.split("=")[1] ?? "";
    const stored = await f.env().db.all<{ id_hash: string }>("SELECT id_hash FROM sessions");
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((s) => s.id_hash)).not.toContain(id);
  });

  it("signing out ends the session: the old cookie no longer signs anyone in", async () => {
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const out = await f.app().inject({
      method: "POST",
      url: "/kirjaudu/ulos",
      payload: `_csrf=${encodeURIComponent(csrf)}`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(out.statusCode).toBe(303);
    const page = await f.app().inject({ method: "GET", url: "/lataa", headers: { cookie } });
    expect(page.body).not.toContain('<input type="file"');
  });

  it("sign-out without the CSRF token is refused (a cross-site page cannot sign the user out)", async () => {
    const { cookie } = await signIn(f.app(), f.analyst());
    const out = await f.app().inject({
      method: "POST",
      url: "/kirjaudu/ulos",
      payload: "",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(out.statusCode).toBe(403);
  });

  it("only a path of this site may follow sign-in (no open redirect)", async () => {
    const response = await f
      .app()
      .inject(form(`token=${encodeURIComponent(f.analyst())}&next=${encodeURIComponent("//evil.example/")}`));
    expect(response.headers.location).toBe("/lataa");
    const ok = await f
      .app()
      .inject(form(`token=${encodeURIComponent(f.analyst())}&next=${encodeURIComponent("/sv/lataukset")}`));
    expect(ok.headers.location).toBe("/sv/lataukset");
  });

  it("every sign-in, failed sign-in and sign-out is in the audit log", async () => {
    const actions = new Set((await readAudit(f.env().db)).map((a) => a.action));
    expect(actions).toEqual(new Set(["signin", "signin_failed", "signout"]));
  });
});

describe("sign-in rate limit", () => {
  const f = useAuthApp({ SEURANTA_RATE_SIGNIN: "3/15" });

  it("the fourth attempt within the window is a 429 with Retry-After, even with the right token", async () => {
    for (let i = 0; i < 3; i++) await f.app().inject(form("token=seu_00000000_wrong"));
    const response = await f.app().inject(form(`token=${encodeURIComponent(f.analyst())}`));
    expect(response.statusCode).toBe(429);
    expect(response.headers["retry-after"]).toBeDefined();
  });
});

describe("upload rate limit", () => {
  const f = useAuthApp({ SEURANTA_RATE_UPLOAD: "2/10" });

  it("a token's third upload within the window is a 429", async () => {
    const send = () =>
      f.app().inject({
        method: "POST",
        url: "/api/v1/uploads",
        payload: "",
        headers: { authorization: `Bearer ${f.analyst()}`, "content-type": "text/plain" },
      });
    await send();
    await send();
    const third = await send();
    expect(third.statusCode).toBe(429);
    expect(third.json().error).toBe("rate_limited");
  });
});

describe("behind a reverse proxy (SEURANTA_TRUST_PROXY=true)", () => {
  const f = useAuthApp({ SEURANTA_RATE_SIGNIN: "2/15", SEURANTA_TRUST_PROXY: "true" });

  it("each client behind the proxy has its own sign-in count, and the audit log names the client", async () => {
    const from = (ip: string) => ({ "x-forwarded-for": ip });
    for (let i = 0; i < 2; i++) await f.app().inject(form("token=seu_00000000_wrong", from("198.51.100.7")));
    expect((await f.app().inject(form("token=seu_00000000_wrong", from("198.51.100.7")))).statusCode).toBe(
      429,
    );
    const other = await f.app().inject(form(`token=${encodeURIComponent(f.analyst())}`, from("203.0.113.9")));
    expect(other.statusCode).toBe(303);
    const signin = (await readAudit(f.env().db)).find((a) => a.action === "signin");
    expect(signin?.detail.ip).toBe("203.0.113.9");
  });
});
