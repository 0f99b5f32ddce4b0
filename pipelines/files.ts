import fs from "node:fs";
import path from "node:path";

const DATA_EXTENSIONS = new Set([".csv", ".txt", ".tsv", ".tab"]);

/** Files that are still being written or are our own by-products, never taken from a folder. */
function isSkippable(name: string): boolean {
  return (
    name.startsWith(".") ||
    name.startsWith("~$") ||
    /\.(tmp|part|crdownload)$/i.test(name) ||
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

/** Files waiting in the inbox, oldest first; files changed within `settleMs` may still be copying. */
export function inboxFiles(inbox: string, settleMs: number, now = Date.now()): string[] {
  if (!fs.existsSync(inbox)) return [];
  return fs
    .readdirSync(inbox, { withFileTypes: true })
    .filter((e) => e.isFile() && !isSkippable(e.name))
    .map((e) => {
      const full = path.join(inbox, e.name);
      return { full, mtime: fs.statSync(full).mtimeMs };
    })
    .filter((f) => now - f.mtime >= settleMs)
    .sort((a, b) => a.mtime - b.mtime || a.full.localeCompare(b.full))
    .map((f) => f.full);
}
