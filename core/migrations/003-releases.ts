import type { Migration } from "./migration.ts";

/** The columns of a published figure (indicators/release/figures.ts reads and writes them). */
const FIGURE_COLUMNS = `indicator_id VARCHAR NOT NULL,
      definition_version VARCHAR NOT NULL,
      category VARCHAR NOT NULL,
      level VARCHAR NOT NULL,
      area VARCHAR NOT NULL,
      period_type VARCHAR NOT NULL,
      period VARCHAR NOT NULL,
      first_quarter VARCHAR,
      last_quarter VARCHAR,
      numerator DOUBLE,
      denominator DOUBLE,
      value DOUBLE,
      population_year INTEGER,
      reported INTEGER,
      members INTEGER,
      missing_kunnat VARCHAR[],
      status VARCHAR,
      reason VARCHAR,
      shown_parts INTEGER`;

/**
 * Releases (julkaisu): numbered, immutable versions of the published figures. The latest release's
 * figures are kept whole in release_latest, as published (hidden numbers are not there at all); of
 * every older release, release_history keeps only what differs in the release after it (its figure,
 * or present = false for a figure it did not have).
 */
export const releases: Migration = {
  version: 3,
  name: "releases",
  statements: [
    `CREATE TABLE IF NOT EXISTS releases (
      release_id INTEGER PRIMARY KEY,
      created_at TIMESTAMPTZ NOT NULL,
      data_as_of TIMESTAMPTZ,
      definitions_version VARCHAR NOT NULL,
      suppression_threshold INTEGER NOT NULL,
      latest_load_id BIGINT,
      loads JSON NOT NULL,
      data_changes JSON NOT NULL,
      run_id BIGINT,
      figures INTEGER NOT NULL,
      changed INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS release_latest (${FIGURE_COLUMNS})`,
    `CREATE TABLE IF NOT EXISTS release_history (release_id INTEGER NOT NULL, present BOOLEAN NOT NULL,
      ${FIGURE_COLUMNS})`,
  ],
};
