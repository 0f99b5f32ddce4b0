import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Publisher } from "../../indicators/publisher.ts";
import { csvUpload, multipartBody, postMultipart } from "../support/multipart.ts";
import { signIn, useAuthApp } from "./auth-fixture.ts";

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
const JYVASKYLA_2024Q2 = `${HEADER}\n179;2024Q2;100;10;20;5;2;1;2;2;4;1;1;1;1\n`;
const WITH_HELSINKI = `${HEADER}\n179;2024Q3;100;10;20;5;2;1;2;2;4;1;1;1;1\n091;2024Q3;900;50;20;5;2;1;2;2;4;1;1;1;1\n091;2024Q4;900;50;20;5;2;1;2;2;4;1;1;1;1\n`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("POST /api/v1/uploads", () => {
  const f = useAuthApp();

  it("an upload without a token or session is a 401 and nothing is stored", async () => {
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2);
    const response = await f.app().inject({ method: "POST", url: "/api/v1/uploads", ...upload });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe("SEU_UPLOAD_SIGN_IN");
    const loads = await f.env().db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM loads");
    expect(loads?.n).toBe(0);
  });

  it("a wrong Bearer token is a 401", async () => {
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2);
    const response = await postMultipart(
      f.app(),
      "/api/v1/uploads",
      upload,
      bearer(`${f.analyst().slice(0, -4)}AAAA`),
    );
    expect(response.statusCode).toBe(401);
  });

  it("an analyst's file of their own municipality is loaded and answers the report of the contract", async () => {
    const upload = csvUpload("jyvaskyla.csv", JYVASKYLA_2024Q2);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(200);
    const [file] = response.json().files;
    expect(file).toMatchObject({ file: "jyvaskyla.csv", dataset: "kuntouttava", status: "loaded", rows: 1 });
    const load = await f
      .env()
      .db.one<{ sender: string; sender_id: string; source: string }>(
        "SELECT sender, sender_id, source FROM loads WHERE load_id = ?",
        [file.load_id],
      );
    expect(load).toMatchObject({ sender: "Anna Analyytikko, Jyväskylä", source: "upload" });
    expect(load?.sender_id).toMatch(/^[a-f0-9]{8}$/);
  });

  it("an analyst of 179 sending 091 rows gets a 403 that names every such row, and nothing is loaded", async () => {
    const upload = csvUpload("kaksi-kuntaa.csv", WITH_HELSINKI);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(403);
    const [file] = response.json().files;
    expect(file.status).toBe("rejected");
    const notAllowed = file.errors.filter((e: { code: string }) => e.code === "SEU_ROW_KUNTA_NOT_ALLOWED");
    expect(notAllowed.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    expect(notAllowed[0].message).toContain("091");
    const rows = await f
      .env()
      .db.one<{ n: number }>(
        "SELECT count(*)::INTEGER AS n FROM kuntouttava WHERE vuosi = 2024 AND neljannes = 3",
      );
    expect(rows?.n).toBe(0);
  });

  it("dry_run=true validates without storing anything", async () => {
    const upload = csvUpload("tarkistus.csv", `${HEADER}\n182;2024Q1;100;10;20;5;2;1;2;2;4;1;1;1;1\n`, {
      dry_run: "true",
    });
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(200);
    expect(response.json().files[0]).toMatchObject({ status: "valid", rows: 1, load_id: null });
    const rows = await f
      .env()
      .db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM kuntouttava WHERE kunta = '182'");
    expect(rows?.n).toBe(0);
  });

  it("two files in one request are refused with 413", async () => {
    const upload = multipartBody([
      { name: "file", filename: "a.csv", value: JYVASKYLA_2024Q2 },
      { name: "file2", filename: "b.csv", value: JYVASKYLA_2024Q2 },
    ]);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe("SEU_UPLOAD_ONE_FILE");
  });

  it("a request without a file is a 400 that says which field to use", async () => {
    const upload = multipartBody([{ name: "dry_run", value: "true" }]);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("SEU_UPLOAD_NO_FILE");
  });

  it("an Excel workbook is rejected by name (CSV-like content only)", async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]);
    const upload = csvUpload("kt.xlsx", zip);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(422);
    expect(response.json().files[0].errors[0].code).toBe("SEU_FILE_BINARY");
  });

  it("every load and rejection is in the audit log with the token and name", async () => {
    const rows = await f
      .env()
      .db.all<{ action: string; actor_name: string }>(
        "SELECT action, actor_name FROM audit_log WHERE action IN ('load', 'reject') ORDER BY audit_id",
      );
    expect(rows.map((r) => r.action)).toEqual(["load", "reject", "reject"]);
    expect(new Set(rows.map((r) => r.actor_name))).toEqual(new Set(["Anna Analyytikko, Jyväskylä"]));
  });
});

describe("upload limits", () => {
  const f = useAuthApp({ SEURANTA_UPLOAD_MB: "0.01" });

  it("a file over the limit is a 413 with a Finnish message giving the limit", async () => {
    const big = `${HEADER}\n${"179;2024Q2;100;10;20;5;2;1;2;2;4;1;1;1;1\n".repeat(400)}`;
    const upload = csvUpload("iso.csv", big);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: "SEU_UPLOAD_TOO_LARGE" });
    expect(response.json().message).toContain("0,01 Mt");
  });
});

describe("the upload page", () => {
  const f = useAuthApp();

  it("asks an anonymous visitor to sign in and shows no form", async () => {
    const response = await f.app().inject({ method: "GET", url: "/lataa" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/kirjaudu?next=%2Flataa"');
    expect(response.body).not.toContain('<input type="file"');
  });

  it("a session POST without the CSRF token is refused with 403 and loads nothing", async () => {
    const { cookie } = await signIn(f.app(), f.analyst());
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2);
    const response = await postMultipart(f.app(), "/lataa", upload, { cookie });
    expect(response.statusCode).toBe(403);
    const loads = await f.env().db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM loads");
    expect(loads?.n).toBe(0);
  });

  it("a session POST with a wrong CSRF token is refused too", async () => {
    const { cookie } = await signIn(f.app(), f.analyst());
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2, { _csrf: "x".repeat(43) });
    const response = await postMultipart(f.app(), "/lataa", upload, { cookie });
    expect(response.statusCode).toBe(403);
  });

  it("a POST from another site is refused even with the right token (Origin check)", async () => {
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2, { _csrf: csrf });
    const response = await postMultipart(f.app(), "/lataa", upload, {
      cookie,
      origin: "https://evil.example",
    });
    expect(response.statusCode).toBe(403);
  });

  it("the form's upload shows what changed: quarter, municipality replaced or new, rows", async () => {
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const send = async (csv: string) => {
      const upload = csvUpload("kt.csv", csv, { _csrf: csrf });
      return postMultipart(f.app(), "/lataa", upload, { cookie });
    };
    const first = await send(JYVASKYLA_2024Q2);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain("Tiedosto ladattiin");
    expect(first.body).toMatch(
      /2024 Q2<\/td><td>Jyväskylä \(179\)<\/td><td>uusi<\/td><td class="num">1<\/td>/,
    );
    const second = await send(JYVASKYLA_2024Q2.replace("179;2024Q2;100", "179;2024Q2;101"));
    expect(second.body).toMatch(/2024 Q2<\/td><td>Jyväskylä \(179\)<\/td><td>korvattiin<\/td>/);
  });

  it("a broken file shows the Finnish report with row, column, value and the fix, and the form again", async () => {
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const upload = csvUpload("rikki.csv", `${HEADER}\n179;2024Q2;100;10;20;5;2;1;2;2;4;1;1;1;kolme\n`, {
      _csrf: csrf,
    });
    const response = await postMultipart(f.app(), "/lataa", upload, { cookie });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain("Tiedosto hylättiin");
    expect(response.body).toMatch(
      /<td class="num">2<\/td><td class="num">2<\/td><td>ei_tietoa<\/td><td><code>kolme<\/code><\/td>/,
    );
    expect(response.body).toContain('type="file"');
  });

  it("file names and cell values are shown as text, never as markup (XSS)", async () => {
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const payload = '<img src=x onerror="alert(1)">';
    const upload = csvUpload(
      "<b onmouseover=alert('x')>kt.csv",
      `${HEADER}\n${payload};2024Q2;1;1;1;1;0;0;0;0;0;0;0;0;0\n`,
      {
        _csrf: csrf,
      },
    );
    const response = await postMultipart(f.app(), "/lataa", upload, { cookie });
    expect(response.body).not.toContain("<b onmouseover");
    expect(response.body).not.toContain("<img src=x");
    expect(response.body).toContain("&lt;b onmouseover=alert(&#39;x&#39;)&gt;kt.csv");
    expect(response.body).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});

describe("where uploaded bytes are kept", () => {
  const f = useAuthApp();

  it("a file name never becomes a path: archive and quarantine hold files named by content hash only", async () => {
    const upload = csvUpload("..\\..\\evil name.csv", `${HEADER}\n179;2024Q2;1;1;1;1;0;0;0;0;0;0;0;0;x\n`);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    const [file] = response.json().files;
    expect(file.status).toBe("rejected");
    const dir = f.env().dir;
    const names = ["archive", "quarantine"].flatMap((sub) => fs.readdirSync(path.join(dir, sub)));
    expect(names.some((n) => n.includes("evil"))).toBe(false);
    expect(names).toContain(`${file.sha256}.csv`);
    expect(
      names.filter((n) => n.startsWith(`${file.load_id}_${file.sha256.slice(0, 16)}.data`)),
    ).toHaveLength(3);
    expect(fs.readdirSync(path.dirname(dir)).some((n) => n.includes("evil"))).toBe(false);
  });
});

describe("when the recompute after an upload fails", () => {
  const failures: string[] = [];
  const publisher = new Publisher(
    async () => {
      throw new Error("recompute broke");
    },
    (error) => void failures.push(String(error)),
  );
  const f = useAuthApp({}, { publisher });

  it("the analyst still gets the report of the committed load, its figures still to be prepared", async () => {
    const upload = csvUpload("kt.csv", JYVASKYLA_2024Q2);
    const response = await postMultipart(f.app(), "/api/v1/uploads", upload, bearer(f.analyst()));
    await publisher.idle();
    expect(response.statusCode).toBe(200);
    expect(response.json().files[0].status).toBe("loaded");
    expect(response.json().publication).toEqual({ status: "preparing", release: null });
    expect(failures).toEqual(["Error: recompute broke"]);
    const rows = await f.env().db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM kuntouttava");
    expect(rows?.n).toBe(1);
  });
});
