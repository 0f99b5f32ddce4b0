import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Database } from "../core/db.ts";
import { sqlString } from "../core/sql.ts";

/** Reference files loaded into DuckDB (the geometry files are served as they are, not loaded). */
const FILES = {
  kunnat: "kunnat_2026.csv",
  hyvinvointialueet: "hyvinvointialueet_2026.csv",
  liitokset: "kuntaliitokset.csv",
  vaesto2024: "vaesto_kunnat_2024.csv",
  vaestoSotkanet: "vaesto_kunnat_sotkanet127_2000_2022.csv",
} as const;

function fingerprint(referenceDir: string): string {
  const hash = createHash("sha256");
  for (const file of Object.values(FILES)) hash.update(fs.readFileSync(path.join(referenceDir, file)));
  return hash.digest("hex");
}

/**
 * Loads the municipality key, counties, mergers and population (in the current division) into
 * DuckDB. Idempotent: skipped when the files have not changed since the last load.
 */
export async function loadReferenceData(db: Database, referenceDir: string): Promise<{ loaded: boolean }> {
  const print = fingerprint(referenceDir);
  const stored = await db.one<{ value: string }>(
    `SELECT value FROM meta WHERE key = 'reference_fingerprint'`,
  );
  if (stored?.value === print) return { loaded: false };
  const csv = (file: string) =>
    `read_csv(${sqlString(path.join(referenceDir, file))}, header = true, all_varchar = true, delim = ',', quote = '"')`;
  await db.withTransaction(async (tx) => {
    await tx.run(`CREATE OR REPLACE TABLE ref_kunta AS SELECT * FROM ${csv(FILES.kunnat)} ORDER BY kunta`);
    await tx.run(
      `CREATE OR REPLACE TABLE ref_hyvinvointialue AS
       SELECT * REPLACE (kuntia::INTEGER AS kuntia) FROM ${csv(FILES.hyvinvointialueet)} ORDER BY hyvinvointialue`,
    );
    await tx.run(
      `CREATE OR REPLACE TABLE ref_kuntaliitos AS
       SELECT vanha_kunta, vanha_nimi_fi, vanha_nimi_sv, uusi_kunta, voimassa::DATE AS voimassa
       FROM ${csv(FILES.liitokset)}`,
    );
    // Every name an analyst may type for a municipality: current fi/sv names and merged ones.
    await tx.run(
      `CREATE OR REPLACE TABLE ref_kunta_nimi AS
       SELECT DISTINCT lower(nfc_normalize(trim(nimi))) AS nimi_avain, nimi, kunta FROM (
         SELECT nimi_fi AS nimi, kunta FROM ref_kunta
         UNION ALL SELECT nimi_sv, kunta FROM ref_kunta
         UNION ALL SELECT vanha_nimi_fi, vanha_kunta FROM ref_kuntaliitos
         UNION ALL SELECT vanha_nimi_sv, vanha_kunta FROM ref_kuntaliitos)`,
    );
    // Population 31.12. by year in the current division: merged municipalities are added to their successor.
    await tx.run(
      `CREATE OR REPLACE TABLE ref_vaesto AS
       WITH raw AS (
         SELECT kunta, vuosi::INTEGER AS vuosi, vaesto_31_12::INTEGER AS vaesto FROM ${csv(FILES.vaestoSotkanet)}
         UNION ALL
         SELECT kunta, 2024, vaesto_2024_12_31::INTEGER FROM ${csv(FILES.vaesto2024)}
       )
       SELECT coalesce(l.uusi_kunta, r.kunta) AS kunta, r.vuosi, sum(r.vaesto)::INTEGER AS vaesto
       FROM raw r LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = r.kunta
       GROUP BY ALL ORDER BY kunta, vuosi`,
    );
    await tx.run(`INSERT OR REPLACE INTO meta VALUES ('reference_fingerprint', ?)`, [print]);
  });
  return { loaded: true };
}
