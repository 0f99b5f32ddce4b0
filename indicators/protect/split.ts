import type { AuditReport } from "./audit.ts";
import type { CertificateColumns } from "./certificate-columns.ts";
import type {
  AuditJob,
  ProtectJob,
  ProtectOutcome,
  ReleaseColumns,
  StepSettings,
  StoredColumns,
} from "./job.ts";

/**
 * A release's table systems shared among worker threads. The components of the atom model share no
 * inner cell (atoms.ts), so no published form of one sees a cell of another: each component's rows,
 * cells and certificates are protected and audited as a system of their own, and a release split by
 * component is protected as it would be whole. Components go to parts by their number of values
 * times their atoms, the largest first into the part with the least so far.
 */

/** Which part each component goes to (parts ≤ wanted; components with no values go to part 0). */
export function componentParts(job: { settings: StepSettings; columns: ReleaseColumns }, wanted: number) {
  const { model } = job.settings;
  const weight = new Float64Array(model.components.length);
  // a value over more atoms takes more work (more forms to check, more atom pairs to try): on the
  // bench's data, kuntouttava's 16 atoms took about twice the time per value of the rest
  for (const ind of job.columns.values.ind) {
    const comp = model.componentOf[ind] ?? -1;
    if (comp >= 0) weight[comp] = (weight[comp] ?? 0) + (model.components[comp]?.atoms.length ?? 1);
  }
  const order = Array.from(weight.keys()).sort((a, b) => (weight[b] ?? 0) - (weight[a] ?? 0));
  const load = new Float64Array(Math.max(1, wanted));
  const partOf = new Int32Array(weight.length);
  for (const comp of order) {
    let lightest = 0;
    for (let p = 1; p < load.length; p++) if ((load[p] ?? 0) < (load[lightest] ?? 0)) lightest = p;
    partOf[comp] = lightest;
    load[lightest] = (load[lightest] ?? 0) + (weight[comp] ?? 0);
  }
  const used = [...new Set(Array.from(load.keys()).filter((p) => (load[p] ?? 0) > 0))];
  // renumbered to 0…parts−1 in order of use
  const index = new Map(used.map((p, i) => [p, i]));
  return { parts: Math.max(1, used.length), partOf: Int32Array.from(partOf, (p) => index.get(p) ?? 0) };
}

type Column = Int32Array | Float64Array | Int8Array | Uint8Array;

/** The entries of a typed array at the given indexes, as an array of the same type. */
function pick<T extends Column>(column: T, at: number[]): T {
  const out = new (column.constructor as new (n: number) => T)(at.length);
  at.forEach((i, j) => {
    out[j] = column[i] as number;
  });
  return out;
}

/** Every column of an object of typed arrays at the given indexes. */
function pickAll<T extends { [K in keyof T]: Column }>(columns: T, at: number[]): T {
  return Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, pick(c as Column, at)])) as T;
}

/** Indexes 0…n−1 grouped by part. */
function groups(n: number, parts: number, partAt: (i: number) => number): number[][] {
  const out: number[][] = Array.from({ length: parts }, () => []);
  for (let i = 0; i < n; i++) out[partAt(i)]?.push(i);
  return out;
}

/** A release's columns split by part (every part keeps every area). */
function splitColumns(columns: ReleaseColumns, settings: StepSettings, parts: number, partOf: Int32Array) {
  const { model } = settings;
  const partOfComp = (comp: number) => (comp >= 0 ? (partOf[comp] ?? 0) : 0);
  const rows = groups(columns.values.ind.length, parts, (i) =>
    partOfComp(model.componentOf[columns.values.ind[i] ?? 0] ?? -1),
  );
  const cells = groups(columns.cells.atom.length, parts, (i) =>
    partOfComp(model.atoms[columns.cells.atom[i] ?? 0]?.component ?? -1),
  );
  return rows.map(
    (at, p): ReleaseColumns => ({
      values: pickAll(columns.values, at),
      // a copy each: a part's arrays move to its own thread
      areas: {
        kid: columns.areas.kid.slice(),
        level: columns.areas.level.slice(),
        areaId: columns.areas.areaId.slice(),
      },
      cells: pickAll(columns.cells, cells[p] ?? []),
    }),
  );
}

/** Certificates (one row per term, ids in order) split by part, each part's ids from 0 with its ranges. */
function splitCertificates<C extends CertificateColumns & { range?: Float64Array }>(
  c: C,
  parts: number,
  partOf: Int32Array,
): C[] {
  const terms = groups(c.id.length, parts, (i) => partOf[c.component[i] ?? 0] ?? 0);
  return terms.map((at) => {
    const { range, id, component, kid, qi, atom, sign } = c;
    const picked: CertificateColumns = pickAll({ id, component, kid, qi, atom, sign }, at);
    // renumbered 0, 1, … in order, keeping each certificate's range
    const ids: number[] = [];
    let last = -1;
    for (let j = 0; j < picked.id.length; j++) {
      const id = picked.id[j] ?? 0;
      if (id !== last) {
        ids.push(id);
        last = id;
      }
      picked.id[j] = ids.length - 1;
    }
    return (range
      ? { ...picked, range: Float64Array.from(ids, (i) => range[i] ?? 0) }
      : picked) as unknown as C;
  });
}

function splitStored(stored: StoredColumns, parts: number, partOf: Int32Array): StoredColumns[] {
  const columns = splitColumns(stored.columns, stored.settings, parts, partOf);
  const certificates = splitCertificates(stored.certificates, parts, partOf);
  return columns.map((c, p) => ({
    settings: stored.settings,
    columns: c,
    certificates: certificates[p] as CertificateColumns,
  }));
}

/** A protection job split into at most `wanted` jobs by component. */
export function splitProtectJob(job: ProtectJob, wanted: number): ProtectJob[] {
  const { parts, partOf } = componentParts(job, wanted);
  if (parts === 1) return [job];
  const columns = splitColumns(job.columns, job.settings, parts, partOf);
  const served = job.served ? splitStored(job.served, parts, partOf) : undefined;
  return columns.map((c, p) => ({
    settings: job.settings,
    columns: c,
    ...(served ? { served: served[p] as StoredColumns } : {}),
  }));
}

/** An audit job split into at most `wanted` jobs by component. */
export function splitAuditJob(job: AuditJob, wanted: number): AuditJob[] {
  const { parts, partOf } = componentParts(job.release, wanted);
  if (parts === 1) return [job];
  const columns = splitColumns(job.release.columns, job.release.settings, parts, partOf);
  const certificates = splitCertificates(job.release.certificates, parts, partOf);
  const earlier = job.earlier ? splitStored(job.earlier, parts, partOf) : undefined;
  return columns.map((c, p) => ({
    release: {
      settings: job.release.settings,
      columns: c,
      certificates: certificates[p] as AuditJob["release"]["certificates"],
    },
    ...(job.firstFinding !== undefined ? { firstFinding: job.firstFinding } : {}),
    ...(earlier ? { earlier: earlier[p] as StoredColumns } : {}),
  }));
}

/** Milliseconds per step of parts run side by side: the longest part's. */
function longest(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ms of all) for (const [k, v] of Object.entries(ms)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** The audit reports of the parts as one. */
export function mergeReports(reports: AuditReport[]): AuditReport {
  if (reports.length === 1) return reports[0] as AuditReport;
  const sum = (key: "publishedForms" | "hiddenNumbers" | "knownZero" | "byCertificate" | "byLp") =>
    reports.reduce((a, r) => a + r[key], 0);
  return {
    publishedForms: sum("publishedForms"),
    hiddenNumbers: sum("hiddenNumbers"),
    knownZero: sum("knownZero"),
    byCertificate: sum("byCertificate"),
    byLp: sum("byLp"),
    findings: reports.flatMap((r) => r.findings),
    superseded: reports.flatMap((r) => r.superseded),
    ms: longest(reports.map((r) => r.ms)),
  };
}

/** Concatenated typed arrays of one kind. */
function concat<T extends Column>(parts: T[]): T {
  const first = parts[0] as T;
  const out = new (first.constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as never, at);
    at += p.length;
  }
  return out;
}

/** The outcomes of the parts of a protection job as one (certificates renumbered after each other). */
export function mergeOutcomes(outcomes: ProtectOutcome[]): ProtectOutcome {
  if (outcomes.length === 1) return outcomes[0] as ProtectOutcome;
  const certificates = outcomes.map((o) => o.certificates);
  let offset = 0;
  const ids = certificates.map((c) => {
    const shifted = Int32Array.from(c.id, (id) => id + offset);
    offset += c.range.length;
    return shifted;
  });
  const summaries = outcomes.map((o) => o.summary);
  const add = (
    key:
      | "primary"
      | "secondary"
      | "certificates"
      | "searches"
      | "patterns"
      | "unprotected"
      | "knownZero"
      | "shownAgain"
      | "parts",
  ) => summaries.reduce((a, s) => a + s[key], 0);
  const rejected: Record<string, number> = {};
  for (const s of summaries)
    for (const [k, v] of Object.entries(s.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
  const together = summaries.map((s) => s.together);
  return {
    hide: concat(outcomes.map((o) => o.hide)),
    parts: concat(outcomes.map((o) => o.parts)),
    secondary: concat(outcomes.map((o) => o.secondary)),
    certificates: {
      id: concat(ids),
      component: concat(certificates.map((c) => c.component)),
      kid: concat(certificates.map((c) => c.kid)),
      qi: concat(certificates.map((c) => c.qi)),
      atom: concat(certificates.map((c) => c.atom)),
      sign: concat(certificates.map((c) => c.sign)),
      range: concat(certificates.map((c) => c.range)),
    },
    summary: {
      primary: add("primary"),
      secondary: add("secondary"),
      certificates: add("certificates"),
      searches: add("searches"),
      patterns: add("patterns"),
      rejected,
      unprotected: add("unprotected"),
      knownZero: add("knownZero"),
      shownAgain: add("shownAgain"),
      audit: mergeReports(summaries.map((s) => s.audit)),
      together: together.every((x) => x === null)
        ? null
        : {
            findings: together.reduce((a, x) => a + (x?.findings ?? 0), 0),
            superseded: together.reduce((a, x) => a + (x?.superseded ?? 0), 0),
            first: together.flatMap((x) => x?.first ?? []).slice(0, 20),
          },
      ms: longest(summaries.map((s) => s.ms)),
      parts: add("parts"),
    },
  };
}
