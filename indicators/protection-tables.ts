import type { Config } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { Params } from "../core/sql.ts";
import { addsReportedQuarters, cellsOf } from "./definition.ts";
import { type AtomModel, atomModel, atomSql } from "./protect/atoms.ts";
import type { AuditReport } from "./protect/audit.ts";
import type { Certificate } from "./protect/protect.ts";
import { auditStored, readCertificates, type StepTables } from "./protect/step.ts";
import { type Catalogue, loadCatalogue } from "./registry.ts";
import { ensureResultsTables } from "./results.ts";
import { REASON_CODES, STATUSES } from "./suppress/status.ts";
import {
  buildDefinitionTables,
  buildGrid,
  buildLevelAreas,
  dropTempTables,
  KUNTA_LEVEL,
  PKEY_BASE,
  PTYPE,
  tempTable,
  WHOLE_LEVEL,
} from "./value-tables.ts";

/**
 * What the protection step (protect/) reads of a run and what it gives back: the release's values and
 * inner cells in its shape, the served release beside them, the rows it hides, the certificates kept,
 * and the audit of the served release (`seuranta audit`).
 */

/** The atoms of a model, as text: two models number their cells alike when these are equal. */
export function atomSignature(model: AtomModel): string {
  return JSON.stringify(model.atoms.map((a) => [a.dataset, a.component, a.index, a.pieces]));
}

/**
 * The atoms the served release's cells were written with; null for a release stored before they were
 * kept, whose numbering is not known (and differs when the catalogue has changed since).
 */
export async function servedAtomModel(db: Database): Promise<string | null> {
  const row = await db.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'release_atom_model'`);
  return row?.value ?? null;
}

/** Every value of the computed release, in the shape protect/step.ts reads (rid = rowid × 2 + table). */
export const RELEASE_VALUES_SQL = (() => {
  // The same numbers as before: a mean of counts is summed in whatever order DuckDB's threads take, so
  // its last bits may differ between two runs over the same data (compared after the join on the keys:
  // in the join's condition, the tolerance would make it a nested loop).
  const same = (a: string, b: string) =>
    `((${a} IS NULL AND ${b} IS NULL) OR abs(${a} - ${b}) <= 1e-9 * greatest(1, abs(${b})))`;
  const shows = (t: string) =>
    `CASE WHEN ${same("p.numerator", `${t}.numerator`)} AND ${same("p.denominator", `${t}.denominator`)}
      THEN p.shows END`;
  const prev = (t: string) => `LEFT JOIN ind_prev p ON p.ind = ${t}.ind AND p.cell = ${t}.cell
    AND p.area_id = ${t}.area_id AND p.pkey = ${t}.pkey`;
  // forced: the numbers shown before; kept: those hidden before (protect.ts)
  const asBefore = (t: string) => `coalesce(${shows(t)}, 0) AS forced, coalesce(3 - ${shows(t)}, 0) AS kept`;
  return `SELECT f.rowid * 2 AS rid, f.ind, f.cell, f.area_id, ${KUNTA_LEVEL} AS level, f.ptype, f.last_qi,
      f.numerator, f.denominator, f.reported, f.status,
      (f.ind IN (SELECT ind FROM ind_wanted_levels WHERE level = ${KUNTA_LEVEL}))::INTEGER AS published,
      ${asBefore("f")}, 0 AS parts
    FROM ind_frame f ${prev("f")}
    UNION ALL
    SELECT v.rowid * 2 + 1, v.ind, v.cell, v.area_id, la.level, v.ptype, v.last_qi, v.numerator, v.denominator,
      v.reported, v.status, 1, ${asBefore("v")}, 0
    FROM ind_vals v JOIN (SELECT DISTINCT area_id, level FROM ind_level_areas) la ON la.area_id = v.area_id
    ${prev("v")}`;
})();

/**
 * Every value of the release being served, as stored, in the shape protect/step.ts reads and keyed as
 * this run's definitions, cells and areas (values of definitions since changed are left out).
 */
export const servedValuesSql = (
  table = "indicator_values_data",
) => `SELECT (row_number() OVER ())::INTEGER AS rid, m.ind, c.cell, la.area_id, la.level,
    d.pkey // ${PKEY_BASE} AS ptype, d.pkey % ${PKEY_BASE} AS last_qi, d.numerator, d.denominator, d.reported,
    d.status, 1 AS published, 0 AS forced, 0 AS kept,
    coalesce(d.shown_parts, CASE WHEN d.status = ${STATUSES.indexOf("suppressed")} THEN 0 ELSE 3 END) AS parts
  FROM ${table} d JOIN indicator_catalog oc ON oc.ind = d.ind
  JOIN ind_meta m ON m.indicator_id = oc.indicator_id AND m.version = oc.definition_version
  JOIN indicator_cells ocl ON ocl.ind = d.ind AND ocl.cell = d.cell
  JOIN ind_cells c ON c.ind = m.ind AND c.code = ocl.category
  JOIN indicator_areas oa ON oa.area_id = d.area_id
  JOIN (SELECT DISTINCT area_id, level, level_name, area FROM ind_level_areas) la
    ON la.level_name = oa.level AND la.area = oa.area`;

/** What the protection step needs to know of the catalogue, the engine's codes and the settings. */
export function stepTables(
  catalogue: Catalogue,
  config: Config,
  model: ReturnType<typeof atomModel>,
  values: string,
  cells: string,
): StepTables {
  const defs = catalogue.entries.map((e) => e.definition);
  return {
    values,
    cells: `SELECT atom, kid, qi, value, ok FROM ${cells}`,
    areas: "ind_level_areas",
    model,
    overs: defs.map((d) => [
      d.numerator.over,
      d.denominator && "sum" in d.denominator ? d.denominator.over : "none",
    ]),
    cellsPerIndicator: defs.map((d) => cellsOf(d).length),
    addsParts: defs.map(addsReportedQuarters),
    kuntaLevel: KUNTA_LEVEL,
    topLevel: WHOLE_LEVEL,
    quarterType: PTYPE.quarter,
    yearType: PTYPE.year,
    rollingType: PTYPE.rolling4q,
    threshold: config.suppressionThreshold,
    minRange: config.protectionRange,
    suppressedCode: STATUSES.indexOf("suppressed"),
    shownCodes: (["value", "zero", "not_computable"] as const).map((st) => STATUSES.indexOf(st)),
  };
}

/** The inner cells (atoms, protect/atoms.ts) per current municipality and quarter, as ind_atom_grid. */
export async function buildAtomGrid(db: Database, model: ReturnType<typeof atomModel>, scoped: boolean) {
  await tempTable(
    db,
    "ind_atom_meta",
    "ind SMALLINT, dataset VARCHAR",
    model.atoms.map((a, i) => [i, a.dataset]),
  );
  await tempTable(
    db,
    "ind_atom_cells",
    "ind SMALLINT, cell SMALLINT",
    model.atoms.map((_, i) => [i, 0]),
  );
  if (model.atoms.length === 0) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ind_atom_grid (atom SMALLINT, kid SMALLINT, qi INTEGER, value DOUBLE, ok BOOLEAN)`,
    );
    return;
  }
  const params = new Params();
  const union = atomSql(model, params).join("\nUNION ALL\n");
  await buildGrid(db, union, params, {
    cells: "ind_atom_cells",
    meta: "ind_atom_meta",
    out: "ind_atom_grid_raw",
    scoped,
  });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_atom_grid AS
     SELECT ind AS atom, kid, qi, num AS value, num_ok AS ok FROM ind_atom_grid_raw`,
  );
}

/**
 * The values the previous release published, keyed as this run's, with the numbers it showed of them:
 * a number shown before stays shown when its row's numbers did not change (protect.ts `forced`), and a
 * number hidden before stays hidden (`kept`): the two releases then publish the same of every value
 * that did not change, and together tell no more than this one does alone (rule 3 of issue 2.1).
 */
export async function buildPrevious(db: Database) {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_prev AS
     SELECT m.ind, c.cell, la.area_id, d.pkey, d.numerator, d.denominator,
       -- the numbers it showed: bit 0 numerator, bit 1 denominator (a hidden value may show one)
       CASE WHEN s.name = 'suppressed' THEN coalesce(d.shown_parts, 0) ELSE 3 END AS shows
     FROM indicator_values_data d
     JOIN indicator_catalog oc ON oc.ind = d.ind
     JOIN ind_meta m ON m.indicator_id = oc.indicator_id AND m.version = oc.definition_version
     JOIN indicator_cells ocl ON ocl.ind = d.ind AND ocl.cell = d.cell
     JOIN ind_cells c ON c.ind = m.ind AND c.code = ocl.category
     JOIN indicator_areas oa ON oa.area_id = d.area_id
     JOIN (SELECT DISTINCT area_id, level_name, area FROM ind_level_areas) la
       ON la.level_name = oa.level AND la.area = oa.area
     JOIN indicator_codes s ON s.kind = 'status' AND s.code = d.status
     WHERE s.name IN ('value', 'zero', 'not_computable', 'suppressed')`,
  );
}

/**
 * The rows with a hidden number as ind_hidden (tbl, rid, reason, parts) for storeResults: the reason
 * is `secondary` for rows hidden to protect others (NULL keeps the primary reason), parts the numbers
 * the row still shows (bit 0 numerator, bit 1 denominator).
 */
export async function writeHidden(
  db: Database,
  protection: { hide: Int32Array; parts: Int8Array; secondary: Uint8Array },
) {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ind_hidden (tbl TINYINT, rid BIGINT, reason TINYINT, parts TINYINT)`,
  );
  const appender = await db.connection.createAppender("ind_hidden", "main", "temp");
  const reason = REASON_CODES.indexOf("secondary");
  protection.hide.forEach((id, i) => {
    appender.appendTinyInt(id % 2);
    appender.appendBigInt(BigInt(Math.floor(id / 2)));
    if (protection.secondary[i]) appender.appendTinyInt(reason);
    else appender.appendNull();
    appender.appendTinyInt(protection.parts[i] ?? 0);
    appender.endRow();
  });
  appender.closeSync();
}

/** Keeps the release's inner cells and certificates for `seuranta audit` (inside the store transaction). */
export async function storeRelease(db: Database, certificates: Certificate[], model: AtomModel) {
  await db.run(`INSERT INTO release_cells SELECT atom, kid, qi, value, ok FROM ind_atom_grid`);
  await db.run(`INSERT OR REPLACE INTO meta VALUES ('release_atom_model', ?)`, [atomSignature(model)]);
  const appender = await db.connection.createAppender("release_certificates");
  certificates.forEach((c, id) => {
    for (let i = 0; i < c.sign.length; i++) {
      appender.appendInteger(id);
      appender.appendSmallInt(c.component);
      appender.appendSmallInt(c.kunta[i] ?? 0);
      appender.appendInteger(c.qi[i] ?? 0);
      appender.appendSmallInt(c.atom[i] ?? 0);
      appender.appendTinyInt(c.sign[i] ?? 0);
      appender.endRow();
    }
  });
  appender.closeSync();
}

/**
 * The disclosure audit of the release being served (`seuranta audit`): the stored values, inner cells
 * and certificates, checked as protect/audit.ts does before publishing. `earlier` names tables holding
 * an earlier release's values (as indicator_values_data), inner cells (as release_cells) and
 * certificates (as release_certificates): the attacker then knows both releases (protect/earlier.ts).
 */
export async function auditLatestRelease(
  db: Database,
  config: Config,
  options: {
    catalogue?: Catalogue;
    firstFinding?: boolean;
    earlier?: { values: string; cells: string; certificates: string };
  } = {},
): Promise<AuditReport> {
  const cat = options.catalogue ?? (await loadCatalogue());
  await ensureResultsTables(db);
  try {
    await buildDefinitionTables(db, cat);
    await buildLevelAreas(db);
    const model = atomModel(cat.entries.map((e) => e.definition));
    const values = servedValuesSql();
    const certificates = await readCertificates(db, "release_certificates");
    const earlier = options.earlier
      ? {
          tables: stepTables(
            cat,
            config,
            model,
            servedValuesSql(options.earlier.values),
            options.earlier.cells,
          ),
          certificates: options.earlier.certificates,
        }
      : undefined;
    return await auditStored(db, stepTables(cat, config, model, values, "release_cells"), certificates, {
      firstFinding: options.firstFinding,
      threads: config.protectionThreads,
      ...(earlier ? { earlier } : {}),
    });
  } finally {
    await dropTempTables(db);
  }
}
