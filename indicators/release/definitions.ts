import { z } from "zod";
import type { Database, Queryable } from "../../core/db.ts";
import type { IndicatorDefinition } from "../definition.ts";
import { type Catalogue, catalogueOf, definitionsVersion, loadCatalogue } from "../registry.ts";

/**
 * The indicator definitions each release was made with (table release_definitions, one row per
 * definitions' version): a read pinned to a release shows the titles, descriptions, units, decimals
 * and versions of that release, not today's. Kept as the catalogue's entries in JSON, in catalogue order.
 */

/** One kept entry: the definition as validated when the release was made (not validated again). */
const keptEntrySchema = z.object({
  version: z.string(),
  file: z.string(),
  definition: z.custom<IndicatorDefinition>((v) => typeof v === "object" && v !== null),
});
const keptSchema = z.array(keptEntrySchema);

/**
 * Keeps the catalogue's definitions for the releases made with it: once per definitions' version, and
 * only when some release has that version (a release made before definitions were kept gets them
 * too when this code's catalogue is the one it was made with). Run inside the transaction that makes a
 * release, and at start.
 */
export async function keepDefinitions(db: Database, catalogue: Catalogue): Promise<void> {
  const version = definitionsVersion(catalogue);
  const entries: z.infer<typeof keptSchema> = catalogue.entries.map((e) => ({
    version: e.version,
    file: e.file,
    definition: e.definition,
  }));
  await db.run(
    `INSERT INTO release_definitions (definitions_version, definitions)
     SELECT $version, $definitions::JSON
     WHERE EXISTS (SELECT 1 FROM releases WHERE definitions_version = $version)
       AND NOT EXISTS (SELECT 1 FROM release_definitions WHERE definitions_version = $version)`,
    { version, definitions: JSON.stringify(entries) },
  );
}

/** Catalogues read back, by definitions' version (a version names its content: never stale). */
const kept = new Map<string, Catalogue>();
const KEPT_IN_MEMORY = 32;

/**
 * The catalogue release `release` (its number, or the release as listed) was made with. A release made
 * before definitions were kept, whose definitions no code has kept since, gets `fallback` (by default
 * the current catalogue): its figures are its own, the texts today's.
 */
export async function catalogueAt(
  db: Queryable,
  release: number | { definitionsVersion: string },
  fallback?: Catalogue,
): Promise<Catalogue> {
  const version =
    typeof release === "number"
      ? (
          await db.one<{ v: string }>(`SELECT definitions_version AS v FROM releases WHERE release_id = ?`, [
            release,
          ])
        )?.v
      : release.definitionsVersion;
  if (version === undefined) return fallback ?? loadCatalogue();
  const known = kept.get(version);
  if (known) return known;
  const row = await db.one<{ definitions: string }>(
    `SELECT definitions::VARCHAR AS definitions FROM release_definitions WHERE definitions_version = ?`,
    [version],
  );
  if (!row) return fallback ?? loadCatalogue();
  const catalogue = catalogueOf(keptSchema.parse(JSON.parse(row.definitions)));
  if (kept.size >= KEPT_IN_MEMORY) kept.delete(kept.keys().next().value as string);
  kept.set(version, catalogue);
  return catalogue;
}

/** The catalogue of a pinned read's release, or the current one for a read of the latest figures. */
export function catalogueFor(
  db: Queryable,
  pinned: { release: { definitionsVersion: string } } | null | undefined,
): Promise<Catalogue> {
  return pinned ? catalogueAt(db, pinned.release) : loadCatalogue();
}
