import { type EarlierForms, jointRange, keepsEarlier } from "./earlier.ts";
import { type Certificate, stepRange } from "./protect.ts";
import { type LpRange, type LpTarget, rangeByLp } from "./ranges.ts";
import { Span } from "./span.ts";
import { stopwatch } from "./stopwatch.ts";
import { type LinkedTables, MEAN_SCALE, type publishedForms, type Which } from "./system.ts";

/**
 * The disclosure audit: plays the attacker against everything one data version publishes. For every
 * hidden number (a numerator or denominator that no shown row shows), how narrow a range can be proved
 * from the published numbers (the dataset sum rules and time rules built into their forms) with
 * non-negativity, and is it a linear combination of them (a range of 0)?
 * 1. A certificate from the protection step (two whole, non-negative data sets that publish the same
 *    numbers and differ in the hidden one) is checked here against every published form touching it.
 *    One that checks out proves the range, and that the number is no combination of published ones
 *    (each such combination adds the certificate up to 0 as well, the number does not).
 * 2. Where none is given or it does not check out, the range is solved by linear programming
 *    (ranges.ts, HiGHS): min and max of the hidden number over all non-negative data with the
 *    published sums.
 * 3. A number found too narrow is named derivable when it is a linear combination of the published
 *    numbers (span.ts, modular elimination over every published form).
 * A hidden number narrower than `minRange` (or derivable, range 0) is a finding; a release with any
 * finding is not published. With the release being served (earlier.ts), the attacker knows both: its
 * published numbers join the forms, and its hidden numbers are checked again in the joint system.
 */

/** Largest number of unknown cells one linear program may have by default. */
export const LP_CELLS = 4000;

export interface AuditFinding {
  row: number;
  which: Which;
  /** The row is the earlier release's (a number it hid, given away together with this one). */
  earlier?: boolean;
  /** An earlier number with a cell corrected since: what it was before the correction. */
  superseded?: boolean;
  kind: "derivable" | "narrow" | "unchecked";
  /** The range proved (null for derivable: it is exactly known). */
  low: number | null;
  high: number | null;
}

export interface AuditReport {
  publishedForms: number;
  hiddenNumbers: number;
  /** Hidden zeros that a shown zero already tells (not leaks: see system.ts knownZeros). */
  knownZero: number;
  byCertificate: number;
  byLp: number;
  findings: AuditFinding[];
  /**
   * Hidden numbers of the earlier release that held a cell corrected since, which the two releases
   * together tell or narrow: the value before the correction. Not yet protected (README, Privacy); not
   * counted as findings, so that a correction can be published.
   */
  superseded: AuditFinding[];
  ms: Record<string, number>;
}

export interface AuditInput {
  tables: LinkedTables;
  /** Per row and number (2 × row + 0 numerator / 1 denominator): 1 when shown. */
  shown: Uint8Array;
  /** Per row and number: 1 when published at its level but hidden. */
  hidden: Uint8Array;
  certificates: Certificate[];
  /**
   * Ranges the protection step already proved wide enough by the same linear programs, each against
   * the numbers published then (by form key). A proof holds for any release publishing no more than
   * that (fewer published numbers only widen a range), which is checked here before it is used.
   */
  provenByLp?: { shown: Uint8Array; keys: Set<string> }[];
  minRange: number;
  /** Largest number of unknown cells one linear program may have (bigger systems are "unchecked"). */
  maxLpCells?: number;
  /**
   * Per row and number: the certificate protection made for it (index into certificates + 1; 0 for
   * none), tried first. Only an order: the certificate is checked as any other.
   */
  protectedBy?: Int32Array;
  /** Stop at the first finding (to tell whether a release leaks, not everything it leaks). */
  firstFinding?: boolean;
  /** The release being served, in this release's cells: audited together with it (earlier.ts). */
  earlier?: EarlierForms;
}

/** Audits one release; see the module comment. */
export function audit(input: AuditInput): Promise<AuditReport> {
  return runAudit(input);
}

/**
 * What the audit of a release alone hands to its audit together with an earlier release: the published
 * forms, the hidden numbers, the span (when one was needed; made wide enough for the joint variables)
 * and each certificate's range against what is shown. The joint audit adds only what the earlier
 * release brings.
 */
interface AloneState {
  published: PublishedForms;
  hiddenNumbers: { row: number; which: Which }[];
  knownZero: number;
  span: Span | null;
  ranges: (number | null)[];
  checked: Map<string, number | null>;
}

/**
 * Audits a release alone and together with the release being served, in one pass where they share
 * their work (the same report as audit() without and with `earlier`).
 */
export async function auditAloneAndTogether(
  input: AuditInput,
  earlier: EarlierForms,
): Promise<{ alone: AuditReport; together: AuditReport }> {
  let state: AloneState | undefined;
  const alone = await runAudit(
    { ...input, earlier: undefined },
    { spanVars: earlier.nVars, keep: (x) => (state = x) },
  );
  const together = await runAudit({ ...input, earlier }, state ? { from: state } : {});
  return { alone, together };
}

/**
 * The published numbers, each form once (by form key), with their forms written out only when asked:
 * a release whose every hidden number has a certificate needs the keys alone.
 */
class PublishedForms {
  readonly keys = new Set<string>();
  private readonly ids: number[] = [];
  private forms: ReturnType<typeof publishedForms>["published"] | null = null;
  constructor(
    private readonly t: LinkedTables,
    shown: Uint8Array,
  ) {
    for (let r = 0; r < t.n; r++)
      for (const which of [0, 1] as const) {
        if (!shown[2 * r + which] || !t.mask(r, which)) continue;
        const key = t.formKey(r, which);
        if (this.keys.has(key)) continue;
        this.keys.add(key);
        this.ids.push(2 * r + which);
        if (t.someCell(r, which, () => true)) this.count++;
      }
  }
  /** How many distinct published forms add up at least one cell. */
  readonly count: number = 0;
  /** The forms (those with at least one cell), written out at the first call. */
  list(): ReturnType<typeof publishedForms>["published"] {
    this.forms ??= this.ids.flatMap((id) => {
      const row = id >> 1;
      const which = (id & 1) as Which;
      const f = this.t.form(row, which);
      return f.vars.length > 0 ? [{ ...f, row, which }] : [];
    });
    return this.forms;
  }
}

async function runAudit(
  input: AuditInput,
  share: { spanVars?: number; keep?: (state: AloneState) => void; from?: AloneState } = {},
): Promise<AuditReport> {
  const t = input.tables;
  const { ms, lap } = stopwatch();
  const from = share.from;
  // Each distinct certificate is checked against what is shown once: most of the earlier release's
  // certificates are among this release's own (kept where they move nothing shown), and several of its
  // hidden numbers name the same one.
  const checked = from?.checked ?? new Map<string, number | null>();
  const againstShown = (c: Certificate) => {
    const key = certificateKey(c);
    let range = checked.get(key);
    if (range === undefined) {
      range = verifyAgainstShown(t, input.shown, c);
      checked.set(key, range);
    }
    return range;
  };

  // The published forms (each once) and the hidden numbers.
  const published = from?.published ?? new PublishedForms(t, input.shown);
  // a hidden 0 made only of cells some shown 0 adds up is public (system.ts knownZeros): not a leak
  const earlier = input.earlier;
  const zeros = t.knownZeros((r, which) => input.shown[2 * r + which] === 1, earlier?.zeros);
  let knownZero = 0;
  const hiddenNumbers: { row: number; which: Which }[] = [];
  if (from) {
    // an earlier release's shown zeros can only tell more zeros
    knownZero = from.knownZero;
    for (const h of from.hiddenNumbers)
      if (t.isKnownZero(h.row, h.which, zeros)) knownZero++;
      else hiddenNumbers.push(h);
  } else {
    const hiddenKeys = new Set<string>();
    for (let r = 0; r < t.n; r++) {
      for (const which of [0, 1] as const) {
        if (!input.hidden[2 * r + which] || !t.mask(r, which)) continue;
        const key = t.formKey(r, which);
        if (published.keys.has(key) || hiddenKeys.has(key)) continue;
        hiddenKeys.add(key);
        if (t.isKnownZero(r, which, zeros)) knownZero++;
        else hiddenNumbers.push({ row: r, which });
      }
    }
  }
  lap("forms");

  // 1. Certificates. One that checks out (every published number adds it up to 0) and moves a hidden
  // number proves its range, and with it that the number is no combination of published ones: such a
  // combination f = Σ λ·published would add the certificate up to 0 as well. This release's
  // certificates, and the earlier release's that still hold what it showed (their range counts the
  // earlier values of corrected cells too: earlier.ts) and that nothing shown now sees.
  const ranges = from
    ? from.ranges.map((range, i) =>
        range === null || !earlier
          ? range
          : withEarlier(t, input.certificates[i] as Certificate, range, earlier),
      )
    : input.certificates.map((c) => {
        const range = againstShown(c);
        return range === null || !earlier ? range : withEarlier(t, c, range, earlier);
      });
  const pool = [
    ...input.certificates.map((c, i) => ({ c, range: ranges[i] ?? null })),
    ...(earlier?.certificates ?? []).map((e) => ({
      c: e.now,
      range: e.holds && againstShown(e.now) !== null ? e.range : null,
    })),
  ];
  // Certificates by the (municipality, quarter) cells they move.
  const byCell = new Map<number, number[]>();
  const cellKey = (k: number, q: number) => k * t.nQ + (q - t.s.qiMin);
  pool.forEach(({ c, range }, id) => {
    if (range === null) return;
    const keys = new Set<number>();
    for (let i = 0; i < c.sign.length; i++) keys.add(cellKey(c.kunta[i] ?? 0, c.qi[i] ?? 0));
    for (const key of keys) {
      const list = byCell.get(key);
      if (list) list.push(id);
      else byCell.set(key, [id]);
    }
  });
  lap("certificates");
  let byCertificate = 0;
  // a range the protection step proved by linear programming (at least minRange wide) proves as much
  const proofs = (input.provenByLp ?? []).filter((p) => input.shown.every((x, i) => !x || p.shown[i] === 1));
  let byEarlierLp = 0;
  const open: { row: number; which: Which }[] = [];
  for (const h of hiddenNumbers) {
    const scale = t.over(h.row, h.which) === "mean" ? MEAN_SCALE : 1;
    let ok = false;
    /** Whether certificate `id` of the pool (checked above) moves the number widely enough. */
    const moves = (id: number) => {
      const { c, range } = pool[id] as { c: Certificate; range: number | null };
      if (range === null || c.component !== t.component(h.row)) return false;
      let dot = 0;
      for (let i = 0; i < c.sign.length; i++)
        dot += (c.sign[i] ?? 0) * t.coef(h.row, h.which, c.kunta[i] ?? 0, c.qi[i] ?? 0, c.atom[i] ?? 0);
      return (Math.abs(dot) / scale) * range >= input.minRange - 1e-9;
    };
    const hint = (input.protectedBy?.[2 * h.row + h.which] ?? 0) - 1;
    if (hint >= 0 && hint < input.certificates.length && moves(hint)) ok = true;
    else {
      const members: number[] = [];
      t.forMembers(h.row, (k) => members.push(k));
      const last = t.s.lastQi[h.row] ?? 0;
      const first = t.over(h.row, h.which) === "stock" ? last : t.firstQi(h.row);
      const ids = new Set<number>();
      for (const k of members)
        for (let q = first; q <= last; q++) for (const id of byCell.get(cellKey(k, q)) ?? []) ids.add(id);
      for (const id of ids)
        if (moves(id)) {
          ok = true;
          break;
        }
    }
    if (ok) byCertificate++;
    else if (proofs.some((p) => p.keys.has(t.formKey(h.row, h.which)))) byEarlierLp++;
    else open.push(h);
  }
  // the earlier release's hidden numbers: by one of its own certificates that nothing shown now sees
  // (its earlier cells it kept at 0 against everything the earlier release showed), else exact, then LP
  const earlierOpen: EarlierForms["hidden"] = [];
  let byEarlierCertificate = 0;
  for (const h of earlier?.hidden ?? []) {
    if (
      h.by.some((id) => {
        const c = earlier?.certificates[id];
        return c?.holds === true && againstShown(c.now) !== null;
      })
    )
      byEarlierCertificate++;
    else earlierOpen.push(h);
  }
  lap("by_certificate");

  // 2. Ranges of the rest by linear programming (ranges.ts): an exactly derivable number has a range of 0.
  const forms = () => [...published.list(), ...(earlier?.forms ?? [])];
  const needLp: LpTarget[] = [
    ...open.map((h) => ({
      ...h,
      ...t.form(h.row, h.which),
      scale: t.over(h.row, h.which) === "mean" ? MEAN_SCALE : 1,
    })),
    ...earlierOpen.map((h) => ({ ...h, earlier: true, superseded: h.vars.some((v) => v >= t.nVars) })),
  ];
  const lp =
    needLp.length === 0
      ? []
      : await rangeByLp(
          earlier ?? { nVars: t.nVars, value: t.s.cellValue },
          forms(),
          needLp,
          input.maxLpCells ?? LP_CELLS,
          input.firstFinding,
          (range) => lpFinding(range, input.minRange) === null,
        );
  lap("lp");

  // 3. What a finding is: a number that is a combination of published ones is named derivable, by
  // modular elimination over every published form (span.ts; built only for a release with findings).
  // Small forms first keeps the triangular rows short (the earlier release's forms come after this
  // release's when the span is the one the audit alone built).
  let span = from?.span ?? null;
  let spanHasEarlier = !earlier;
  const spanned = (): Span => {
    if (!span) {
      span = new Span(share.spanVars ?? earlier?.nVars ?? t.nVars);
      insertAll(span, forms());
    } else if (!spanHasEarlier) insertAll(span, earlier?.forms ?? []);
    spanHasEarlier = true;
    return span;
  };
  const findings: AuditFinding[] = [];
  lp.forEach((result, i) => {
    const finding = lpFinding(result, input.minRange);
    const target = needLp[i] as LpTarget;
    if (!finding) return;
    if (!spanned().contains(target.vars, target.coefs)) findings.push(finding);
    else if (target.earlier)
      findings.push({
        row: target.row,
        which: target.which,
        earlier: true,
        superseded: target.superseded === true,
        kind: "derivable",
        low: null,
        high: null,
      });
    else findings.push({ row: target.row, which: target.which, kind: "derivable", low: null, high: null });
  });
  share.keep?.({ published, hiddenNumbers, knownZero, span, ranges, checked });
  lap("exact");
  const superseded = findings.filter((f) => f.superseded);
  return {
    publishedForms: published.count,
    hiddenNumbers: hiddenNumbers.length + knownZero + (earlier?.hidden.length ?? 0),
    knownZero,
    byCertificate: byCertificate + byEarlierCertificate,
    byLp: lp.length + byEarlierLp,
    findings: findings.filter((f) => !f.superseded),
    superseded,
    ms,
  };
}

/** Inserts forms into a span, the smallest first. */
function insertAll(span: Span, forms: { vars: number[]; coefs: number[] }[]): void {
  const order = forms
    .map((_, i) => i)
    .sort((a, b) => (forms[a]?.vars.length ?? 0) - (forms[b]?.vars.length ?? 0));
  for (const i of order) {
    const f = forms[i] as { vars: number[]; coefs: number[] };
    span.insert(f.vars, f.coefs);
  }
}

/** The finding an attacker's range makes: unchecked (too big to solve), narrow, or none. */
export function lpFinding(result: LpRange, minRange: number): AuditFinding | null {
  const { scale } = result;
  if (result.low === null || result.high === null) return { ...result, kind: "unchecked" };
  let low = result.low / scale;
  let high = result.high / scale;
  // counts are whole numbers: an attacker rounds the bounds inwards
  if (scale === 1) {
    low = Math.ceil(low - 1e-6);
    high = Math.floor(high + 1e-6);
  }
  return high - low < minRange - 1e-9 ? { ...result, kind: "narrow", low, high } : null;
}

/** A certificate's cells and signs as text: equal for equal certificates. */
function certificateKey(c: Certificate): string {
  return `${c.component}|${c.kunta.join(",")}|${c.qi.join(",")}|${c.atom.join(",")}|${c.sign.join(",")}`;
}

/**
 * Checks a certificate against the published numbers: every shown number touching its cells must add
 * it up to 0, and every cell must exist. Returns the range of steps (from the true cell values: the data
 * stays non-negative for t in [−min over +cells, min over −cells]), or null when it does not hold. (With
 * an earlier release, withEarlier checks that its published numbers do not see the certificate either.)
 */
function verifyAgainstShown(t: LinkedTables, shown: Uint8Array, c: Certificate): number | null {
  const s = t.s;
  const x: number[] = [];
  for (let i = 0; i < c.sign.length; i++) {
    const v = t.varOf(c.component, c.kunta[i] ?? 0, c.qi[i] ?? 0, c.atom[i] ?? 0);
    if (!s.cellOk[v]) return null;
    x.push(s.cellValue[v] ?? 0);
  }
  // f·y grouped by municipality and quarter: a form weighs every atom it adds up of one municipality's
  // quarter alike (LinkedTables.coef), so f·y = Σ over (kunta, quarter) of that weight × the signs of
  // the atoms it adds up there; the weight is asked only where those signs do not cancel
  const groups = cellGroups(c);
  const seen = t.someRowTouchingCells(c.component, c, (r) => {
    for (const which of [0, 1] as const) {
      if (!shown[2 * r + which]) continue;
      const mask = t.mask(r, which);
      let dot = 0;
      for (let g = 0; g < groups.kunta.length; g++) {
        let signs = 0;
        for (let j = groups.start[g] ?? 0; j < (groups.start[g + 1] ?? 0); j++)
          if (mask & (1 << (groups.atom[j] ?? 0))) signs += groups.sign[j] ?? 0;
        if (signs !== 0) dot += signs * t.timeWeight(r, which, groups.kunta[g] ?? 0, groups.qi[g] ?? 0);
      }
      if (Math.abs(dot) > 1e-9) return true;
    }
    return false;
  });
  return seen ? null : stepRange(c.sign, x);
}

/** A certificate's cells grouped by (kunta, quarter): group g's atoms and signs are start[g] … start[g + 1] − 1. */
function cellGroups(c: Certificate) {
  const order = Array.from(c.sign, (_, i) => i).sort(
    (i, j) => (c.kunta[i] ?? 0) - (c.kunta[j] ?? 0) || (c.qi[i] ?? 0) - (c.qi[j] ?? 0),
  );
  const kunta: number[] = [];
  const qi: number[] = [];
  const start: number[] = [];
  const atom: number[] = [];
  const sign: number[] = [];
  for (const i of order) {
    const k = c.kunta[i] ?? 0;
    const q = c.qi[i] ?? 0;
    if (kunta.length === 0 || kunta[kunta.length - 1] !== k || qi[qi.length - 1] !== q) {
      kunta.push(k);
      qi.push(q);
      start.push(atom.length);
    }
    atom.push(c.atom[i] ?? 0);
    sign.push(c.sign[i] ?? 0);
  }
  start.push(atom.length);
  return { kunta, qi, start, atom, sign };
}

/**
 * A certificate's range (checked against what this release shows) with an earlier release: null when it
 * moves a number that release showed; with the earlier values of corrected cells stepping too, those
 * bound it as well.
 */
function withEarlier(t: LinkedTables, c: Certificate, range: number, earlier: EarlierForms): number | null {
  const vars: number[] = [];
  for (let i = 0; i < c.sign.length; i++)
    vars.push(t.varOf(c.component, c.kunta[i] ?? 0, c.qi[i] ?? 0, c.atom[i] ?? 0));
  const kept = keepsEarlier(earlier, { vars, sign: c.sign });
  if (!kept) return null;
  return kept.vars.length > vars.length ? Math.min(range, jointRange(earlier, kept)) : range;
}
