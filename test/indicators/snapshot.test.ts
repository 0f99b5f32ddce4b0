import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../core/audit.ts";
import { Database } from "../../core/db.ts";
import { readSnapshotManifest, SnapshotFollower } from "../../core/snapshots.ts";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { publishLatestSnapshot } from "../../indicators/release/snapshot.ts";
import { KT_KESKI_UUSIMAA } from "../dashboard/fixture.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];
const URLS = ["/api/v1/values?indicator=kt-tyohon", "/api/v1/releases", "/indikaattori/kt-tyohon"];

describe("release snapshots for read replicas", () => {
  let env: TestEnv;
  let dir: string;
  let replica: Database;
  let replicaApp: FastifyInstance;
  let writerApp: FastifyInstance;

  beforeAll(async () => {
    env = await makeTestEnv();
    dir = path.join(env.dir, "julkaisut");
    expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
    await recomputeAll(env.db, env.config);
    await env.db.withTransaction((tx) => recordAudit(tx, { action: "signin", actor: "Anna", detail: {} }));
    await publishLatestSnapshot(env.db, dir);
    replica = await Database.openReadOnly(path.join(dir, "release-1.duckdb"));
    replicaApp = await buildApp({
      db: replica,
      config: env.config,
      replica: { writerUrl: "https://kirjoittaja.example.fi" },
    });
    writerApp = await buildApp({ db: env.db, config: env.config });
  }, 180_000);
  afterAll(async () => {
    await replicaApp.close();
    await writerApp.close();
    await replica.close();
    await env.close();
  });

  it("names the release's database and Parquet files in the manifest, written whole", () => {
    const manifest = readSnapshotManifest(dir);

    expect(manifest).toMatchObject({
      release: 1,
      database: "release-1.duckdb",
      parquet: "release-1.parquet",
    });
    // nothing left under a temporary name
    expect(fs.readdirSync(dir).sort()).toEqual(["latest.json", "release-1.duckdb", "release-1.parquet"]);
  });

  it("answers pages and the API from the snapshot exactly as the writer does", async () => {
    for (const url of URLS) {
      const [fromWriter, fromReplica] = await Promise.all([
        writerApp.inject({ url }),
        replicaApp.inject({ url }),
      ]);
      expect(fromReplica.statusCode, url).toBe(200);
      expect(fromReplica.body, url).toBe(fromWriter.body);
    }
  });

  it("holds the release's published figures in the Parquet file, hidden values without their numbers", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const file = path.join(dir, "release-1.parquet");
      const rows = (
        await connection.runAndReadAll(
          `SELECT count(*)::INTEGER AS n, count(*) FILTER (status = 'suppressed' AND value IS NOT NULL)::INTEGER AS leaked,
                  min(release_id) AS release FROM read_parquet('${file}')`,
        )
      ).getRowObjectsJS()[0];
      const published = await env.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM release_latest`);
      expect(rows).toEqual({ n: published?.n, leaked: 0, release: 1 });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("leaves out who signed in and the audit log", async () => {
    const counts = await replica.one<{ sessions: number; audit: number }>(
      `SELECT (SELECT count(*) FROM sessions)::INTEGER AS sessions, (SELECT count(*) FROM audit_log)::INTEGER AS audit`,
    );
    expect(counts).toEqual({ sessions: 0, audit: 0 });
  });

  it("refuses uploads, sign-ins and tokens with an answer naming the writer", async () => {
    const upload = await replicaApp.inject({ method: "POST", url: "/api/v1/uploads" });
    const signIn = await replicaApp.inject({ url: "/en/kirjaudu" });
    const withToken = await replicaApp.inject({
      url: "/api/v1/values?indicator=kt-tyohon",
      headers: { authorization: "Bearer seu_x_y" },
    });

    expect(upload.statusCode).toBe(403);
    expect(upload.json()).toMatchObject({
      error: "read_only_replica",
      writer: "https://kirjoittaja.example.fi",
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.body).toContain('href="https://kirjoittaja.example.fi"');
    expect(signIn.body).toContain("Read-only replica");
    expect(withToken.statusCode).toBe(403);
  });

  it("moves to the next release when the writer publishes it, and its answers with it", async () => {
    const before = (await replicaApp.inject({ url: URLS[0] })).body;
    expect(
      (await env.ingest("korjaus.csv", `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`)).errors,
    ).toEqual([]);
    await recomputeAll(env.db, env.config);
    const follower = new SnapshotFollower(dir, 1, {
      onNewer: (m) => replica.switchTo(path.join(dir, m.database)),
      onError: (error) => {
        throw error;
      },
    });

    await publishLatestSnapshot(env.db, dir);
    await follower.check();

    expect(follower.release).toBe(2);
    expect(replica.path).toBe(path.join(dir, "release-2.duckdb"));
    const after = await replicaApp.inject({ url: URLS[0] });
    expect(after.body).not.toBe(before);
    expect(after.body).toBe((await writerApp.inject({ url: URLS[0] })).body);
  });

  it("a request reads every query from the snapshot it began with, even when the replica switches between two of them", async () => {
    // the replica serves release 2 (the test before); release 1's snapshot is still in the folder
    // no response cache: every request below is rendered
    const app = await buildApp({
      db: replica,
      config: env.config,
      replica: { writerUrl: "https://w.example" },
      cacheBytes: 0,
    });
    const latestRelease = async () =>
      (await (await replica.reader()).one<{ id: number }>("SELECT max(release_id) AS id FROM releases"))?.id;
    app.get("/testi/kaksi-lukua", { config: { cache: false } }, async () => {
      const first = await latestRelease();
      await replica.switchTo(path.join(dir, "release-1.duckdb"));
      const second = await latestRelease();
      return { first, second };
    });
    let switchBeforeReads: string | null = null;
    app.addHook("preHandler", async () => {
      if (switchBeforeReads === null) return;
      const next = switchBeforeReads;
      switchBeforeReads = null;
      await replica.switchTo(next);
    });
    try {
      expect((await app.inject({ url: "/testi/kaksi-lukua" })).json()).toEqual({ first: 2, second: 2 });
      // the switch itself took effect: the next request reads release 1
      expect(replica.path).toBe(path.join(dir, "release-1.duckdb"));
      const one = await app.inject({ url: URLS[0] });
      expect((one.json() as { meta: { release: number } }).meta.release).toBe(1);

      // a real page: the replica switches to release 2 after the request began, before its reads
      const atOne = await app.inject({ url: `${URLS[0]}&level=kunta` });
      switchBeforeReads = path.join(dir, "release-2.duckdb");
      const during = await app.inject({ url: `${URLS[0]}&level=kunta` });
      expect(replica.path).toBe(path.join(dir, "release-2.duckdb"));
      const after = await app.inject({ url: `${URLS[0]}&level=kunta` });
      expect((during.json() as { meta: { release: number } }).meta.release).toBe(1);
      expect((after.json() as { meta: { release: number } }).meta.release).toBe(2);
      expect(during.body).not.toBe(after.body);
      // every figure of the page is release 1's, as the replica answered before the switch
      expect(during.body).toBe(atOne.body);
    } finally {
      await app.close();
    }
  });

  it("writes nothing when the latest release is already in the folder", async () => {
    expect(await publishLatestSnapshot(env.db, dir)).toBeNull();
  });
});
