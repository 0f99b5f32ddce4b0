import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A folder shared by the test files of one run: the demo database is built into it once. */
    browserCacheDir: string;
  }
}

/**
 * Global setup of every test run: only a temp folder for the browser tests' demo database (cheap).
 * The database itself is built lazily by the first browser test file that needs it (see harness.ts),
 * so a run without browser tests pays nothing.
 */
export default function setup(project: TestProject): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-browser-cache-"));
  project.provide("browserCacheDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
