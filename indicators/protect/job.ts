import type { AtomModel } from "./atoms.ts";
import {
  type AuditFinding,
  type AuditReport,
  audit,
  auditAloneAndTogether,
  LP_CELLS,
  lpFinding,
} from "./audit.ts";
import {
  type CertificateColumns,
  certificateColumns,
  certificatesOf,
  certificatesWithRanges,
} from "./certificate-columns.ts";
import { type EarlierForms, earlierForms } from "./earlier.ts";
import { type ProtectionResult, protect } from "./protect.ts";
import { rangeByLp } from "./ranges.ts";
import { showAgain } from "./reshow.ts";
import { stopwatch } from "./stopwatch.ts";
import {
  LinkedTables,
  type OverKind,
  publishedForms,
  type SystemInput,
  scaledForm,
  shownNumbers,
  type Which,
} from "./system.ts";

/**
 * The protection and audit of a release without the database: from the columns step.ts read (typed
 * arrays, which move to another thread without a copy) to the rows to hide and the report. Pure CPU
 * work, run in a worker thread (worker.ts) so that the server answers meanwhile.
 */

/** What the protection step knows of the catalogue, the engine's codes and the settings (step.ts StepTables). */
export interface StepSettings {
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

/** The values, areas and inner cells of a release as read from the database, one typed array per column. */
export interface ReleaseColumns {
  /** Per value, in a fixed order (step.ts): the same data always gets the same protection. */
  values: Pick<
    SystemInput,
    "ind" | "cell" | "area" | "level" | "ptype" | "lastQi" | "numerator" | "denominator" | "reported"
  > & {
    rid: Int32Array;
    /** STATUSES code. */
    status: Int32Array;
    published: Int32Array;
    forced: Int32Array;
    kept: Int32Array;
    parts: Int32Array;
  };
  /** Per (municipality, level): its area. */
  areas: { kid: Int32Array; level: Int32Array; areaId: Int32Array };
  /** Per inner cell: atom (global index into model.atoms), municipality, quarter, value, ok (1/0). */
  cells: { atom: Int32Array; kid: Int32Array; qi: Int32Array; value: Float64Array; ok: Int32Array };
}

/** A release as stored (the one being served, or an earlier one): its columns and its certificates. */
export interface StoredColumns {
  settings: StepSettings;
  columns: ReleaseColumns;
  certificates: CertificateColumns;
}

/** The linked tables of a set of values, with their row ids, statuses, and what stays shown or hidden. */
export function linkTables(columns: ReleaseColumns, settings: StepSettings) {
  const { rid, status, published, forced, kept, parts, ...system } = columns.values;
  const { lastQi, reported } = system;
  const { areas } = columns;
  let nLevels = 0;
  let nArea = 0;
  for (let i = 0; i < areas.kid.length; i++) {
    nLevels = Math.max(nLevels, (areas.level[i] ?? 0) + 1);
    nArea = Math.max(nArea, (areas.areaId[i] ?? 0) + 1);
  }
  const nKunta = new Set(areas.kid).size;
  const areaOf = Array.from({ length: nLevels }, () => new Int32Array(nKunta).fill(-1));
  const areaLevel = new Int32Array(nArea);
  const areaMembers: number[][] = Array.from({ length: nArea }, () => []);
  for (let i = 0; i < areas.kid.length; i++) {
    const [kid, lvl, id] = [areas.kid[i] ?? 0, areas.level[i] ?? 0, areas.areaId[i] ?? 0];
    (areaOf[lvl] as Int32Array)[kid] = id;
    areaLevel[id] = lvl;
    if (lvl !== settings.kuntaLevel) areaMembers[id]?.push(kid);
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
  const model = settings.model;
  const input: SystemInput = {
    ...system,
    published: Uint8Array.from(published, (p, r) => (p && (reported[r] ?? 0) > 0 ? 1 : 0)),
    indicators: settings.overs.map((over, i) => ({
      component: model.componentOf[i] ?? -1,
      masks: model.masks[i] ?? [],
      over,
      cells: settings.cellsPerIndicator[i] ?? 1,
      addsParts: settings.addsParts[i] ?? false,
    })),
    componentAtoms: model.components.map((c) => c.atoms.length),
    cellValue: new Float64Array(0),
    cellOk: new Uint8Array(0),
    nKunta,
    areaOf,
    kuntaLevel: settings.kuntaLevel,
    areaLevel,
    areaMembers,
    qiMin,
    qiMax,
    quarterType: settings.quarterType,
    yearType: settings.yearType,
    rollingType: settings.rollingType,
    threshold: settings.threshold,
  };
  const t = new LinkedTables(input);
  input.cellValue = new Float64Array(t.nVars);
  input.cellOk = new Uint8Array(t.nVars);
  const { atom, kid, qi, value, ok } = columns.cells;
  for (let i = 0; i < atom.length; i++) {
    const a = model.atoms[atom[i] ?? 0];
    const q = qi[i] ?? 0;
    if (!a || q < qiMin || q > qiMax) continue;
    const v = t.varOf(a.component, kid[i] ?? 0, q, a.index);
    input.cellValue[v] = value[i] ?? 0;
    input.cellOk[v] = ok[i] ?? 0;
  }
  return { t, rid, status, parts, forced: Uint8Array.from(forced), kept: Uint8Array.from(kept) };
}

/** The joint forms of a stored earlier release, in the variables of t (earlier.ts). */
function linkEarlier(
  t: LinkedTables,
  stored: StoredColumns,
  repeats: (r: number, which: 0 | 1) => boolean,
): EarlierForms {
  const before = linkTables(stored.columns, stored.settings);
  const { shown, hidden } = storedState(before.t, before.status, before.parts, stored.settings);
  const certificates = certificatesOf(stored.certificates);
  return earlierForms(
    t,
    before.t,
    { shown, hidden, certificates, minRange: stored.settings.minRange },
    repeats,
  );
}

/** What a stored release shows and hides, per row and number (2 × row + which), as audit.ts reads it. */
function storedState(t: LinkedTables, status: Int32Array, parts: Int32Array, settings: StepSettings) {
  const shown = new Uint8Array(2 * t.n);
  const hidden = new Uint8Array(2 * t.n);
  for (let r = 0; r < t.n; r++) {
    if (!t.s.published[r]) continue;
    const hiddenRow = status[r] === settings.suppressedCode;
    if (!hiddenRow && !settings.shownCodes.includes(status[r] ?? -1)) continue;
    for (const which of [0, 1] as const) {
      const bit = 1 << which;
      if (hiddenRow && !((parts[r] ?? 0) & bit)) hidden[2 * r + which] = 1;
      else shown[2 * r + which] = 1;
    }
  }
  return { shown, hidden };
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
  /** Figures hidden for others that new certificates went round, shown again (reshow.ts). */
  shownAgain: number;
  audit: AuditReport;
  /** The audit together with the release being served (earlier.ts), when there was one. */
  together: { findings: number; superseded: number; first: AuditFinding[] } | null;
  ms: Record<string, number>;
  /** Parts of the release protected side by side, one worker thread each (split.ts). */
  parts: number;
}

/** Numbers per round whose pattern through the whole country waits for the linear program's answer. */
const LAST_RESORT_LP = 200;

/** A computed release to protect, with the one being served when there is one. */
export interface ProtectJob {
  settings: StepSettings;
  columns: ReleaseColumns;
  served?: StoredColumns;
}

/** What protecting a release gives: rows with a hidden number (by rid), their certificates, the summary. */
export interface ProtectOutcome {
  hide: Int32Array;
  /** Per hidden row, the numbers it still shows (bit 0 numerator, bit 1 denominator). */
  parts: Int8Array;
  /** Per hidden row: 1 when hidden for others (secondary). */
  secondary: Uint8Array;
  certificates: CertificateColumns & { range: Float64Array };
  summary: ProtectionSummary;
}

/**
 * Protects and audits a computed release: the rows to hide (secondary) by rid, and the report. With
 * `served` (the release being served, as stored), the new release is protected and audited together
 * with everything that one published (earlier.ts).
 */
export async function protectColumns(job: ProtectJob): Promise<ProtectOutcome> {
  const { settings } = job;
  const { ms, lap } = stopwatch();
  const { t, rid, status, forced, kept } = linkTables(job.columns, settings);
  lap("link");
  let earlier: EarlierForms | undefined;
  if (job.served) {
    earlier = linkEarlier(t, job.served, (r, which) => (((forced[r] ?? 0) >> which) & 1) === 1);
    lap("earlier");
  }
  const primary = Uint8Array.from(status, (st) => (st === settings.suppressedCode ? 1 : 0));
  const result = protect({
    tables: t,
    primary,
    forced,
    // what the served release hid stays hidden only with that release linked: its certificates protect
    // it again (without them, a number it hid may have no pattern left that keeps the rest shown)
    ...(earlier ? { kept } : {}),
    minRange: settings.minRange,
    topLevel: settings.topLevel,
    ...(earlier ? { earlier } : {}),
  });
  const shownNow = () => shownNumbers(t, result.hiddenForm);
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
      const targets = asked.map(({ row, which, earlier: form }) => ({
        row,
        which,
        ...(form ?? scaledForm(t, row, which)),
      }));
      const forms = [...publishedForms(t, shown).published, ...(earlier?.forms ?? [])];
      const ranges = await rangeByLp(
        earlier ?? { nVars: t.nVars, value: t.s.cellValue },
        forms,
        targets,
        LP_CELLS,
        false,
        (range) => lpFinding(range, settings.minRange) === null,
      );
      ranges.forEach((range, i) => {
        needed[i] = lpFinding(range, settings.minRange) !== null;
      });
      const keys = new Set(
        asked.filter((w, i) => !needed[i] && !w.earlier).map(({ row, which }) => t.formKey(row, which)),
      );
      provenByLp.push({ shown, keys });
    }
    result.applyLastResort(needed);
  }
  lap("protect");
  // Figures hidden for others that new certificates can go round are shown again (reshow.ts), in a
  // release that stands alone: with a served one, a new certificate would have to keep every number
  // that release published as well, which its programs do not model yet.
  const shownAgain = earlier ? 0 : await showAgainWhereUnneeded(t, result, settings, provenByLp);
  if (!earlier) lap("show_again");
  const shown = shownNow();
  const auditInput = {
    tables: t,
    shown,
    hidden: result.hiddenForm,
    certificates: result.certificates,
    protectedBy: result.protectedBy,
    minRange: settings.minRange,
    provenByLp,
  };
  // The release on its own, and together with the one being served: both must find nothing (compute.ts).
  // Where the release being served showed nothing this one does not show and hid nothing this one does
  // not hide (no value changed), the two together tell what this one tells alone: the same audit.
  const addsNothing = !earlier || (earlier.forms.length === 0 && earlier.hidden.length === 0);
  let report: AuditReport;
  let together: AuditReport | null = null;
  if (earlier && !addsNothing) {
    ({ alone: report, together } = await auditAloneAndTogether(auditInput, earlier));
    lap("audit_and_together");
  } else {
    report = await audit(auditInput);
    lap("audit");
    if (earlier) together = report;
  }
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
    certificates: certificateColumns(result.certificates),
    summary: {
      primary: nPrimary,
      secondary: secondary.reduce((a, b) => a + b, 0),
      certificates: result.certificates.length,
      searches: result.searches,
      patterns: result.patterns,
      rejected: result.rejected,
      unprotected: result.unprotected.length,
      knownZero: result.knownZero.length,
      shownAgain,
      audit: report,
      together: together && {
        findings: together.findings.length,
        superseded: together.superseded.length,
        first: [...together.findings, ...together.superseded].slice(0, 20),
      },
      ms,
      parts: 1,
    },
  };
}

/**
 * Shows again the county figures that protection hid for others and that no hidden number needs any
 * more (reshow.ts), each county's largest first. A component holding a hidden number that neither a
 * certificate nor a linear program protects is left as it is. The numbers the linear programs proved
 * wide enough are proved again against what is shown after the pass; where one is not, the pass is
 * undone and run again without their components. Returns the rows shown again.
 */
async function showAgainWhereUnneeded(
  t: LinkedTables,
  result: ProtectionResult,
  settings: StepSettings,
  provenByLp: { shown: Uint8Array; keys: Set<string> }[],
): Promise<number> {
  const s = t.s;
  const known = new Set(result.knownZero.map(({ row, which }) => 2 * row + which));
  const proved = new Set(provenByLp.flatMap((p) => [...p.keys]));
  const left = new Set<number>();
  const byLp: { row: number; which: Which }[] = [];
  for (let x = 0; x < 2 * t.n; x++) {
    const row = x >> 1;
    const which = (x & 1) as Which;
    if (!result.hiddenForm[x] || result.protectedBy[x] || !t.mask(row, which) || known.has(x)) continue;
    if (proved.has(t.formKey(row, which))) byLp.push({ row, which });
    else left.add(t.component(row));
  }
  const regionLevel = settings.topLevel - 1;
  const size = (r: number) => Math.max(s.numerator[r] ?? 0, s.denominator[r] ?? 0);
  const pass = (skip: Set<number>) => {
    const candidates: number[] = [];
    for (let r = 0; r < t.n; r++)
      if (result.secondary[r] && s.published[r] && s.level[r] === regionLevel && !skip.has(t.component(r)))
        candidates.push(r);
    candidates.sort((a, b) => size(b) - size(a) || a - b);
    return showAgain({
      tables: t,
      hiddenForm: result.hiddenForm,
      hidden: result.hidden,
      secondary: result.secondary,
      certificates: result.certificates,
      protectedBy: result.protectedBy,
      minRange: settings.minRange,
      candidates,
      needsNone: (r, which) => known.has(2 * r + which),
      regionLevel,
    });
  };
  const before = {
    hiddenForm: result.hiddenForm.slice(),
    hidden: result.hidden.slice(),
    secondary: result.secondary.slice(),
    protectedBy: result.protectedBy.slice(),
    certificates: [...result.certificates],
  };
  let again = await pass(left);
  if (again.shown === 0 || byLp.length === 0) return again.shown;
  const shown = shownNumbers(t, result.hiddenForm);
  const targets = byLp.map(({ row, which }) => ({ row, which, ...scaledForm(t, row, which) }));
  const ranges = await rangeByLp(
    { nVars: t.nVars, value: s.cellValue },
    publishedForms(t, shown).published,
    targets,
    LP_CELLS,
    false,
    (range) => lpFinding(range, settings.minRange) === null,
  );
  if (ranges.every((range) => lpFinding(range, settings.minRange) === null)) {
    provenByLp.push({ shown, keys: new Set(byLp.map(({ row, which }) => t.formKey(row, which))) });
    return again.shown;
  }
  result.hiddenForm.set(before.hiddenForm);
  result.hidden.set(before.hidden);
  result.secondary.set(before.secondary);
  result.protectedBy.set(before.protectedBy);
  result.certificates.splice(0, result.certificates.length, ...before.certificates);
  for (const { row } of byLp) left.add(t.component(row));
  again = await pass(left);
  return again.shown;
}

/** A stored release to audit (statuses as published) with its certificates, and an earlier one's. */
export interface AuditJob {
  release: StoredColumns & { certificates: CertificateColumns & { range: Float64Array } };
  firstFinding?: boolean;
  earlier?: StoredColumns;
}

/** Audits a stored release as published, alone or together with an earlier one (earlier.ts). */
export function auditColumns(job: AuditJob): Promise<AuditReport> {
  const { settings, columns } = job.release;
  const { t, status, parts } = linkTables(columns, settings);
  const { shown, hidden } = storedState(t, status, parts, settings);
  const earlier = job.earlier
    ? linkEarlier(t, job.earlier, (r, which) => shown[2 * r + which] === 1)
    : undefined;
  return audit({
    tables: t,
    shown,
    hidden,
    certificates: certificatesWithRanges(job.release.certificates),
    minRange: settings.minRange,
    firstFinding: job.firstFinding,
    earlier,
  });
}

/** The jobs a worker thread runs (worker.ts): each one's input and result. */
export interface Jobs {
  protect: [ProtectJob, ProtectOutcome];
  audit: [AuditJob, AuditReport];
}

/** Runs a job here, on this thread. */
export const JOBS: { [K in keyof Jobs]: (input: Jobs[K][0]) => Promise<Jobs[K][1]> } = {
  protect: protectColumns,
  audit: auditColumns,
};
