import type { Database } from "../../core/db.ts";
import type { AtomModel } from "./atoms.ts";
import { type AuditFinding, type AuditReport, audit, LP_CELLS, lpFinding } from "./audit.ts";
import { type EarlierForms, earlierForms } from "./earlier.ts";
import { type Certificate, protect } from "./protect.ts";
import { rangeByLp } from "./ranges.ts";
import { stopwatch } from "./stopwatch.ts";
import { LinkedTables, MEAN_SCALE, type OverKind, publishedForms, type SystemInput } from "./system.ts";

/**
 * The protection step of a recompute and the audit of a stored release, on DuckDB tables: reads the
 * values and inner cells into typed arrays, runs protect.ts and audit.ts, and hands back which rows to
 * hide. The SQL names come from the callers (compute.ts), never from input.
 */

/** Reads a query's INTEGER/DOUBLE columns into typed arrays, chunk by chunk (no per-value objects). */
export async function readColumns(db: Database, sql: string, types: ("int" | "double")[]) {
  const result = await db.connection.run(sql);
  const chunks = await result.fetchAllChunks();
  const n = chunks.reduce((sum, c) => sum + c.rowCount, 0);
  const out = types.map((t) => (t === "int" ? new Int32Array(n) : new Float64Array(n)));
  let offset = 0;
  for (const chunk of chunks) {
    types.forEach((_, i) => {
      const items = (chunk.getColumnVector(i) as unknown as { items: Int32Array | Float64Array }).items;
      out[i]?.set(items.subarray(0, chunk.rowCount), offset);
    });
    offset += chunk.rowCount;
  }
  return out;
}

/** Where the values, the inner cells and the areas are, and what the engine's codes mean. */
export interface StepTables {
  /**
   * SQL giving per value: rid (any integer id), ind, cell, area_id, level, ptype, last_qi, numerator,
   * denominator, reported, status (STATUSES code), published (1/0), forced (1/0), parts (the numbers a
   * hidden row shows: bit 0 numerator, bit 1 denominator).
   */
  values: string;
  /** SQL giving per inner cell: atom (global index into model.atoms), kid, qi, value, ok (1/0). */
  cells: string;
  /** Table of (kunta, kid, level, area_id). */
  areas: string;
  model: AtomModel;
  /** Over kinds of each indicator's numerator and denominator. */
  overs: [OverKind, OverKind][];
  cellsPerIndicator: number[];
  /** Per indicator: its areas add up every quarter reported (definition.ts addsReportedQuarters). */
  addsParts: boolean[];
  kuntaLevel: number;
  topLevel: number;
  quarterType: number;
  yearType: number;
  rollingType: number;
  threshold: number;
  minRange: number;
  suppressedCode: number;
  shownCodes: number[];
}

/** The linked tables of a set of values, with their row ids, statuses and forced flags. */
export async function loadTables(db: Database, tables: StepTables) {
  const [
    rid,
    ind,
    cell,
    area,
    level,
    ptype,
    lastQi,
    numerator,
    denominator,
    reported,
    status,
    published,
    forced,
    parts,
  ] = (await readColumns(
    db,
    `SELECT rid::INTEGER, ind::INTEGER, cell::INTEGER, area_id::INTEGER, level::INTEGER, ptype::INTEGER,
         last_qi::INTEGER, coalesce(numerator, 0)::DOUBLE, coalesce(denominator, 0)::DOUBLE, reported::INTEGER,
         status::INTEGER, published::INTEGER, forced::INTEGER, parts::INTEGER FROM (${tables.values})
       -- a fixed order: the same data always gets the same protection (a release repeats the last)
       ORDER BY level, ind, cell, area_id, ptype, last_qi`,
    ["int", "int", "int", "int", "int", "int", "int", "double", "double", "int", "int", "int", "int", "int"],
  )) as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Float64Array,
    Float64Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  const areaRows = await db.all<{ kid: number; level: number; area_id: number }>(
    `SELECT kid::INTEGER AS kid, level::INTEGER AS level, area_id::INTEGER AS area_id FROM ${tables.areas}`,
  );
  const nLevels = Math.max(...areaRows.map((a) => a.level)) + 1;
  const nKunta = new Set(areaRows.map((a) => a.kid)).size;
  const nArea = Math.max(...areaRows.map((a) => a.area_id)) + 1;
  const areaOf = Array.from({ length: nLevels }, () => new Int32Array(nKunta).fill(-1));
  const areaLevel = new Int32Array(nArea);
  const areaMembers: number[][] = Array.from({ length: nArea }, () => []);
  for (const a of areaRows) {
    (areaOf[a.level] as Int32Array)[a.kid] = a.area_id;
    areaLevel[a.area_id] = a.level;
    if (a.level !== tables.kuntaLevel) areaMembers[a.area_id]?.push(a.kid);
  }
  for (const list of areaMembers) list.sort((x, y) => x - y);
  let qiMin = Number.POSITIVE_INFINITY;
  let qiMax = Number.NEGATIVE_INFINITY;
  for (const q of lastQi) {
    if (q < qiMin) qiMin = q;
    if (q > qiMax) qiMax = q;
  }
  if (!Number.isFinite(qiMin)) {
    qiMin = 0;
    qiMax = 0;
  }
  qiMin -= 3;
  const model = tables.model;
  const componentAtoms = model.components.map((c) => c.atoms.length);
  const input: SystemInput = {
    ind,
    cell,
    area,
    level,
    ptype,
    lastQi,
    numerator,
    denominator,
    reported,
    published: Uint8Array.from(published, (p, r) => (p && (reported[r] ?? 0) > 0 ? 1 : 0)),
    indicators: tables.overs.map((over, i) => ({
      component: model.componentOf[i] ?? -1,
      masks: model.masks[i] ?? [],
      over,
      cells: tables.cellsPerIndicator[i] ?? 1,
      addsParts: tables.addsParts[i] ?? false,
    })),
    componentAtoms,
    cellValue: new Float64Array(0),
    cellOk: new Uint8Array(0),
    nKunta,
    areaOf,
    kuntaLevel: tables.kuntaLevel,
    areaLevel,
    areaMembers,
    qiMin,
    qiMax,
    quarterType: tables.quarterType,
    yearType: tables.yearType,
    rollingType: tables.rollingType,
    threshold: tables.threshold,
  };
  const t = new LinkedTables(input);
  input.cellValue = new Float64Array(t.nVars);
  input.cellOk = new Uint8Array(t.nVars);
  const [atom, kid, qi, value, ok] = (await readColumns(
    db,
    `SELECT atom::INTEGER, kid::INTEGER, qi::INTEGER, coalesce(value, 0)::DOUBLE, ok::INTEGER FROM (${tables.cells})`,
    ["int", "int", "int", "double", "int"],
  )) as [Int32Array, Int32Array, Int32Array, Float64Array, Int32Array];
  for (let i = 0; i < atom.length; i++) {
    const a = model.atoms[atom[i] ?? 0];
    const q = qi[i] ?? 0;
    if (!a || q < qiMin || q > qiMax) continue;
    const v = t.varOf(a.component, kid[i] ?? 0, q, a.index);
    input.cellValue[v] = value[i] ?? 0;
    input.cellOk[v] = ok[i] ?? 0;
  }
  return { t, rid, status, parts, forced: Uint8Array.from(forced) };
}

/** What the protection of a release did, for the run summary. */
export interface ProtectionSummary {
  primary: number;
  secondary: number;
  certificates: number;
  searches: number;
  patterns: number;
  rejected: Record<string, number>;
  unprotected: number;
  /** Hidden zeros a shown zero already tells (nothing to protect). */
  knownZero: number;
  audit: AuditReport;
  /** The audit together with the release being served (earlier.ts), when there was one. */
  together: { findings: number; superseded: number; first: AuditFinding[] } | null;
  ms: Record<string, number>;
}

/** Numbers per round whose pattern through the whole country waits for the linear program's answer. */
const LAST_RESORT_LP = 200;

/** The certificates of a stored release (table of id, component, kid, qi, atom, sign), their ranges unset. */
export async function readCertificates(db: Database, table: string): Promise<Certificate[]> {
  const [id, component, kid, qi, atom, sign] = (await readColumns(
    db,
    `SELECT id::INTEGER, component::INTEGER, kid::INTEGER, qi::INTEGER, atom::INTEGER, sign::INTEGER
     FROM ${table} ORDER BY id`,
    ["int", "int", "int", "int", "int", "int"],
  )) as Int32Array[];
  const out: Certificate[] = [];
  for (let start = 0; start < (id?.length ?? 0); ) {
    let end = start;
    while (end < (id?.length ?? 0) && id?.[end] === id?.[start]) end++;
    out.push({
      component: component?.[start] ?? 0,
      kunta: Int32Array.from((kid as Int32Array).subarray(start, end)),
      qi: Int32Array.from((qi as Int32Array).subarray(start, end)),
      atom: Int32Array.from((atom as Int32Array).subarray(start, end)),
      sign: Int8Array.from((sign as Int32Array).subarray(start, end)),
      range: 0,
    });
    start = end;
  }
  return out;
}

/** A stored release: its tables for loadTables, and the table of its certificates. */
export interface StoredRelease {
  tables: StepTables;
  certificates: string;
}

/** The joint forms of a stored earlier release, in the variables of t (earlier.ts). */
async function loadEarlier(
  db: Database,
  t: LinkedTables,
  stored: StoredRelease,
  repeats: (r: number, which: 0 | 1) => boolean,
): Promise<EarlierForms> {
  const before = await loadTables(db, stored.tables);
  const { shown, hidden } = storedState(before.t, before.status, before.parts, stored.tables);
  const certificates = await readCertificates(db, stored.certificates);
  return earlierForms(
    t,
    before.t,
    { shown, hidden, certificates, minRange: stored.tables.minRange },
    repeats,
  );
}

/** What a stored release shows and hides, per row and number (2 × row + which), as audit.ts reads it. */
function storedState(t: LinkedTables, status: Int32Array, parts: Int32Array, tables: StepTables) {
  const shown = new Uint8Array(2 * t.n);
  const hidden = new Uint8Array(2 * t.n);
  for (let r = 0; r < t.n; r++) {
    if (!t.s.published[r]) continue;
    const hiddenRow = status[r] === tables.suppressedCode;
    if (!hiddenRow && !tables.shownCodes.includes(status[r] ?? -1)) continue;
    for (const which of [0, 1] as const) {
      const bit = 1 << which;
      if (hiddenRow && !((parts[r] ?? 0) & bit)) hidden[2 * r + which] = 1;
      else shown[2 * r + which] = 1;
    }
  }
  return { shown, hidden };
}

/**
 * Protects and audits a computed release: the rows to hide (secondary) by rid, and the report. With
 * `served` (the release being served, as stored), the new release is protected and audited together
 * with everything that one published (earlier.ts).
 */
export async function protectRelease(
  db: Database,
  tables: StepTables,
  served?: StoredRelease,
): Promise<{
  /** Rows with a hidden number (by rid), which numbers they still show, and whether hidden for others. */
  hide: Int32Array;
  parts: Int8Array;
  secondary: Uint8Array;
  certificates: Certificate[];
  summary: ProtectionSummary;
  /** The audit of this release together with the one being served, when there is one. */
  together: AuditReport | null;
}> {
  const { ms, lap } = stopwatch();
  const { t, rid, status, forced } = await loadTables(db, tables);
  lap("read");
  let earlier: EarlierForms | undefined;
  if (served) {
    earlier = await loadEarlier(db, t, served, (r) => forced[r] === 1);
    lap("earlier");
  }
  const primary = Uint8Array.from(status, (st) => (st === tables.suppressedCode ? 1 : 0));
  const result = protect({
    tables: t,
    primary,
    forced,
    minRange: tables.minRange,
    topLevel: tables.topLevel,
    ...(earlier ? { earlier } : {}),
  });
  const shownNow = () => {
    const shown = new Uint8Array(2 * t.n);
    for (let i = 0; i < 2 * t.n; i++) shown[i] = t.s.published[i >> 1] && !result.hiddenForm[i] ? 1 : 0;
    return shown;
  };
  // The whole country is hidden only for numbers the attacker's linear program shows narrow without it
  // (a few rounds: what such a pattern hides may need it in turn; then it is applied as found).
  // The ranges proved here are handed to the audit, which uses them only if the release publishes no
  // more than they were proved against.
  const provenByLp: { shown: Uint8Array; keys: Set<string> }[] = [];
  for (let round = 0; result.lastResort.length > 0; round++) {
    const needed = result.lastResort.map(() => true);
    if (round < 3) {
      const shown = shownNow();
      // about 50 ms a number: beyond LAST_RESORT_LP numbers the pattern is applied as found
      const asked = result.lastResort.slice(0, LAST_RESORT_LP);
      const targets = asked.map(({ row, which }) => ({
        row,
        which,
        ...t.form(row, which),
        scale: t.over(row, which) === "mean" ? MEAN_SCALE : 1,
      }));
      const forms = [...publishedForms(t, shown).published, ...(earlier?.forms ?? [])];
      const ranges = await rangeByLp(
        earlier ?? { nVars: t.nVars, value: t.s.cellValue },
        forms,
        targets,
        LP_CELLS,
      );
      ranges.forEach((range, i) => {
        needed[i] = lpFinding(range, tables.minRange) !== null;
      });
      const keys = new Set(asked.filter((_, i) => !needed[i]).map(({ row, which }) => t.formKey(row, which)));
      provenByLp.push({ shown, keys });
    }
    result.applyLastResort(needed);
  }
  lap("protect");
  const shown = shownNow();
  const auditInput = {
    tables: t,
    shown,
    hidden: result.hiddenForm,
    certificates: result.certificates,
    minRange: tables.minRange,
    provenByLp,
  };
  // The release on its own, and together with the one being served: both must find nothing.
  const report = await audit(auditInput);
  lap("audit");
  const together = earlier ? await audit({ ...auditInput, earlier }) : null;
  if (together) lap("audit_together");
  // Every row with a hidden number, with which of its numbers stay shown (bit 0 numerator, 1 denominator).
  const hide: number[] = [];
  const parts: number[] = [];
  const secondary: number[] = [];
  let nPrimary = 0;
  for (let r = 0; r < t.n; r++) {
    if (primary[r] && t.s.published[r]) nPrimary++;
    if (!result.hidden[r]) continue;
    hide.push(rid[r] ?? 0);
    parts.push((result.hiddenForm[2 * r] ? 0 : 1) | (result.hiddenForm[2 * r + 1] ? 0 : 2));
    secondary.push(result.secondary[r] ?? 0);
  }
  return {
    hide: Int32Array.from(hide),
    parts: Int8Array.from(parts),
    secondary: Uint8Array.from(secondary),
    certificates: result.certificates,
    summary: {
      primary: nPrimary,
      secondary: secondary.reduce((a, b) => a + b, 0),
      certificates: result.certificates.length,
      searches: result.searches,
      patterns: result.patterns,
      rejected: result.rejected,
      unprotected: result.unprotected.length,
      knownZero: result.knownZero.length,
      audit: report,
      together: together && {
        findings: together.findings.length,
        superseded: together.superseded.length,
        first: [...together.findings, ...together.superseded].slice(0, 20),
      },
      ms,
    },
    together,
  };
}

/** Audits a stored release (statuses as published) with its certificates, and with an earlier one's. */
export async function auditStored(
  db: Database,
  tables: StepTables,
  certificates: Certificate[],
  options: { firstFinding?: boolean; earlier?: StoredRelease } = {},
): Promise<AuditReport> {
  const { t, status, parts } = await loadTables(db, tables);
  const { shown, hidden } = storedState(t, status, parts, tables);
  let earlier: EarlierForms | undefined;
  if (options.earlier)
    earlier = await loadEarlier(db, t, options.earlier, (r, which) => shown[2 * r + which] === 1);
  return audit({
    tables: t,
    shown,
    hidden,
    certificates,
    minRange: tables.minRange,
    firstFinding: options.firstFinding,
    earlier,
  });
}
