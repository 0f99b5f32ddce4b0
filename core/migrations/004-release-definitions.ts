import type { Migration } from "./migration.ts";

/**
 * The indicator definitions a release was made with (titles, descriptions, units, each definition's
 * version), so that a read pinned to the release shows them as they were then. Kept once per
 * definitions' version (releases.definitions_version): releases made with the same catalogue share one
 * row. A release made before this step has none until the code whose catalogue has its version keeps it
 * (indicators/release/definitions.ts).
 */
export const releaseDefinitions: Migration = {
  version: 4,
  name: "release definitions",
  statements: [
    `CREATE TABLE IF NOT EXISTS release_definitions (
      definitions_version VARCHAR PRIMARY KEY,
      definitions JSON NOT NULL
    )`,
  ],
};
