#!/usr/bin/env node
// The package's command. Runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs by
// itself) when it is current; otherwise, or with SEURANTA_FROM_SOURCE=1, the TypeScript sources through
// the tsx loader (slower to start: every module is transpiled first).
import fs from "node:fs";
import module from "node:module";
import path from "node:path";

// Node 22 and later keep the compiled code of every module in a cache folder, so that later starts skip
// most of the parsing (Node 20 has no such cache: there this does nothing)
module.enableCompileCache?.();

const root = path.resolve(import.meta.dirname, "..");

/** True when dist/ was built after the last change to any source file or folder (added, edited, removed). */
function compiledIsCurrent() {
  let build;
  try {
    build = JSON.parse(fs.readFileSync(path.join(root, "dist", "build.json"), "utf8"));
  } catch {
    return false;
  }
  const changedSince = (dir) => {
    if (fs.statSync(dir).mtimeMs > build.started) return true;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() ? changedSince(file) : fs.statSync(file).mtimeMs > build.started) return true;
    }
    return false;
  };
  return !build.sources.some((dir) => changedSince(path.join(root, dir)));
}

let cli;
if (process.env.SEURANTA_FROM_SOURCE !== "1" && compiledIsCurrent()) {
  cli = await import("../dist/cli/main.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../cli/main.ts");
}
process.exitCode = await cli.main(process.argv.slice(2));
