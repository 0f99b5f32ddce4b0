#!/usr/bin/env node
// `npm run build`, also run by `npm ci` and `npm install` (the prepare script): compiles the TypeScript
// sources to JavaScript in dist/ (tsconfig.build.json; no type check here, `npm run typecheck` does
// that), so that `seuranta` starts without transpiling. dist/build.json records when the build began
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
// files the sources read beside themselves (indicators/annotations.json) go with the compiled code
for (const folder of include)
  for (const entry of fs.readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith(".ts")) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(next, path.relative(root, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
fs.writeFileSync(path.join(next, "build.json"), `${JSON.stringify({ started, sources: include })}\n`);
// whole builds only: a deleted source leaves no module behind (routes and catalogue are read by folder)
fs.rmSync(dist, { recursive: true, force: true });
fs.renameSync(next, dist);
