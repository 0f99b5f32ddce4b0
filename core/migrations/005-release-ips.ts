import type { Migration } from "./migration.ts";

const items = Array.from({ length: 25 }, (_, i) => `k${String(i + 1).padStart(2, "0")} INTEGER`).join(", ");

/**
 * The IPS fidelity reviews as each release published them (indicators/ips/reviews.ts): a release whose
 * reviews differ from the release before it keeps them whole (release_ips_sets marks it, also when it
 * has none), as published: a small client count is not there at all, only that it is hidden.
 */
export const releaseIps: Migration = {
  version: 5,
  name: "release-ips",
  statements: [
    `CREATE TABLE IF NOT EXISTS release_ips_sets (release_id INTEGER PRIMARY KEY)`,
    `CREATE TABLE IF NOT EXISTS release_ips (
      release_id INTEGER NOT NULL,
      yksikko VARCHAR NOT NULL,
      yksikon_nimi VARCHAR NOT NULL,
      kunta VARCHAR NOT NULL,
      arviointipaiva DATE NOT NULL,
      arviointi VARCHAR NOT NULL,
      ${items},
      tyohonvalmentajat INTEGER,
      asiakkaat INTEGER,
      asiakkaat_hidden BOOLEAN NOT NULL
    )`,
  ],
};
