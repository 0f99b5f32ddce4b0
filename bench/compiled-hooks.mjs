// Module hooks of `npm run bench` (bench/run.ts): the benchmarks import the TypeScript sources, and each
// such import is answered with the module compiled from it in dist/, the code `seuranta` and `npm start`
// run. Through the tsx loader the same code runs slower: tsx compiles with esbuild's keepNames, which
// wraps every function made at run time in a naming call (the protection's search makes millions).
import fs from "node:fs";

const root = new URL("../", import.meta.url);
const { sources } = JSON.parse(fs.readFileSync(new URL("dist/build.json", root), "utf8"));

/** Resolves as the loaders before, then moves a source module of the package to its compiled module. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith(root.href) || !resolved.url.endsWith(".ts")) return resolved;
  const relative = resolved.url.slice(root.href.length);
  if (!sources.includes(relative.split("/")[0])) return resolved;
  return { ...resolved, url: new URL(`dist/${relative.slice(0, -3)}.js`, root).href, format: "module" };
}
