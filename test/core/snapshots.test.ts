import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  pruneSnapshots,
  readSnapshotManifest,
  SnapshotFollower,
  type SnapshotManifest,
  snapshotFiles,
  writeSnapshotManifest,
} from "../../core/snapshots.ts";

const manifestOf = (release: number): SnapshotManifest => ({
  format: "seuranta-snapshot/1",
  release,
  ...snapshotFiles(release),
  schema_version: 3,
  created_at: "2026-12-06T10:00:00.000Z",
  write_ms: 1,
  hold_ms: 1,
});

describe("the releases folder", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-snapshots-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const touch = (release: number) => {
    for (const name of Object.values(snapshotFiles(release))) fs.writeFileSync(path.join(dir, name), "x");
  };

  it("has no manifest until one is written, and a damaged one counts as none", () => {
    expect(readSnapshotManifest(dir)).toBeNull();
    writeSnapshotManifest(dir, manifestOf(4));
    expect(readSnapshotManifest(dir)?.release).toBe(4);
    fs.writeFileSync(path.join(dir, "latest.json"), '{"format":"other"}');
    expect(readSnapshotManifest(dir)).toBeNull();
  });

  it("keeps the three newest snapshots and removes the older ones", () => {
    for (const release of [1, 2, 3, 4, 5]) touch(release);
    writeSnapshotManifest(dir, manifestOf(5));

    pruneSnapshots(dir);

    expect(fs.readdirSync(dir).sort()).toEqual([
      "latest.json",
      "release-3.duckdb",
      "release-3.parquet",
      "release-4.duckdb",
      "release-4.parquet",
      "release-5.duckdb",
      "release-5.parquet",
    ]);
  });

  it("a follower reports a release it cannot switch to once and takes the next one", async () => {
    const switched: number[] = [];
    const failed: number[] = [];
    const follower = new SnapshotFollower(dir, 1, {
      onNewer: async (m) => {
        if (m.release === 2) throw new Error("schema differs");
        switched.push(m.release);
      },
      onError: (_error, m) => failed.push(m.release),
    });

    writeSnapshotManifest(dir, manifestOf(2));
    await follower.check();
    await follower.check();
    writeSnapshotManifest(dir, manifestOf(3));
    await follower.check();

    expect(failed).toEqual([2]);
    expect(switched).toEqual([3]);
    expect(follower.release).toBe(3);
  });
});
