import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { IPS_HEADER, ipsRow } from "../support/ips.ts";

// The IPS reviews are part of the numbered releases. Release 1: Kätevä (Jyväskylä 179) reviewed once,
// 83 points, and a small Jämsä unit (182) with 3 clients. Then Kätevä's second review, 91 points, is
// loaded: a recompute makes release 2 for it alone (no indicator figure changed), and release 1 still
// answers with the one review.

const header = IPS_HEADER;
const row = ipsRow;

const KUNTOUTTAVA =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa\n" +
  "179;2024Q1;300;40;80;10;10;10;10;10;10;10;5;3;2\n";

type IpsAnswer = { release: number | null; units: { unit: string; reviews: { total: number }[] }[] };
const totals = (body: IpsAnswer, unit: string) =>
  body.units.find((u) => u.unit === unit)?.reviews.map((r) => r.total);

let env: TestEnv;
let app: FastifyInstance;
let firstPinned: { body: string; cacheControl: unknown };
beforeAll(async () => {
  env = await makeTestEnv();
  expect((await env.ingest("kuntouttava.csv", KUNTOUTTAVA)).errors).toEqual([]);
  const first = [
    header,
    row("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-03-14", 83, 5, 100),
    row("KS-IPS-2", "Jämsän työhönvalmennus", "182", "2024-05-20", 110, 1, 3),
  ];
  expect((await env.ingest("ips.csv", `${first.join("\n")}\n`)).errors).toEqual([]);
  await recomputeAll(env.db, env.config);
  app = await buildApp({ db: env.db, config: env.config });
  const res = await app.inject("/api/v1/ips?release=1");
  firstPinned = { body: res.body, cacheControl: res.headers["cache-control"] };
  const second = [header, row("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-10-02", 91, 5, 100)];
  expect((await env.ingest("ips-2.csv", `${second.join("\n")}\n`)).errors).toEqual([]);
  // after a load the server recomputes only what it touched, as here
  await recomputeAll(env.db, env.config, { incremental: true });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await env?.close();
});

describe("IPS reviews in the numbered releases", () => {
  it("a load of reviews alone makes a release", async () => {
    const releases = (await app.inject("/api/v1/releases")).json() as { releases: { id: number }[] };
    expect(releases.releases.map((r) => r.id)).toEqual([2, 1]);
  });

  it("a pinned read gives the reviews as that release published them", async () => {
    const one = (await app.inject("/api/v1/ips?release=1")).json() as IpsAnswer;
    expect(one.release).toBe(1);
    expect(totals(one, "KS-IPS-1")).toEqual([83]);
    const two = (await app.inject("/api/v1/ips?release=2")).json() as IpsAnswer;
    expect(totals(two, "KS-IPS-1")).toEqual([83, 91]);
  });

  it("a later load does not change a pinned answer", async () => {
    const res = await app.inject("/api/v1/ips?release=1");
    expect(res.body).toBe(firstPinned.body);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(firstPinned.cacheControl).toBe("public, max-age=31536000, immutable");
  });

  it("an unpinned read gives the reviews as loaded", async () => {
    const now = (await app.inject("/api/v1/ips")).json() as IpsAnswer;
    expect(now.release).toBeNull();
    expect(totals(now, "KS-IPS-1")).toEqual([83, 91]);
  });

  it("an unknown release is a 404", async () => {
    const res = await app.inject("/api/v1/ips?release=9");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: "unknown_release" });
  });

  it("the pinned pages show the release's reviews under its banner and keep the release in their links", async () => {
    const list = await app.inject("/ips?julkaisu=1");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("Näytät julkaisun 1 lukuja");
    expect(list.body).not.toContain("+8");
    expect(list.body).toContain('href="/ips/KS-IPS-1?julkaisu=1"');
    const unit = await app.inject("/en/ips/KS-IPS-1?julkaisu=1");
    expect(unit.body).not.toContain("2.10.2024");
    expect((await app.inject("/ips/KS-IPS-1")).body).toContain("kohtalainen → kohtalainen, +8");
  });

  it("a release keeps a small client count only as hidden", async () => {
    const kept = await env.db.all<{ asiakkaat: number | null; asiakkaat_hidden: boolean }>(
      `SELECT DISTINCT asiakkaat, asiakkaat_hidden FROM release_ips WHERE yksikko = 'KS-IPS-2'`,
    );
    expect(kept).toEqual([{ asiakkaat: null, asiakkaat_hidden: true }]);
  });
});
