#!/usr/bin/env node
// `npm run build`, also run by `npm ci` and `npm install` (the prepare script): compiles the TypeScript
// sources to JavaScript in dist/ (tsconfig.build.json; no type check here, `npm run typecheck` does
// that), with every other file of those folders copied beside it, so that `seuranta` starts without
// transpiling. dist/build.json records when the build began
// and from which folders: bin/seuranta.js runs the sources instead while any of them changed since.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const next = path.join(root, "dist.next");
const started = Date.now();
const { include } = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8"));

fs.rmSync(next, { recursive: true, force: true });
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", next], {
  cwd: root,
  stdio: "inherit",
});
if (result.status !== 0) {
  fs.rmSync(next, { recursive: true, force: true });
  console.error(`seuranta build: tsc failed (${result.status ?? result.signal})`);
  process.exit(1);
}
// files beside the sources that the code reads by its own folder (indicators/annotations.json, …) go
// along, so that dist/ finds them where the sources do
const copyAssets = (dir) => {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(file);
    else if (!entry.name.endsWith(".ts")) fs.cpSync(path.join(root, file), path.join(next, file));
  }
};
for (const dir of include) copyAssets(dir);
fs.writeFileSync(path.join(next, "build.json"), `${JSON.stringify({ started, sources: include })}\n`);
// whole builds only: a deleted source leaves no module behind (routes and catalogue are read by folder)
fs.rmSync(dist, { recursive: true, force: true });
fs.renameSync(next, dist);
