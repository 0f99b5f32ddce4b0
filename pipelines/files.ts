import fs from "node:fs";
import path from "node:path";

const DATA_EXTENSIONS = new Set([".csv", ".txt", ".tsv", ".tab"]);

/**
 * Files that are still being written (temporary names of browsers, WinSCP, Office, editors and dot-files)
 * or are our own by-products, never taken from a folder.
 */
function isSkippable(name: string): boolean {
  return (
    name.startsWith(".") ||
    name.startsWith("~$") ||
    /\.(tmp|part|filepart|partial|crdownload)$/i.test(name) ||
    name.includes(".report.")
  );
}

/**
 * Expands command-line paths to the files to take: a named file is taken as it is, a folder gives
 * its CSV-like files (recursively), in name order.
 */
export function collectFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (isSkippable(entry.name)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && DATA_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
        files.push(full);
    }
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) missing.push(p);
    else if (fs.statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

/** A file's size and modification time as a scan saw them, and since when they have stayed so. */
interface Sighting {
  size: number;
  mtimeMs: number;
  since: number;
}

/** What one look at the inbox found: files complete enough to take (oldest first), and files still changing. */
export interface InboxScan {
  settled: string[];
  waiting: string[];
}

/**
 * Decides when a file in the inbox is complete: when nothing has written to it for `settleMs`. A file
 * first seen while fresh is taken once its size and modification time have stayed the same for
 * `settleMs` by this process's clock, across looks; the age of its modification time alone is not
 * trusted, since a copy that keeps the original's time, or a share with another clock, makes a file
 * being written look old. A file whose modification time is already older than `settleMs` when first
 * seen was renamed into place or waited from before the server started, and is taken at once. Names
 * that programs use while writing (`.part`, `~$…`, `.tmp`, dot-files) are never taken. A writer that
 * pauses for longer than `settleMs` looks finished: hence the temporary names, and the setting.
 */
export class InboxWatch {
  private readonly seen = new Map<string, Sighting>();

  constructor(readonly settleMs: number) {}

  /** Looks at the inbox now: remembers what changed and returns what is complete and what still waits. */
  scan(inbox: string, now = Date.now()): InboxScan {
    if (!fs.existsSync(inbox)) {
      this.seen.clear();
      return { settled: [], waiting: [] };
    }
    const present = new Set<string>();
    const settled: { full: string; mtimeMs: number }[] = [];
    const waiting: string[] = [];
    for (const entry of fs.readdirSync(inbox, { withFileTypes: true })) {
      if (!entry.isFile() || isSkippable(entry.name)) continue;
      const full = path.join(inbox, entry.name);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(full);
      } catch {
        continue; // gone (renamed or removed) between the listing and the stat
      }
      present.add(full);
      const before = this.seen.get(full);
      const same = before !== undefined && before.size === stat.size && before.mtimeMs === stat.mtimeMs;
      const since = same ? before.since : now;
      if (!same) this.seen.set(full, { size: stat.size, mtimeMs: stat.mtimeMs, since });
      const renamedIntoPlace = before === undefined && now - stat.mtimeMs >= this.settleMs;
      if (renamedIntoPlace || now - since >= this.settleMs) settled.push({ full, mtimeMs: stat.mtimeMs });
      else waiting.push(full);
    }
    for (const full of this.seen.keys()) if (!present.has(full)) this.seen.delete(full);
    return {
      settled: settled
        .sort((a, b) => a.mtimeMs - b.mtimeMs || a.full.localeCompare(b.full))
        .map((f) => f.full),
      waiting: waiting.sort(),
    };
  }
}
