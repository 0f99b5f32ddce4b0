import { type Certificate, stepRange } from "./protect.ts";
import { type LinkedTables, MEAN_SCALE, type Which } from "./system.ts";

/**
 * The release being served, as the attacker of the next one knows it (rule 3 of issue 2.1: releases
 * must not undo each other). Its published numbers stay public after a correction or a late report has
 * changed them, so the next release is protected and audited together with them: every number the
 * earlier release showed and the new one does not repeat becomes one more published form, over the new
 * release's inner cells where a cell kept its value, and over a variable of its own (the earlier value,
 * unknown to the attacker unless published) where a correction changed it. The earlier release's hidden
 * numbers are checked again in that joint system. (A cell reported late was in no earlier form.)
 * The earlier release's certificates still protect its hidden numbers where no number this release
 * shows sees them: protection hides what would (protect.ts), the audit checks it (audit.ts).
 */

/** A linear form over the joint variables (this release's cells, then earlier values of changed cells). */
export interface JointForm {
  vars: number[];
  coefs: number[];
}

/**
 * An earlier certificate in the joint variables: its step on every joint variable, its range, and its
 * cells in this release (the part this release's numbers can see). A cell corrected since steps in its
 * earlier value (seen only by earlier numbers, which the certificate kept at 0); each certificate with
 * such a cell comes twice, with the cell's value now taking the same step ("lifted": a sum the
 * correction left unchanged sees it as before) and without it (the new value may be too small to move,
 * and this release's numbers do not see the earlier value).
 */
export interface EarlierCertificate {
  vars: number[];
  sign: number[];
  range: number;
  now: Certificate;
  /** Whether it keeps every number the earlier release showed where it was (checked, not assumed). */
  holds: boolean;
  /** Whether the new values of corrected cells step too (see above). */
  lifted: boolean;
}

/** The earlier release's numbers in this release's variables. */
export interface EarlierForms {
  /** Numbers the earlier release showed that this one does not show with the same form. */
  forms: JointForm[];
  /**
   * The earlier release's hidden numbers that this release's own audit does not cover, each with its
   * scale and the earlier certificates that moved it widely enough (`by`, indexes into certificates).
   */
  hidden: (JointForm & { row: number; which: Which; scale: number; by: number[] })[];
  certificates: EarlierCertificate[];
  /** Joint variables: this release's t.nVars cells, then one per changed cell the earlier forms use. */
  nVars: number;
  /** The true value of every joint variable. */
  value: Float64Array;
  /** Per joint variable: the earlier forms adding it up, with its weight. */
  formsOf: Map<number, { form: number; coef: number }[]>;
  /** Per cell of this release corrected since: the joint variable of its earlier value. */
  phantomOf: Map<number, number>;
  /** Cells of this release an earlier shown zero adds up: 0 for everyone (system.ts knownZeros). */
  zeros: number[];
}

/**
 * The earlier release's forms, given its linked tables and what it showed and hid, in the variables
 * of `t`; `repeats(r, which)` tells whether this release keeps row r's number shown (rows published
 * before with the same numbers are kept shown: protect.ts `forced`).
 */
export function earlierForms(
  t: LinkedTables,
  earlier: LinkedTables,
  release: { shown: Uint8Array; hidden: Uint8Array; certificates: Certificate[]; minRange: number },
  repeats: (r: number, which: Which) => boolean,
): EarlierForms {
  const { shown, hidden } = release;
  const s = t.s;
  const values: number[] = [];
  const mapped = new Map<number, number>();
  const phantomOf = new Map<number, number>();
  /** The joint variable of an earlier cell: the same cell when its value held, else its own. */
  const jointVar = (v: number): number => {
    const known = mapped.get(v);
    if (known !== undefined) return known;
    const c = earlier.cellOf(v);
    let out = -1;
    if (c.qi >= s.qiMin && c.qi <= s.qiMax && c.kunta < s.nKunta) {
      const now = t.varOf(c.component, c.kunta, c.qi, c.atom);
      if (s.cellOk[now] === earlier.s.cellOk[v] && s.cellValue[now] === earlier.s.cellValue[v]) out = now;
    }
    if (out < 0) {
      out = t.nVars + values.length;
      values.push(earlier.s.cellValue[v] ?? 0);
      if (c.qi >= s.qiMin && c.qi <= s.qiMax && c.kunta < s.nKunta)
        phantomOf.set(t.varOf(c.component, c.kunta, c.qi, c.atom), out);
    }
    mapped.set(v, out);
    return out;
  };
  const es = earlier.s;
  /** This release's row of the same indicator, cell, area and period as an earlier row, or -1. */
  const rowNow = (r: number) =>
    t.rowAt(es.ind[r] ?? 0, es.cell[r] ?? 0, es.area[r] ?? 0, es.ptype[r] ?? 0, es.lastQi[r] ?? 0);
  /** This release's row of an earlier row, when it shows the same form (same cells, same members). */
  const sameRow = (r: number, which: Which, vars: number[]): number => {
    if (vars.some((v) => v >= t.nVars)) return -1;
    const now = rowNow(r);
    return now >= 0 && t.formKey(now, which) === earlier.formKey(r, which) ? now : -1;
  };
  // Per component, municipality and quarter of this release: whether an earlier cell there changed.
  const nQ = s.qiMax - s.qiMin + 1;
  const changed = new Uint8Array(Math.max(1, s.componentAtoms.length * s.nKunta * nQ));
  for (let v = 0; v < earlier.nVars; v++) {
    const c = earlier.cellOf(v);
    if (c.qi < s.qiMin || c.qi > s.qiMax || c.kunta >= s.nKunta) continue;
    const now = t.varOf(c.component, c.kunta, c.qi, c.atom);
    if (s.cellOk[now] !== es.cellOk[v] || s.cellValue[now] !== es.cellValue[v])
      changed[(c.component * s.nKunta + c.kunta) * nQ + (c.qi - s.qiMin)] = 1;
  }
  /** Whether an earlier row adds up a municipal quarter whose cells changed since. */
  const touchesChange = (r: number): boolean => {
    const comp = earlier.component(r);
    const last = es.lastQi[r] ?? 0;
    let hit = false;
    earlier.forMembers(r, (k) => {
      for (let q = Math.max(earlier.firstQi(r), s.qiMin); q <= Math.min(last, s.qiMax); q++)
        if (changed[(comp * s.nKunta + k) * nQ + (q - s.qiMin)]) hit = true;
    });
    return hit;
  };
  const forms: JointForm[] = [];
  const zeros: number[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < earlier.n; r++)
    for (const which of [0, 1] as const) {
      if (!shown[2 * r + which] || !earlier.mask(r, which)) continue;
      const key = earlier.formKey(r, which);
      if (seen.has(key)) continue;
      seen.add(key);
      // the same number, shown again over the same unchanged cells, says nothing new
      const now = rowNow(r);
      if (now >= 0 && repeats(now, which) && !touchesChange(r) && t.formKey(now, which) === key) continue;
      const f = earlier.form(r, which);
      if (f.vars.length === 0) continue;
      const vars = f.vars.map(jointVar);
      if (earlier.formValue(r, which) === 0) for (const v of vars) if (v < t.nVars) zeros.push(v);
      forms.push({ vars, coefs: f.coefs });
    }
  const out: EarlierForms["hidden"] = [];
  const keys = new Set<string>();
  const earlierZeros = earlier.knownZeros((r, which) => shown[2 * r + which] === 1);
  for (let r = 0; r < earlier.n; r++)
    for (const which of [0, 1] as const) {
      if (!hidden[2 * r + which] || !earlier.mask(r, which)) continue;
      const key = earlier.formKey(r, which);
      if (keys.has(key) || earlier.isKnownZero(r, which, earlierZeros)) continue;
      keys.add(key);
      const f = earlier.form(r, which);
      const vars = f.vars.map(jointVar);
      // the same form in this release is audited there, shown or hidden
      if (sameRow(r, which, vars) >= 0) continue;
      out.push({
        vars,
        coefs: f.coefs,
        row: r,
        which,
        scale: earlier.over(r, which) === "mean" ? MEAN_SCALE : 1,
        by: [],
      });
    }
  const certificates: EarlierCertificate[] = release.certificates.flatMap((c) => {
    /** The certificate in the joint variables, with the new values of corrected cells stepping or not. */
    const variant = (lifted: boolean): EarlierCertificate => {
      const vars: number[] = [];
      const sign: number[] = [];
      const now = { kunta: [] as number[], qi: [] as number[], atom: [] as number[], sign: [] as number[] };
      for (let i = 0; i < c.sign.length; i++) {
        const kunta = c.kunta[i] ?? 0;
        const qi = c.qi[i] ?? 0;
        const atom = c.atom[i] ?? 0;
        const step = c.sign[i] ?? 0;
        const v = jointVar(earlier.varOf(c.component, kunta, qi, atom));
        vars.push(v);
        sign.push(step);
        if (v >= t.nVars) {
          if (!lifted || qi < s.qiMin || qi > s.qiMax || kunta >= s.nKunta) continue;
          const cell = t.varOf(c.component, kunta, qi, atom);
          if (!s.cellOk[cell]) continue;
          vars.push(cell);
          sign.push(step);
        }
        now.kunta.push(kunta);
        now.qi.push(qi);
        now.atom.push(atom);
        now.sign.push(step);
      }
      const certificate: Certificate = {
        component: c.component,
        kunta: Int32Array.from(now.kunta),
        qi: Int32Array.from(now.qi),
        atom: Int32Array.from(now.atom),
        sign: Int8Array.from(now.sign),
        range: 0,
      };
      return { vars, sign, range: 0, now: certificate, holds: false, lifted };
    };
    const lifted = variant(true);
    return lifted.vars.some((v) => v >= t.nVars) ? [lifted, variant(false)] : [lifted];
  });
  const nVars = t.nVars + values.length;
  const value = new Float64Array(nVars);
  value.set(s.cellValue.subarray(0, t.nVars));
  value.set(values, t.nVars);
  // the data may move by a certificate's steps while every cell, old or new, stays ≥ 0
  const byVar = new Map<number, number[]>();
  certificates.forEach((c, id) => {
    c.range = stepRange(
      c.sign,
      c.vars.map((v) => value[v] ?? 0),
    );
    c.now.range = c.range;
    for (const v of c.vars) {
      const list = byVar.get(v);
      if (list) list.push(id);
      else byVar.set(v, [id]);
    }
  });
  for (const h of out) {
    const ids = new Set<number>();
    for (const v of h.vars) for (const id of byVar.get(v) ?? []) ids.add(id);
    for (const id of ids) {
      const c = certificates[id] as EarlierCertificate;
      let dot = 0;
      c.vars.forEach((v, i) => {
        const at = h.vars.indexOf(v);
        if (at >= 0) dot += (h.coefs[at] ?? 0) * (c.sign[i] ?? 0);
      });
      if ((Math.abs(dot) / h.scale) * c.range >= release.minRange - 1e-9) h.by.push(id);
    }
  }
  const formsOf = new Map<number, { form: number; coef: number }[]>();
  forms.forEach((f, form) => {
    f.vars.forEach((v, i) => {
      const entry = { form, coef: f.coefs[i] ?? 0 };
      const list = formsOf.get(v);
      if (list) list.push(entry);
      else formsOf.set(v, [entry]);
    });
  });
  const joint = { forms, hidden: out, certificates, nVars, value, formsOf, phantomOf, zeros };
  for (const c of certificates) c.holds = !movesEarlier(joint, c);
  return joint;
}

/**
 * Whether a perturbation of this release's cells (var, step) changes an earlier published number:
 * such a pattern is no certificate, since the earlier number stays public. A form with a changed cell
 * is held to it too (its own unknown could absorb the step, but that is not counted on).
 */
export function movesEarlier(
  earlier: EarlierForms,
  cells: { vars: ArrayLike<number>; sign: ArrayLike<number> },
) {
  if (earlier.forms.length === 0) return false;
  const sums = new Map<number, number>();
  for (let i = 0; i < cells.vars.length; i++)
    for (const { form, coef } of earlier.formsOf.get(cells.vars[i] ?? -1) ?? [])
      sums.set(form, (sums.get(form) ?? 0) + coef * (cells.sign[i] ?? 0));
  for (const sum of sums.values()) if (Math.abs(sum) > 1e-9) return true;
  return false;
}

/**
 * How a pattern over this release's cells keeps every number the earlier release showed: as it is, or
 * with the earlier values of its corrected cells taking the same steps (an earlier sum over the old
 * values then sees it as the new sum does). Its steps in the joint variables, or null when neither holds.
 */
export function keepsEarlier(
  earlier: EarlierForms,
  cells: { vars: ArrayLike<number>; sign: ArrayLike<number> },
): { vars: number[]; sign: number[] } | null {
  const vars = Array.from(cells.vars);
  const sign = Array.from(cells.sign);
  if (!movesEarlier(earlier, { vars, sign })) return { vars, sign };
  const lifted = { vars: [...vars], sign: [...sign] };
  vars.forEach((v, i) => {
    const old = earlier.phantomOf.get(v);
    if (old === undefined || !earlier.formsOf.has(old)) return;
    lifted.vars.push(old);
    lifted.sign.push(sign[i] ?? 0);
  });
  if (lifted.vars.length === vars.length || movesEarlier(earlier, lifted)) return null;
  return lifted;
}

/** The range of a pattern's steps in the joint variables, every value old and new staying ≥ 0. */
export function jointRange(earlier: EarlierForms, steps: { vars: number[]; sign: number[] }): number {
  return stepRange(
    steps.sign,
    steps.vars.map((v) => earlier.value[v] ?? 0),
  );
}
