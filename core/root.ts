import fs from "node:fs";
import path from "node:path";

/**
 * The project folder, the one holding package.json: data/, docs/ and package.json are found from it.
 * The sources sit one folder below it and the compiled code (dist/) two, so it is looked up, not counted.
 */
export const PROJECT_ROOT = findRoot(import.meta.dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
