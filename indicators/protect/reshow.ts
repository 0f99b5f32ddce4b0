import type loadHighs from "highs";
import { type Certificate, stepRange } from "./protect.ts";
import { type LinkedTables, MEAN_SCALE, shownNumbers, type Which } from "./system.ts";

/**
 * Shows again figures that protection hid for another number's sake when every hidden number can be
 * protected without them. The search (protect.ts) chooses one small product pattern per number, so a
 * county figure is often hidden because one pattern happened to cross it; another certificate, one no
 * product pattern expresses, may go round it. For a candidate figure, the hidden numbers whose
 * certificates it would see each get a new one from a small integer program: the least perturbation
 * y of the cells of the number's own and its old partners' counties, and of a few counties whose own
 * figure of it is hidden already (as protect.ts inHiddenRegions), over the quarters involved, every
 * cell kept non-negative, that every published number (the candidate's now too) adds up to 0 and that
 * moves the hidden number by the width (a step each way, else two steps one way). Leaving the other cells at 0 only narrows what the attacker's
 * program may use, so a certificate found there is a certificate of the whole release (Fischetti and
 * Salazar-González's protection condition, over a neighbourhood). The figure is shown again only when
 * every such number gets one; the audit (audit.ts) checks every certificate as it checks all the others.
 */

/** The most a new certificate moves one cell (its signs are stored as 8-bit integers). */
const MOST = 100;
/**
 * Limits that keep the pass's work bounded by the data, not the clock (the same data gets the same
 * release): a figure whose showing leaves more hidden numbers without a certificate is not tried (on
 * the demo such figures were almost never shown again, and each costs a program per number), a
 * neighbourhood spans at most MAX_REGIONS counties before HIDDEN_REGIONS counties whose figure is
 * hidden already are added, and holds at most MAX_CELLS cells (beyond that a program took 40 ms and
 * more and the outcome breakdown's rarely found one: on the demo, 1 500 cells took the recompute from
 * 40 to 81 s for eight more county figures), and a pass solves at most MAX_PROGRAMS programs (the
 * demo's parts need 1 062 and 1 410; the bench's whole country over 40 quarters would take 4 000 and
 * more, 67 s, for 300 fewer hidden figures of 177 000).
 */
const MAX_ORPHANS = 30;
const MAX_REGIONS = 3;
const HIDDEN_REGIONS = 3;
const MAX_PROGRAMS = 1500;
const MAX_CELLS = 800;
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<Highs> | null = null;

export interface ShowAgainInput {
  tables: LinkedTables;
  /** Per row and number (2 × row + which): 1 when hidden. Changed in place. */
  hiddenForm: Uint8Array;
  /** Per row: 1 when any number is hidden; 1 when hidden for others. Changed in place. */
  hidden: Uint8Array;
  secondary: Uint8Array;
  /** The release's certificates: those shown rows see are dropped, new ones appended. */
  certificates: Certificate[];
  /** Per row and number: the certificate that protects it (index + 1). Kept up to date. */
  protectedBy: Int32Array;
  minRange: number;
  /** Rows to try to show again, in order (secondary rows only: the caller ranks them). */
  candidates: number[];
  /** Hidden numbers that need no certificate (a shown zero tells them). */
  needsNone: (r: number, which: Which) => boolean;
  /** The level whose areas make a neighbourhood (the counties). */
  regionLevel: number;
}

export interface ShowAgainResult {
  shown: number;
  tried: number;
  programs: number;
  made: number;
  /** Rows shown again because the numbers they hid are shown in a row shown again. */
  alsoShown: number;
}

/** The numbers a certificate moves: ids 2 × row + which, and f·y for each (never 0). */
type Seen = Map<number, number>;

/** Shows again what no hidden number needs (see the module comment); changes the input in place. */
export async function showAgain(input: ShowAgainInput): Promise<ShowAgainResult> {
  highs ??= import("highs").then((module) => module.default());
  const solver = await highs;
  const t = input.tables;
  const s = t.s;
  const { hiddenForm, hidden, secondary, protectedBy, minRange } = input;
  const certs = input.certificates;
  const alive: boolean[] = certs.map(() => true);
  const scaleOf = (r: number, which: Which) => (t.over(r, which) === "mean" ? MEAN_SCALE : 1);
  const shown = shownNumbers(t, hiddenForm);
  const regionOf = s.areaOf[input.regionLevel] as Int32Array;
  const allRegions = [...new Set(regionOf)];

  // Certificates by the (component, municipality, quarter) cells they move.
  const byCell = new Map<number, number[]>();
  const cellKey = (comp: number, k: number, q: number) => (comp * s.nKunta + k) * t.nQ + (q - s.qiMin);
  const index = (id: number) => {
    const c = certs[id] as Certificate;
    const keys = new Set<number>();
    for (let i = 0; i < c.sign.length; i++) keys.add(cellKey(c.component, c.kunta[i] ?? 0, c.qi[i] ?? 0));
    for (const key of keys) {
      const list = byCell.get(key);
      if (list) list.push(id);
      else byCell.set(key, [id]);
    }
  };
  for (let id = 0; id < certs.length; id++) index(id);

  const dotOf = (r: number, which: Which, c: Certificate) => {
    let dot = 0;
    for (let i = 0; i < c.sign.length; i++)
      dot += (c.sign[i] ?? 0) * t.coef(r, which, c.kunta[i] ?? 0, c.qi[i] ?? 0, c.atom[i] ?? 0);
    return dot;
  };
  const seenCache = new Map<number, Seen>();
  const seenOf = (id: number): Seen => {
    let seen = seenCache.get(id);
    if (seen) return seen;
    seen = movedBy(certs[id] as Certificate);
    seenCache.set(id, seen);
    return seen;
  };
  function movedBy(c: Certificate): Seen {
    const seen: Seen = new Map();
    t.someRowTouchingCells(c.component, c, (r) => {
      for (const which of [0, 1] as const) {
        if (!t.mask(r, which)) continue;
        const dot = dotOf(r, which, c);
        if (Math.abs(dot) > 1e-9) seen.set(2 * r + which, dot);
      }
      return false;
    });
    return seen;
  }
  /** Live certificates whose cells a number adds up (they may still add up to 0 in it). */
  const touching = (r: number, which: Which): number[] => {
    const comp = t.component(r);
    const last = s.lastQi[r] ?? 0;
    const first = t.over(r, which) === "stock" ? last : t.firstQi(r);
    const ids = new Set<number>();
    t.forMembers(r, (k) => {
      for (let q = first; q <= last; q++)
        for (const id of byCell.get(cellKey(comp, k, q)) ?? []) if (alive[id]) ids.add(id);
    });
    return [...ids];
  };
  const wideEnough = (dot: number, range: number, x: number) =>
    Math.abs(dot / scaleOf(x >> 1, (x & 1) as Which)) * range >= minRange - 1e-9;
  const protects = (id: number, x: number) => wideEnough(seenOf(id).get(x) ?? 0, certs[id]?.range ?? 0, x);

  const result: ShowAgainResult = { shown: 0, tried: 0, programs: 0, made: 0, alsoShown: 0 };
  // hidden numbers by their form: showing a number shows it in every row that has it
  const sameForm = new Map<string, number[]>();
  for (let x = 0; x < 2 * t.n; x++) {
    if (!hiddenForm[x] || !t.mask(x >> 1, (x & 1) as Which)) continue;
    const key = t.formKey(x >> 1, (x & 1) as Which);
    const list = sameForm.get(key);
    if (list) list.push(x);
    else sameForm.set(key, [x]);
  }
  for (const r of input.candidates) {
    if (result.programs >= MAX_PROGRAMS) break;
    if (!hidden[r] || !secondary[r]) continue;
    const numbers = ([0, 1] as const).filter((w) => hiddenForm[2 * r + w] === 1 && t.mask(r, w));
    if (numbers.length === 0) continue;
    result.tried++;
    // the numbers shown with the row's: the same forms in other rows, none of them a small number
    const opened = new Set<number>();
    for (const which of numbers)
      for (const x of sameForm.get(t.formKey(r, which)) ?? [2 * r + which]) if (hiddenForm[x]) opened.add(x);
    if ([...opened].some((x) => t.sensitive(x >> 1, (x & 1) as Which))) continue;
    // the certificates this row would see
    const lost = new Set<number>();
    for (const which of numbers)
      for (const id of touching(r, which)) if (seenOf(id).has(2 * r + which)) lost.add(id);
    // hidden numbers that only lost certificates protect (the row's own numbers become public)
    const orphans: number[] = [];
    const checked = new Set<number>([2 * r, 2 * r + 1, ...opened]);
    for (const id of lost)
      for (const x of seenOf(id).keys()) {
        if (checked.has(x)) continue;
        checked.add(x);
        const hr = x >> 1;
        const hw = (x & 1) as Which;
        if (!hiddenForm[x] || input.needsNone(hr, hw)) continue;
        const hint = (protectedBy[x] ?? 0) - 1;
        if (hint >= 0 && alive[hint] && !lost.has(hint) && protects(hint, x)) continue;
        const other = touching(hr, hw).find((c) => !lost.has(c) && protects(c, x));
        if (other !== undefined) {
          protectedBy[x] = other + 1;
          continue;
        }
        orphans.push(x);
      }
    if (orphans.length > MAX_ORPHANS) continue;
    // the row's numbers as published while the new certificates are sought
    for (const x of opened) if (s.published[x >> 1]) shown[x] = 1;
    const made: { c: Certificate; seen: Seen; protect: number[] }[] = [];
    let ok = true;
    for (const x of orphans) {
      const again = made.find((m) => wideEnough(m.seen.get(x) ?? 0, m.c.range, x));
      if (again) {
        again.protect.push(x);
        continue;
      }
      result.programs++;
      const c = certificateFor(x, lost);
      if (!c) {
        ok = false;
        break;
      }
      const seen = movedBy(c);
      if (numbers.some((w) => seen.has(2 * r + w)) || !wideEnough(seen.get(x) ?? 0, c.range, x)) {
        ok = false;
        break;
      }
      made.push({ c, seen, protect: [x] });
    }
    if (!ok) {
      for (const x of opened) shown[x] = 0;
      continue;
    }
    for (const x of opened) {
      hiddenForm[x] = 0;
      protectedBy[x] = 0;
      const row = x >> 1;
      hidden[row] = hiddenForm[2 * row] || hiddenForm[2 * row + 1] ? 1 : 0;
      if (!hidden[row]) secondary[row] = 0;
      if (row !== r && !hidden[row]) result.alsoShown++;
    }
    for (const id of lost) alive[id] = false;
    for (const { c, seen, protect } of made) {
      const id = certs.length;
      certs.push(c);
      alive.push(true);
      seenCache.set(id, seen);
      index(id);
      for (const x of protect) protectedBy[x] = id + 1;
      result.made++;
    }
    result.shown++;
  }

  /**
   * The least whole perturbation over the hidden number's neighbourhood (its counties and those of the
   * certificates it loses, the quarters of its period and of those certificates) that every shown
   * number adds up to 0, that keeps every cell non-negative and moves the number by the width; null
   * when there is none there.
   */
  function certificateFor(x: number, lost: Set<number>): Certificate | null {
    const hr = x >> 1;
    const hw = (x & 1) as Which;
    const comp = t.component(hr);
    const regions = new Set<number>();
    const quarters = new Set<number>();
    const last = s.lastQi[hr] ?? 0;
    const first = t.over(hr, hw) === "stock" ? last : t.firstQi(hr);
    for (let q = first; q <= last; q++) quarters.add(q);
    t.forMembers(hr, (k) => regions.add(regionOf[k] ?? -1));
    for (const id of lost) {
      const c = certs[id] as Certificate;
      if (c.component !== comp || !seenOf(id).has(x)) continue;
      for (let i = 0; i < c.sign.length; i++) {
        regions.add(regionOf[c.kunta[i] ?? 0] ?? -1);
        quarters.add(c.qi[i] ?? 0);
      }
    }
    if (regions.size > MAX_REGIONS) return null;
    // and counties whose own figure of the number's indicator and cell is hidden in its quarters already
    // (protect.ts inHiddenRegions): moving their cells hides nothing shown there
    {
      let added = 0;
      for (const region of allRegions) {
        if (added >= HIDDEN_REGIONS) break;
        if (regions.has(region)) continue;
        let all = true;
        for (const q of quarters) {
          const row = t.rowAt(s.ind[hr] ?? 0, s.cell[hr] ?? 0, region, s.quarterType, q);
          if (row < 0 || !hidden[row]) all = false;
        }
        if (all) {
          regions.add(region);
          added++;
        }
      }
    }
    const atoms = s.componentAtoms[comp] ?? 0;
    // the neighbourhood's cells, one column each for y+ and y−
    const cells: { k: number; q: number; a: number; v: number }[] = [];
    for (let k = 0; k < s.nKunta; k++) {
      if (!regions.has(regionOf[k] ?? -1)) continue;
      for (const q of quarters)
        for (let a = 0; a < atoms; a++) {
          const v = t.varOf(comp, k, q, a);
          if (!s.cellOk[v]) continue;
          cells.push({ k, q, a, v });
        }
    }
    const n = cells.length;
    if (n === 0 || n > MAX_CELLS) return null;
    // rows: every shown number touching the neighbourhood (f·y = 0), and the target (h·y ≥ width)
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const lower: number[] = [];
    const upper: number[] = [];
    // the neighbourhood's (municipality, quarter) pairs: a form weighs every atom it adds up of one alike
    const pairs: { k: number; q: number; first: number }[] = [];
    cells.forEach((c, i) => {
      const last = pairs[pairs.length - 1];
      if (!last || last.k !== c.k || last.q !== c.q) pairs.push({ k: c.k, q: c.q, first: i });
    });
    // the pairs by municipality (cells come municipality by municipality): a row adds up only those
    // of its area's members
    const kuntas: number[] = [];
    const pairStart: number[] = [];
    pairs.forEach((p, i) => {
      if (kuntas[kuntas.length - 1] !== p.k) {
        kuntas.push(p.k);
        pairStart.push(i);
      }
    });
    pairStart.push(pairs.length);
    const rowsByHash = new Map<number, number[]>();
    const addRow = (r: number, which: Which, lo: number, hi: number) => {
      const from = indices.length;
      const mask = t.mask(r, which);
      const areas = s.areaOf[s.level[r] ?? 0] as Int32Array;
      const area = s.area[r];
      for (let j = 0; j < kuntas.length; j++) {
        if (areas[kuntas[j] ?? 0] !== area) continue;
        for (let p = pairStart[j] ?? 0; p < (pairStart[j + 1] ?? 0); p++) {
          const { k, q, first } = pairs[p] as { k: number; q: number; first: number };
          const weight = t.timeWeight(r, which, k, q);
          if (weight === 0) continue;
          const end = (pairs[p + 1] as { first: number } | undefined)?.first ?? n;
          for (let i = first; i < end; i++)
            if (mask & (1 << (cells[i]?.a ?? 0))) {
              indices.push(i, i + n);
              values.push(weight, -weight);
            }
        }
      }
      if (indices.length === from) return;
      // the same sum published in several rows is one constraint (a hash, then the entries compared)
      if (hi === 0) {
        let hash = 0;
        for (let i = from; i < indices.length; i++)
          hash = (Math.imul(hash, 31) + (indices[i] ?? 0) * 7 + (values[i] ?? 0)) | 0;
        const same = rowsByHash.get(hash);
        const length = indices.length - from;
        const equal = (start: number) => {
          if ((starts[start + 1] ?? 0) - (starts[start] ?? 0) !== length) return false;
          const at = starts[start] ?? 0;
          for (let i = 0; i < length; i++)
            if (indices[at + i] !== indices[from + i] || values[at + i] !== values[from + i]) return false;
          return true;
        };
        if (same?.some(equal)) {
          indices.length = from;
          values.length = from;
          return;
        }
        if (same) same.push(lower.length);
        else rowsByHash.set(hash, [lower.length]);
      }
      starts.push(indices.length);
      lower.push(lo);
      upper.push(hi);
    };
    const rowsMet = new Set<number>();
    for (const { k, q } of pairs)
      t.forRowsTouching(comp, k, q, -1, (row) => {
        if (rowsMet.has(row)) return;
        rowsMet.add(row);
        for (const which of [0, 1] as const)
          if (shown[2 * row + which] && t.mask(row, which)) addRow(row, which, 0, 0);
      });
    const width = minRange * scaleOf(hr, hw);
    const target = lower.length;
    addRow(hr, hw, width, solver.infinity);
    const nRows = lower.length;
    const value = cells.map((c) => s.cellValue[c.v] ?? 0);
    const model = solver.createModel({
      numCols: 2 * n,
      numRows: nRows,
      colCost: new Float64Array(2 * n).fill(1),
      colLower: new Float64Array(2 * n),
      colUpper: new Float64Array(2 * n),
      rowLower: lower,
      rowUpper: upper,
      matrix: { format: "csr", numRows: nRows, numCols: 2 * n, starts, indices, values },
    });
    try {
      model.options.set("output_flag", false);
      // bounded by work, not time (the same data gets the same release)
      model.options.set("simplex_iteration_limit", 50000);
      model.options.set("mip_max_nodes", 500);
      // a step each way (every cell of y at most its value, the number moved by half the width each
      // way: the certificates the search finds), else two steps one way (y ≥ −x, the whole width)
      const upper2 = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        upper2[i] = Math.min(MOST, value[i] ?? 0);
        upper2[n + i] = upper2[i] ?? 0;
      }
      const both = solveFor(model, upper2, width / 2);
      if (both) return both;
      for (let i = 0; i < n; i++) upper2[i] = MOST;
      return solveFor(model, upper2, width);
    } finally {
      model.dispose();
    }

    /** Whether the linear program with these bounds has a solution (left as the model's solution). */
    function feasible(model: ReturnType<Highs["createModel"]>, colUpper: Float64Array, move: number) {
      const all = { kind: "range", from: 0, to: 2 * n - 1 } as const;
      model.changeColsIntegrality(all, new Array(2 * n).fill(solver.constants.variableType.continuous));
      model.changeColsBounds(all, new Float64Array(2 * n), colUpper);
      model.changeRowBounds(target, Math.ceil(move - 1e-9), solver.infinity);
      return model.run().modelStatus === solver.constants.modelStatus.optimal;
    }

    function solveFor(model: ReturnType<Highs["createModel"]>, colUpper: Float64Array, move: number) {
      const all = { kind: "range", from: 0, to: 2 * n - 1 } as const;
      const codes = solver.constants.modelStatus;
      if (!feasible(model, colUpper, move)) return null;
      let y = model.getSolution().colValue;
      const whole = (v: number) => Math.abs(v - Math.round(v)) < 1e-7;
      if (!Array.from(y).every(whole)) {
        // the linear program's vertex is fractional: the integer program over the same rows
        model.changeColsIntegrality(all, new Array(2 * n).fill(solver.constants.variableType.integer));
        if (model.run().modelStatus !== codes.optimal) return null;
        y = model.getSolution().colValue;
      }
      const kept: number[] = [];
      const sign: number[] = [];
      for (let i = 0; i < n; i++) {
        const d = Math.round((y[i] ?? 0) - (y[n + i] ?? 0));
        if (d === 0) continue;
        kept.push(i);
        sign.push(d);
      }
      if (kept.length === 0) return null;
      const signs = Int8Array.from(sign);
      return {
        component: comp,
        kunta: Int32Array.from(kept, (i) => cells[i]?.k ?? 0),
        qi: Int32Array.from(kept, (i) => cells[i]?.q ?? 0),
        atom: Int32Array.from(kept, (i) => cells[i]?.a ?? 0),
        sign: signs,
        range: stepRange(
          signs,
          kept.map((i) => value[i] ?? 0),
        ),
      };
    }
  }

  // the certificates shown numbers see are no certificates any more
  const renumber = new Int32Array(certs.length);
  let next = 0;
  for (let id = 0; id < certs.length; id++) renumber[id] = alive[id] ? ++next : 0;
  const kept = certs.filter((_, id) => alive[id]);
  certs.length = 0;
  certs.push(...kept);
  for (let x = 0; x < protectedBy.length; x++) {
    const id = (protectedBy[x] ?? 0) - 1;
    if (id >= 0) protectedBy[x] = renumber[id] ?? 0;
  }
  return result;
}
