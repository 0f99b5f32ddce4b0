import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A folder shared by the test files of one run: prepared databases are built into it once (shared.ts). */
    testCacheDir: string;
  }
}

/**
 * Global setup of every test run: only a temp folder for the databases the test files share (cheap).
 * Each is built lazily by the first test file that needs it (see shared.ts), so a run that needs none
 * pays nothing.
 */
export default function setup(project: TestProject): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-test-cache-"));
  project.provide("testCacheDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
