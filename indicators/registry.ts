import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  definitionVersion,
  type IndicatorDefinition,
  IndicatorDefinitionError,
  parseDefinition,
} from "./definition.ts";

/** A validated definition with where it came from and its version. */
export interface CatalogueEntry {
  definition: IndicatorDefinition;
  version: string;
  file: string;
}

/** Every definition of a catalogue folder, by id. */
export interface Catalogue {
  entries: CatalogueEntry[];
  byId(id: string): CatalogueEntry | undefined;
}

/** The folder of the project's indicator definitions. */
const CATALOGUE_DIR = path.join(import.meta.dirname, "catalogue");

const cache = new Map<string, Promise<Catalogue>>();

/**
 * Reads every definition file of a catalogue folder (each exports `default`: one definition or a list),
 * validates them and checks that ids are unique. Adding an indicator is adding a file there. Throws
 * IndicatorDefinitionError naming the file and the field of the first broken definition.
 */
export function loadCatalogue(dir: string = CATALOGUE_DIR): Promise<Catalogue> {
  let pending = cache.get(dir);
  if (!pending) {
    pending = readCatalogue(dir);
    cache.set(dir, pending);
    pending.catch(() => cache.delete(dir));
  }
  return pending;
}

async function readCatalogue(dir: string): Promise<Catalogue> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
  const entries: CatalogueEntry[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    const shown = path.relative(process.cwd(), file) || file;
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (mod.default === undefined)
      throw new IndicatorDefinitionError(shown, [
        { path: "default", message: "the file must `export default` a definition or a list of them" },
      ]);
    const inputs = Array.isArray(mod.default) ? mod.default : [mod.default];
    for (const input of inputs) {
      const definition = parseDefinition(input, shown);
      const other = seen.get(definition.id);
      if (other)
        throw new IndicatorDefinitionError(shown, [
          { path: `${definition.id}.id`, message: `the id is already defined in ${other}` },
        ]);
      seen.set(definition.id, shown);
      entries.push({ definition, version: definitionVersion(definition), file: shown });
    }
  }
  return catalogueOf(entries);
}

/** A catalogue of the given entries, in their order (read from a folder, or kept with a release). */
export function catalogueOf(entries: CatalogueEntry[]): Catalogue {
  const index = new Map(entries.map((e) => [e.definition.id, e]));
  return { entries, byId: (id) => index.get(id) };
}

/** One version for the whole catalogue: a hash of every definition's id and version. */
export function definitionsVersion(catalogue: Catalogue): string {
  const parts = catalogue.entries.map((e) => `${e.definition.id}:${e.version}`).sort();
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}
