import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The releases folder shared by the writer and the replicas: one read-only DuckDB snapshot per release
 * (`release-<n>.duckdb`) with the published figures as Parquet beside it (`release-<n>.parquet`), and
 * the manifest `latest.json` naming the newest. Every file is written under a temporary name and
 * renamed into place, the manifest last, so a reader that finds the manifest finds whole files.
 */

export const SNAPSHOT_MANIFEST = "latest.json";
/** Snapshots kept besides the newest: a replica still finishing a query on one may have it open. */
export const SNAPSHOTS_KEPT = 3;

export const snapshotManifestSchema = z.object({
  format: z.literal("seuranta-snapshot/1"),
  /** The release the snapshot holds (its number in `releases`). */
  release: z.number().int().positive(),
  /** File names inside the releases folder. */
  database: z.string().regex(/^release-\d+\.duckdb$/),
  parquet: z.string().regex(/^release-\d+\.parquet$/),
  schema_version: z.number().int(),
  created_at: z.string(),
  /** Milliseconds the writer took to write the snapshot (the database copy, the Parquet, the renames). */
  write_ms: z.number(),
  /** Of those, the milliseconds the database was held (no load could run): its checkpoint and file copy. */
  hold_ms: z.number(),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

/** The file names of release `id`'s snapshot. */
export function snapshotFiles(id: number): { database: string; parquet: string } {
  return { database: `release-${id}.duckdb`, parquet: `release-${id}.parquet` };
}

/** The manifest of the releases folder, or null when there is none yet (or it cannot be read). */
export function readSnapshotManifest(dir: string): SnapshotManifest | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, SNAPSHOT_MANIFEST), "utf8");
  } catch {
    return null;
  }
  const parsed = snapshotManifestSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Flushes a file (or folder) to the disk, so that a rename after it never exposes an empty file. */
export function fsyncPath(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A temporary name in the same folder (a rename within a folder is atomic); dot-first, so never listed. */
export function temporaryName(dir: string, name: string): string {
  return path.join(dir, `.${name}.${process.pid}.tmp`);
}

/** Moves a written temporary file into place, flushed first, and flushes the folder's entry. */
export function renameIntoPlace(temporary: string, file: string): void {
  fsyncPath(temporary);
  fs.renameSync(temporary, file);
  fsyncPath(path.dirname(file));
}

/** Writes the manifest atomically: readers see the old one or the new one, never a part. */
export function writeSnapshotManifest(dir: string, manifest: SnapshotManifest): void {
  const temporary = temporaryName(dir, SNAPSHOT_MANIFEST);
  fs.writeFileSync(temporary, `${JSON.stringify(snapshotManifestSchema.parse(manifest), null, 2)}\n`);
  renameIntoPlace(temporary, path.join(dir, SNAPSHOT_MANIFEST));
}

/** Removes all but the newest `keep` snapshots (never the one the manifest names). */
export function pruneSnapshots(dir: string, keep: number = SNAPSHOTS_KEPT): void {
  const current = readSnapshotManifest(dir)?.release;
  const ids = [
    ...new Set(
      fs
        .readdirSync(dir)
        .map((name) => /^release-(\d+)\.(?:duckdb|parquet)$/.exec(name)?.[1])
        .filter((id): id is string => id !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => b - a);
  for (const id of ids.slice(keep)) {
    if (id === current) continue;
    for (const name of Object.values(snapshotFiles(id))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Watches the releases folder and calls `onNewer` with each manifest that names a newer release than
 * the last one handed over. The folder's change events make it quick; a poll every `pollMs` catches
 * what they miss (network file systems send none). Calls never overlap. A release that cannot be
 * switched to is reported once and skipped; the next release is tried.
 */
export class SnapshotFollower {
  private watcher: fs.FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private again = false;
  private failed: number | null = null;

  constructor(
    private readonly dir: string,
    private current: number,
    private readonly handlers: {
      /** Switches to the manifest's snapshot; a throw leaves the release where it was (tried again later). */
      onNewer: (manifest: SnapshotManifest) => Promise<void>;
      onError: (error: unknown, manifest: SnapshotManifest) => void;
    },
    private readonly pollMs = 1000,
  ) {}

  /** The release last handed over. */
  get release(): number {
    return this.current;
  }

  start(): void {
    try {
      this.watcher = fs.watch(this.dir, () => this.check());
      this.watcher.on("error", () => undefined);
    } catch {
      // the poll alone then
    }
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
  }

  /** Looks at the manifest now (again after the running look, if one runs). */
  check(): Promise<void> {
    if (this.again) return this.checking;
    this.again = true;
    this.checking = this.checking.then(async () => {
      this.again = false;
      const manifest = readSnapshotManifest(this.dir);
      if (!manifest || manifest.release <= this.current || manifest.release === this.failed) return;
      try {
        await this.handlers.onNewer(manifest);
        this.current = manifest.release;
      } catch (error) {
        // said once per release, not at every poll
        this.failed = manifest.release;
        this.handlers.onError(error, manifest);
      }
    });
    return this.checking;
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.checking.catch(() => undefined);
  }
}
