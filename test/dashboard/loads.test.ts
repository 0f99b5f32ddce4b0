import { beforeAll, describe, expect, it } from "vitest";
import { csvUpload, postMultipart } from "../support/multipart.ts";
import { signIn, useAuthApp } from "./auth-fixture.ts";

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
const row = (kunta: string, quarter: string) => `${kunta};${quarter};100;10;20;5;2;1;2;2;4;1;1;1;1`;

describe("the load history", () => {
  const f = useAuthApp();
  const ids: Record<string, number> = {};

  const upload = async (token: string, name: string, csv: string) => {
    const body = csvUpload(name, csv);
    const response = await postMultipart(f.app(), "/api/v1/uploads", body, {
      authorization: `Bearer ${token}`,
    });
    return response.json().files[0] as { load_id: number; status: string };
  };

  beforeAll(async () => {
    ids.jyvaskyla = (
      await upload(f.analyst(), "jyvaskyla.csv", `${HEADER}\n${row("179", "2024Q1")}\n`)
    ).load_id;
    ids.broken = (await upload(f.analyst(), "rikki.csv", `${HEADER}\n${row("179", "2024Q9")}\n`)).load_id;
    ids.helsinki = (
      await upload(f.helsinki(), "helsinki.csv", `${HEADER}\n${row("091", "2024Q1")}\n`)
    ).load_id;
    await f
      .env()
      .ingest("inbox.csv", `${HEADER}\n${row("182", "2024Q1")}\n`, { sender: "inbox", source: "inbox" });
  });

  const get = (url: string, token?: string) =>
    f.app().inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("needs a token: anonymous requests get 401", async () => {
    expect((await get("/api/v1/loads")).statusCode).toBe(401);
    expect((await get(`/api/v1/loads/${ids.jyvaskyla}/report`)).statusCode).toBe(401);
  });

  it("an analyst sees only the files they sent, newest first, with status, rows and keys replaced", async () => {
    const body = (await get("/api/v1/loads", f.analyst())).json();
    expect(body.total).toBe(2);
    expect(body.loads.map((l: { file: string; status: string }) => [l.file, l.status])).toEqual([
      ["rikki.csv", "rejected"],
      ["jyvaskyla.csv", "loaded"],
    ]);
    expect(body.loads[1]).toMatchObject({ rows: 1, dataset: "kuntouttava", keys_replaced: [] });
  });

  it("an admin sees every load, the inbox's included", async () => {
    const body = (await get("/api/v1/loads", f.admin())).json();
    expect(body.total).toBe(4);
    expect(body.loads.map((l: { source: string }) => l.source)).toContain("inbox");
  });

  it("the report of an earlier rejected file can be opened again, the same as the upload answered", async () => {
    const response = await get(`/api/v1/loads/${ids.broken}/report`, f.analyst());
    expect(response.statusCode).toBe(200);
    const [file] = response.json().files;
    expect(file).toMatchObject({ file: "rikki.csv", status: "rejected", load_id: ids.broken });
    expect(file.errors[0]).toMatchObject({ row: 2, column: "vuosineljannes", value: "2024Q9" });
  });

  it("another analyst's load answers 404, as if it did not exist", async () => {
    expect((await get(`/api/v1/loads/${ids.helsinki}/report`, f.analyst())).statusCode).toBe(404);
    expect((await get(`/api/v1/loads/${ids.helsinki}/report`, f.admin())).statusCode).toBe(200);
  });

  it("a malformed load id is a 400, not a 500", async () => {
    const response = await get("/api/v1/loads/abc/report", f.admin());
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_request");
  });

  it("the history page lists the analyst's files with links to their reports", async () => {
    const { cookie } = await signIn(f.app(), f.analyst());
    const page = await f.app().inject({ method: "GET", url: "/lataukset", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("jyvaskyla.csv");
    expect(page.body).not.toContain("helsinki.csv");
    expect(page.body).toContain(`href="/lataukset/${ids.broken}"`);
    const report = await f
      .app()
      .inject({ method: "GET", url: `/lataukset/${ids.broken}`, headers: { cookie } });
    expect(report.body).toContain("Tiedosto hylättiin");
    expect(report.body).toContain("<code>2024Q9</code>");
  });

  it("the history page asks an anonymous visitor to sign in", async () => {
    const page = await f.app().inject({ method: "GET", url: "/en/lataukset" });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('href="/en/kirjaudu?next=%2Fen%2Flataukset"');
  });

  it("the status page shows file names and senders to an admin only", async () => {
    const anonymous = await f.app().inject({ method: "GET", url: "/tila" });
    expect(anonymous.body).not.toContain("rikki.csv");
    const analyst = await f
      .app()
      .inject({ method: "GET", url: "/tila", headers: { authorization: `Bearer ${f.analyst()}` } });
    expect(analyst.body).not.toContain("rikki.csv");
    const admin = await f
      .app()
      .inject({ method: "GET", url: "/tila", headers: { authorization: `Bearer ${f.admin()}` } });
    expect(admin.body).toContain("Viimeisimmät tiedostot (ylläpitäjälle)");
    expect(admin.body).toContain("rikki.csv");
    expect(admin.body).toContain("Helmi Helsinki");
    expect(admin.headers["cache-control"]).toBe("private, no-store");
  });
});
