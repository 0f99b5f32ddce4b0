import type { Database } from "../core/db.ts";
import { sqlList } from "../core/sql.ts";
import { WORK_AREAS, WORK_DDL, WORK_FRAME } from "./incremental.ts";
import { REASON_CODES, STATUSES } from "./suppress/status.ts";
import { KUNTA_LEVEL, tempTable } from "./value-tables.ts";

/** The stored results of a recompute: their tables and view, created at start and replaced by each run. */

/** Bumped when the results tables change shape; older tables are dropped (they are derived data). */
const RESULTS_SCHEMA_VERSION = "5";

// Values are stored compactly (small integer codes; strings are what makes writing a million rows
// slow) in indicator_values_data, with small dictionary tables rewritten by every run; the view
// indicator_values gives them back with names. Everything that reads values reads the view.
const RESULTS_DDL = [
  `CREATE TABLE IF NOT EXISTS indicator_values_data (
    ind SMALLINT NOT NULL,              -- indicator_catalog
    cell SMALLINT NOT NULL,             -- indicator_cells: 0 = the total, else a breakdown value
    area_id SMALLINT NOT NULL,          -- indicator_areas: level and area code
    pkey INTEGER NOT NULL,              -- indicator_periods
    numerator DOUBLE,                   -- raw, unrounded, unsuppressed: never shown without publish()
    denominator DOUBLE,
    population_year SMALLINT,           -- the year whose population a per-inhabitant rate used
    reported SMALLINT NOT NULL,         -- member municipalities that reported
    members SMALLINT NOT NULL,
    missing_kunnat VARCHAR[],           -- members that did not (NULL for a single municipality)
    status TINYINT NOT NULL,            -- indicator_codes 'status'
    reason TINYINT,                     -- indicator_codes 'reason'
    shown_parts TINYINT                 -- of a hidden value, the numbers still shown: 1 numerator, 2 denominator
  )`,
  `CREATE TABLE IF NOT EXISTS indicator_catalog (ind SMALLINT, indicator_id VARCHAR, definition_version VARCHAR,
    scale DOUBLE, den_kind VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_cells (ind SMALLINT, cell SMALLINT, category VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_areas (area_id SMALLINT, level VARCHAR, area VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_periods (pkey INTEGER, period_type VARCHAR, period VARCHAR,
    first_quarter VARCHAR, last_quarter VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS indicator_codes (kind VARCHAR, code TINYINT, name VARCHAR)`,
  `CREATE OR REPLACE VIEW indicator_values AS
   SELECT c.indicator_id, c.definition_version, cl.category, a.level, a.area, p.period_type, p.period,
     p.first_quarter, p.last_quarter, d.numerator, d.denominator,
     -- the value is worked out here rather than stored: one column less to write per run
     CASE WHEN d.reported = 0 THEN NULL
          WHEN c.den_kind = 'none' THEN d.numerator
          WHEN d.denominator = 0 THEN NULL
          ELSE d.numerator * c.scale / d.denominator END AS value,
     d.population_year::INTEGER AS population_year, d.reported::INTEGER AS reported,
     d.members::INTEGER AS members,
     coalesce(list_sort(d.missing_kunnat), CASE WHEN d.reported = 0 THEN [a.area] ELSE []::VARCHAR[] END) AS missing_kunnat,
     s.name AS status, r.name AS reason, coalesce(d.shown_parts, CASE WHEN s.name = 'suppressed' THEN 0 ELSE 3 END)::INTEGER AS shown_parts
   FROM indicator_values_data d
   JOIN indicator_catalog c ON c.ind = d.ind
   JOIN indicator_cells cl ON cl.ind = d.ind AND cl.cell = d.cell
   JOIN indicator_areas a ON a.area_id = d.area_id
   JOIN indicator_periods p ON p.pkey = d.pkey
   JOIN indicator_codes s ON s.kind = 'status' AND s.code = d.status
   LEFT JOIN indicator_codes r ON r.kind = 'reason' AND r.code = d.reason`,
  // The release's inner cells and protection certificates: what `seuranta audit` checks again.
  `CREATE TABLE IF NOT EXISTS release_cells (atom SMALLINT, kid SMALLINT, qi INTEGER, value DOUBLE, ok BOOLEAN)`,
  `CREATE TABLE IF NOT EXISTS release_certificates (id INTEGER, component SMALLINT, kid SMALLINT, qi INTEGER,
    atom SMALLINT, sign TINYINT)`,
  // Recomputes whose release failed the audit and was not published (the previous one stays served).
  `CREATE TABLE IF NOT EXISTS release_rejections (rejected_at TIMESTAMPTZ NOT NULL, trigger VARCHAR NOT NULL,
    state VARCHAR NOT NULL, findings JSON NOT NULL)`,
  ...WORK_DDL,
  `CREATE SEQUENCE IF NOT EXISTS indicator_run_seq START 1`,
  `CREATE TABLE IF NOT EXISTS indicator_runs (
    run_id BIGINT PRIMARY KEY DEFAULT nextval('indicator_run_seq'),
    trigger VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    duration_ms DOUBLE NOT NULL,
    state VARCHAR NOT NULL,
    summary JSON NOT NULL
  )`,
];

const RESULTS_TABLES = [
  "indicator_values_data",
  "indicator_catalog",
  "indicator_cells",
  "indicator_areas",
  "indicator_periods",
  "indicator_codes",
  "release_cells",
  "release_certificates",
  WORK_FRAME,
  WORK_AREAS,
  "indicator_runs",
];

/** Creates the results tables (dropping ones of an older shape); safe to call at every start. */
export async function ensureResultsTables(db: Database): Promise<void> {
  const stored = await db.one<{ value: string }>(
    `SELECT value FROM meta WHERE key = 'indicator_schema_version'`,
  );
  const present = await db.one<{ n: bigint }>(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN (${sqlList(RESULTS_TABLES)}, 'indicator_values')`,
  );
  if (stored?.value === RESULTS_SCHEMA_VERSION && Number(present?.n) === RESULTS_TABLES.length + 1) return;
  if (stored?.value !== RESULTS_SCHEMA_VERSION) {
    await db.run(`DROP VIEW IF EXISTS indicator_values`);
    await db.run(`DROP TABLE IF EXISTS indicator_values`);
    for (const table of RESULTS_TABLES) await db.run(`DROP TABLE IF EXISTS ${table}`);
    await db.run(`DROP TABLE IF EXISTS release_rejections`);
    await db.run(`DROP SEQUENCE IF EXISTS indicator_run_seq`);
  }
  for (const ddl of RESULTS_DDL) await db.run(ddl);
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('indicator_schema_version', ?)`, [
    RESULTS_SCHEMA_VERSION,
  ]);
}

/**
 * Replaces the stored results with the computed ones, secondary suppression applied, and rewrites the
 * dictionaries the view names them by. Runs inside the caller's transaction.
 */
export async function storeResults(db: Database) {
  await db.run(`DELETE FROM indicator_values_data`);
  for (const table of RESULTS_TABLES.slice(1, -1)) await db.run(`DELETE FROM ${table}`);
  await db.run(
    `INSERT INTO indicator_catalog SELECT ind, indicator_id, version, scale, den_kind FROM ind_meta`,
  );
  await db.run(`INSERT INTO indicator_cells SELECT ind, cell, code FROM ind_cells`);
  await db.run(`INSERT INTO indicator_areas SELECT DISTINCT area_id, level_name, area FROM ind_level_areas`);
  await db.run(
    `INSERT INTO indicator_periods SELECT pkey, type, label, first_quarter, last_quarter FROM ind_periods`,
  );
  await tempTable(db, "ind_codes", "kind VARCHAR, code TINYINT, name VARCHAR", [
    ...STATUSES.map((s, i) => ["status", i, s]),
    ...REASON_CODES.map((r, i) => ["reason", i, r]),
  ]);
  await db.run(`INSERT INTO indicator_codes SELECT * FROM ind_codes`);
  await db.run(`DROP TABLE ind_codes`);
  // municipalities (ind_frame, suppression table 0) and areas (ind_vals, table 1)
  const suppressed = STATUSES.indexOf("suppressed");
  await db.run(
    `INSERT INTO indicator_values_data
     SELECT v.ind, v.cell, v.area_id, v.pkey, v.numerator, v.denominator, v.population_year,
       v.reported, v.members, NULL,
       CASE WHEN h.rid IS NULL THEN v.status ELSE ${suppressed} END, coalesce(h.reason, v.reason), h.parts
     FROM ind_frame v LEFT JOIN ind_hidden h ON h.tbl = 0 AND h.rid = v.rowid
     WHERE v.ind IN (SELECT ind FROM ind_wanted_levels WHERE level = ${KUNTA_LEVEL})
     UNION ALL
     SELECT v.ind, v.cell, v.area_id, v.pkey, v.numerator, v.denominator, v.population_year,
       v.reported, v.members, v.missing_kunnat,
       CASE WHEN h.rid IS NULL THEN v.status ELSE ${suppressed} END, coalesce(h.reason, v.reason), h.parts
     FROM ind_vals v LEFT JOIN ind_hidden h ON h.tbl = 1 AND h.rid = v.rowid`,
  );
  // the values before protection, for the next incremental run (incremental.ts)
  await db.run(`INSERT INTO ${WORK_FRAME} BY NAME SELECT * FROM ind_frame`);
  await db.run(`INSERT INTO ${WORK_AREAS} BY NAME SELECT * FROM ind_vals`);
}
