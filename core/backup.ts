import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Config, dataFolders } from "./config.ts";
import type { Database, Queryable } from "./db.ts";
import { schemaVersion } from "./schema.ts";

/**
 * Backups: the database consistent to a transaction, the raw-file archive and the quarantine reports,
 * and a manifest with every file's SHA-256. Restore checks the manifest before it writes anything and
 * refuses to overwrite data unless forced.
 */

export const MANIFEST = "manifest.json";
const DB_FILE = "seuranta.duckdb";

export interface Manifest {
  format: "seuranta-backup/1";
  created_at: string;
  schema_version: number;
  /** What the data is: see dataFingerprint. */
  fingerprint: string;
  files: { path: string; bytes: number; sha256: string }[];
}

/** Thrown when a backup cannot be restored: a missing or changed file, or data in the way. */
export class BackupError extends Error {
  constructor(
    message: string,
    /** Finnish, for the operator. */
    readonly fi: string,
  ) {
    super(message);
    this.name = "BackupError";
  }
}

/**
 * A fingerprint of the data: every load (id, bytes, status), the latest release and its number of
 * figures. Equal fingerprints: the same loads and the same published release.
 */
export async function dataFingerprint(db: Queryable): Promise<string> {
  const loads = await db.all(`SELECT load_id, sha256, status FROM loads ORDER BY load_id`);
  const release = await db.all(`SELECT release_id, figures, changed FROM releases ORDER BY release_id`);
  const text = JSON.stringify({ loads, release }, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
  return createHash("sha256").update(text).digest("hex");
}

function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Writes a backup of the open database and the data folders into `outDir` (created; must be empty).
 * The database is copied inside the database's exclusive section after a CHECKPOINT, so no load or
 * recompute is half in it; the archive is copied after it, so every load the copy holds has its bytes.
 */
export async function backup(db: Database, config: Config, outDir: string): Promise<Manifest> {
  fs.mkdirSync(outDir, { recursive: true });
  if (fs.readdirSync(outDir).length > 0)
    throw new BackupError(
      `The backup folder ${outDir} is not empty`,
      `Varmuuskopiokansio ${outDir} ei ole tyhjä.`,
    );
  const { fingerprint, version } = await db.exclusive(async () => {
    await db.run("CHECKPOINT");
    fs.copyFileSync(db.path, path.join(outDir, DB_FILE));
    return { fingerprint: await dataFingerprint(db), version: await schemaVersion(db) };
  });
  const folders = dataFolders(config);
  for (const name of ["archive", "quarantine"] as const)
    for (const file of filesUnder(folders[name])) {
      const target = path.join(outDir, name, path.relative(folders[name], file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
    }
  const manifest: Manifest = {
    format: "seuranta-backup/1",
    created_at: new Date().toISOString(),
    schema_version: version,
    fingerprint,
    files: filesUnder(outDir).map((file) => ({
      path: path.relative(outDir, file).split(path.sep).join("/"),
      bytes: fs.statSync(file).size,
      sha256: sha256File(file),
    })),
  };
  fs.writeFileSync(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads a backup's manifest and checks every file it names (size and SHA-256); throws BackupError. */
export function verifyBackup(fromDir: string): Manifest {
  const file = path.join(fromDir, MANIFEST);
  if (!fs.existsSync(file))
    throw new BackupError(
      `No ${MANIFEST} in ${fromDir}`,
      `Kansiossa ${fromDir} ei ole tiedostoa ${MANIFEST}.`,
    );
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  if (manifest.format !== "seuranta-backup/1")
    throw new BackupError(
      `${file} is not a Seuranta backup manifest`,
      `${file} ei ole Seurannan varmuuskopion luettelo.`,
    );
  for (const f of manifest.files) {
    const full = path.join(fromDir, ...f.path.split("/"));
    if (!fs.existsSync(full) || fs.statSync(full).size !== f.bytes || sha256File(full) !== f.sha256)
      throw new BackupError(
        `The backup file ${f.path} is missing or changed (its size or SHA-256 differs from the manifest)`,
        `Varmuuskopion tiedosto ${f.path} puuttuu tai on muuttunut (koko tai SHA-256 ei täsmää luetteloon).`,
      );
  }
  if (!manifest.files.some((f) => f.path === DB_FILE))
    throw new BackupError(`The backup has no ${DB_FILE}`, `Varmuuskopiossa ei ole tietokantaa ${DB_FILE}.`);
  return manifest;
}

/**
 * Restores a verified backup into the configured database path and data folder. Refuses (BackupError)
 * when a database or data files are there already, unless `force`. The server must not be running.
 */
export function restore(fromDir: string, config: Config, options: { force?: boolean } = {}): Manifest {
  const manifest = verifyBackup(fromDir);
  const folders = dataFolders(config);
  const present = [config.dbPath, ...filesUnder(folders.archive), ...filesUnder(folders.quarantine)].filter(
    (f) => fs.existsSync(f),
  );
  if (present.length > 0 && !options.force)
    throw new BackupError(
      `There is data already (${present[0]}${present.length > 1 ? ` and ${present.length - 1} more` : ""}): give --force to replace it`,
      `Kohteessa on jo tietoja (${present[0]}${present.length > 1 ? ` ja ${present.length - 1} muuta` : ""}): anna --force, jos ne korvataan.`,
    );
  fs.rmSync(`${config.dbPath}.wal`, { force: true });
  for (const name of ["archive", "quarantine"] as const)
    fs.rmSync(folders[name], { recursive: true, force: true });
  fs.mkdirSync(path.dirname(config.dbPath), { recursive: true });
  for (const f of manifest.files) {
    if (f.path === MANIFEST) continue;
    const source = path.join(fromDir, ...f.path.split("/"));
    const target = f.path === DB_FILE ? config.dbPath : path.join(config.dataDir, ...f.path.split("/"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
  }
  return manifest;
}
