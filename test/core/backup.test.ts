import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupError, backup, dataFingerprint, MANIFEST, restore, verifyBackup } from "../../core/backup.ts";
import { BackupScheduler } from "../../core/backup-schedule.ts";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { memoryLogger } from "../../core/log.ts";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { preparePipelines } from "../../pipelines/tables.ts";
import { KT_KESKI_UUSIMAA } from "../dashboard/fixture.ts";
import { runCli } from "../support/cli.ts";
import { makeTestEnv, TEST_TODAY, type TestEnv } from "../support/env.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];
const URLS = [
  "/api/v1/values?indicator=kt-tyohon",
  "/api/v1/values?indicator=kt-jatkaa&release=1",
  "/api/v1/releases",
  "/api/v1/releases/2/changes",
  "/api/v1/indicators",
];

describe("backup and restore", () => {
  let env: TestEnv;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-backup-"));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    env = await makeTestEnv();
    expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
    await recomputeAll(env.db, env.config);
    expect(
      (await env.ingest("korjaus.csv", `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`)).errors,
    ).toEqual([]);
    await recomputeAll(env.db, env.config);
    // a rejected file leaves a quarantine report
    expect((await env.ingest("rikki.csv", `${HEADER}\n106;2024Q1;x\n`)).status).toBe("rejected");
  }, 180_000);
  afterAll(async () => {
    await env.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a backup taken while a file loads restores elsewhere to the same API answers and data fingerprint", async () => {
    const out = path.join(tempDir(), "varmuuskopio");
    // the upload and the backup race: the backup holds the load whole or not at all
    const [manifest] = await Promise.all([
      backup(env.db, env.config, out),
      env.ingest("uusi.csv", `${HEADER}\n186;2024Q2;800;20;40;8;4;4;4;5;10;2;1;1;1\n`),
    ]);
    expect(manifest.files.map((f) => f.path)).toContain("seuranta.duckdb");
    expect(manifest.files.some((f) => f.path.startsWith("archive/"))).toBe(true);
    expect(manifest.files.some((f) => f.path.startsWith("quarantine/"))).toBe(true);
    expect(verifyBackup(out).fingerprint).toBe(manifest.fingerprint);

    // restore into an empty folder on another path and serve it
    const target = tempDir();
    const config = loadConfig({ SEURANTA_DATA_DIR: path.join(target, "data"), SEURANTA_TODAY: TEST_TODAY });
    restore(out, config);
    const restored = await Database.open(config.dbPath);
    try {
      await preparePipelines(restored, config.referenceDir);
      expect(await dataFingerprint(restored)).toBe(manifest.fingerprint);
      // every load in the copy has its raw bytes in the restored archive
      const loads = await restored.all<{ sha256: string }>(
        `SELECT sha256 FROM loads WHERE status = 'loaded'`,
      );
      const archived = fs.readdirSync(path.join(config.dataDir, "archive"), { recursive: true }).map(String);
      for (const l of loads) expect(archived.some((f) => f.includes(l.sha256))).toBe(true);
      // the same figures: the original had its extra load (not recomputed), so compare the values
      const app = await buildApp({ db: env.db, config: env.config });
      const copy = await buildApp({ db: restored, config });
      try {
        for (const url of URLS) {
          const a = (await app.inject(url)).json() as {
            values?: unknown;
            releases?: unknown;
            moved?: unknown;
          };
          const b = (await copy.inject(url)).json() as typeof a;
          expect(b.values ?? b.releases ?? b.moved, url).toEqual(a.values ?? a.releases ?? a.moved);
        }
      } finally {
        await app.close();
        await copy.close();
      }
    } finally {
      await restored.close();
    }
  });

  it("restore checks the manifest and does not overwrite data without force", async () => {
    const out = path.join(tempDir(), "b");
    await backup(env.db, env.config, out);
    const target = tempDir();
    const config = loadConfig({ SEURANTA_DATA_DIR: target, SEURANTA_TODAY: TEST_TODAY });
    restore(out, config);
    expect(() => restore(out, config)).toThrow(BackupError);
    expect(() => restore(out, config, { force: true })).not.toThrow();
    // a changed byte in the backup is found before anything is written
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as {
      files: { path: string }[];
    };
    const archived = manifest.files.find((f) => f.path.startsWith("archive/"))?.path ?? "";
    fs.appendFileSync(path.join(out, archived), "x");
    expect(() => verifyBackup(out)).toThrow(/missing or changed/);
    expect(() => restore(out, config, { force: true })).toThrow(BackupError);
    await expect(backup(env.db, env.config, out)).rejects.toThrow(BackupError);
  });

  it("seuranta backup and restore on the command line", async () => {
    const source = tempDir();
    const db = await Database.open(path.join(source, "seuranta.duckdb"));
    await db.close();
    const out = path.join(tempDir(), "cli");
    const made = runCli(["backup", "--out", out], { SEURANTA_DATA_DIR: source, SEURANTA_TODAY: TEST_TODAY });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain("Varmuuskopio");
    const target = tempDir();
    const env2 = { SEURANTA_DATA_DIR: target, SEURANTA_TODAY: TEST_TODAY };
    const restored = runCli(["restore", "--from", out], env2);
    expect(restored.status, restored.stderr).toBe(0);
    const again = runCli(["restore", "--from", out], env2);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("anna --force");
    expect(runCli(["restore", "--from", out, "--force"], env2).status).toBe(0);
  }, 180_000);
});

describe("scheduled backups", () => {
  it("write a verified backup per run and keep only the newest SEURANTA_BACKUP_KEEP", async () => {
    const env = await makeTestEnv({ SEURANTA_BACKUP_KEEP: "2" });
    try {
      expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).errors).toEqual([]);
      const scheduler = new BackupScheduler(
        { db: env.db, config: env.config, log: memoryLogger() },
        "0 3 * * *",
      );
      const made: string[] = [];
      for (const hour of [1, 2, 3]) {
        const dir = await scheduler.run(new Date(Date.UTC(2025, 10, 25, hour)));
        expect(dir).not.toBeNull();
        made.push(path.basename(dir ?? ""));
      }
      expect(fs.readdirSync(env.config.backupDir).sort()).toEqual(made.slice(1));
      for (const name of made.slice(1)) verifyBackup(path.join(env.config.backupDir, name));
      expect(
        () => new BackupScheduler({ db: env.db, config: env.config, log: memoryLogger() }, "joka yö"),
      ).toThrow(/SEURANTA_BACKUP_CRON/);
    } finally {
      await env.close();
    }
  });
});
