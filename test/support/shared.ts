import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run's shared folder (global-setup.ts), or undefined when the run has no global setup. */
function cacheDir(): string | undefined {
  try {
    return inject("testCacheDir");
  } catch {
    return undefined;
  }
}

/**
 * A folder built once per test run by `build`: the first test file to ask builds it (a lock folder keeps
 * the other test processes waiting for it), the others get the same folder. Copy what is in it; never
 * change it. Without the global setup, every caller builds a private one.
 */
export async function buildOnce(name: string, build: (dir: string) => Promise<unknown>): Promise<string> {
  const shared = cacheDir();
  if (!shared) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seuranta-${name}-`));
    await build(dir);
    return dir;
  }
  const ready = path.join(shared, name);
  const failed = path.join(shared, `${name}.failed.txt`);
  const lock = path.join(shared, `${name}.lock`);
  let mine = false;
  try {
    fs.mkdirSync(lock);
    mine = true;
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      const building = path.join(shared, `${name}.build`);
      await build(building);
      fs.renameSync(building, ready);
    } catch (error) {
      fs.writeFileSync(failed, String((error as Error).stack ?? error));
      throw error;
    }
    return ready;
  }
  const deadline = Date.now() + 120_000;
  while (!fs.existsSync(ready)) {
    if (fs.existsSync(failed))
      throw new Error(`building ${name} failed in another test file:\n${fs.readFileSync(failed, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name}`);
    await sleep(50);
  }
  return ready;
}

/** A name for buildOnce made of what determines the build (file contents, settings). */
export function buildName(kind: string, inputs: unknown): string {
  return `${kind}-${createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16)}`;
}
