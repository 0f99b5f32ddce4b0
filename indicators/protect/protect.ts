import { type EarlierForms, jointRange, keepsEarlier } from "./earlier.ts";
import { type LinkedTables, MEAN_SCALE, type Which } from "./system.ts";

/**
 * Secondary suppression by protection certificates. A hidden number is safe when the published
 * numbers cannot tell it apart from another value: there is a perturbation y of the inner cells that
 * changes no published number (every published form f has f·y = 0), changes the hidden one
 * (h·y ≠ 0), and keeps every cell non-negative and whole over a range of steps t, so that the data
 * x + t·y is as consistent with everything published as the true data. The widest such range is what
 * tau-argus and sdcTable audit by linear programming (the attacker's feasibility interval); requiring
 * a perturbation for every sensitive cell is the model of Fischetti and Salazar-González (2000,
 * "Models and algorithms for optimizing cell suppression in tabular data with linear constraints",
 * JASA 95), whose flows we restrict to small product patterns to keep it fast.
 *
 * The patterns are y = u ⊗ v ⊗ w over municipality × quarter × atom: u = e_m − e_m' (two
 * municipalities: sums over areas holding both or neither do not see it), v = e_q or e_q − e_q'
 * (periods holding both or neither quarter do not see it), w = e_a or e_a − e_a' (measures adding up
 * both or neither atom do not see it). A product form sees y only when it splits every pair, so for
 * each hidden number the cheapest pattern hides few rows: those already hidden cost nothing, a
 * municipal row costs little, an area's row much more, the whole country's never. Every row that
 * sees the chosen pattern is hidden; each hidden number ends with its certificate, which the audit
 * (audit.ts) checks against everything published, independently of how it was found.
 */

/** A certificate: the cells of y (kunta, quarter, atom) with signs ±1, and its range of steps t. */
export interface Certificate {
  component: number;
  kunta: Int32Array;
  qi: Int32Array;
  atom: Int32Array;
  sign: Int8Array;
  /** Steps t the data can move while every cell stays ≥ 0: min over +cells + min over −cells. */
  range: number;
}

export interface ProtectionInput {
  tables: LinkedTables;
  /** Primary status per row (1: hidden by the primary rule). */
  primary: Uint8Array;
  /**
   * Numbers that must stay shown (shown before, in a row with the same numbers), per row: bit 0
   * numerator, bit 1 denominator.
   */
  forced: Uint8Array;
  /**
   * Numbers that stay hidden (hidden before, in a row with the same numbers), per row: bit 0 numerator,
   * bit 1 denominator. With `forced`, a value that did not change is published as it was.
   */
  kept?: Uint8Array;
  /** The narrowest range an attacker may prove for a hidden number (default 2). */
  minRange: number;
  /** Level whose rows must never be hidden (the whole country), or -1. */
  topLevel: number;
  /** The release being served (earlier.ts): its published numbers stay public, so no pattern may move them. */
  earlier?: EarlierForms;
}

export interface ProtectionResult {
  /** Per row: 1 when hidden (primary or secondary). */
  hidden: Uint8Array;
  /** Per row: 1 when hidden to protect another number. */
  secondary: Uint8Array;
  /** Per row and number (2 × row + 0 numerator / 1 denominator): 1 when the number is hidden. */
  hiddenForm: Uint8Array;
  certificates: Certificate[];
  /**
   * Per row and number: the certificate that protects it (index into certificates + 1; 0 for none).
   * The audit checks it first, and every certificate itself.
   */
  protectedBy: Int32Array;
  /** Hidden numbers for which no pattern was found (the audit then decides). */
  unprotected: { row: number; which: Which }[];
  /** Hidden zeros inside a shown zero: public knowledge, nothing to protect (LinkedTables.knownZeros). */
  knownZero: { row: number; which: Which }[];
  /**
   * Numbers only a pattern through the whole country protects, and the earlier release's hidden numbers
   * that this release's figures see (with `earlier`, their form in the joint variables), not yet
   * applied: applyLastResort(needed) applies those the attacker's linear program cannot show safe
   * (needed[i] for lastResort[i]), protects what they hide, and leaves in lastResort what that needs in turn.
   */
  lastResort: { row: number; which: Which; earlier?: { vars: number[]; coefs: number[]; scale: number } }[];
  applyLastResort: (needed: boolean[]) => void;
  /** Searches run and patterns tried, to see where the time goes. */
  searches: number;
  patterns: number;
  /** Patterns turned down: a cell not reported, not seeing the number, too narrow, or hiding what may not be. */
  rejected: { cells: number; blind: number; narrow: number; forbidden: number };
}

/** A row's two numbers: numerator and denominator. */
const NUMBERS = [0, 1] as const;

/**
 * A list of whole numbers reused across millions of patterns: a plain array emptied by `length = 0`
 * gives up its storage and grows it again each time (with evaluate's cost, most of what the search
 * allocated before d5d09d7).
 */
class IntList {
  private items = new Int32Array(1024);
  length = 0;
  /** Empties the list, keeping its storage. */
  clear(): void {
    this.length = 0;
  }
  /** Appends x, doubling the storage when full. */
  push(x: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(2 * this.length);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = x;
  }
  /** The i-th number (0 ≤ i < length). */
  at(i: number): number {
    return this.items[i] ?? 0;
  }
  /** A plain array of the numbers. */
  toArray(): number[] {
    const out = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[i] ?? 0;
    return out;
  }
}

/** What hiding a row costs, by level (municipality, employment area, county); the country is never hidden. */
const LEVEL_COST = [1, 40, 400];
const TOP_COST = 100000;
/** Partners searched in counties whose figure is hidden already (3: 8 or 20 gained under a point on the demo). */
const HIDDEN_REGION_PARTNERS = 3;
/** A product pattern's cells before withCells lists them (never written to). */
const NO_CELLS: number[] = [];
/** What evaluate gives a pattern that reaches the bound or may not be taken (never written to). */
const OVER: { cost: number; rows: number[] } = { cost: Number.POSITIVE_INFINITY, rows: [] };

/** Hides what must be hidden so that every hidden number has a certificate. */
export function protect(input: ProtectionInput): ProtectionResult {
  const t = input.tables;
  const s = t.s;
  const n = t.n;
  // Numbers are hidden one by one: hiddenForm[2r + which] (numerator 0, denominator 1). A row's value
  // is shown when none of its numbers is hidden; a hidden row still shows a number nobody needs hidden.
  const hiddenForm = new Uint8Array(2 * n);
  const hidden = new Uint8Array(n);
  const secondary = new Uint8Array(n);
  const certificates: Certificate[] = [];
  const unprotected: { row: number; which: Which }[] = [];
  const candidate = (r: number) => (s.published[r] ?? 0) > 0;
  const queue: { row: number; which: Which }[] = [];
  for (let r = 0; r < n; r++) {
    if (!candidate(r) || !input.primary[r]) continue;
    hidden[r] = 1;
    const denSmall = t.sensitive(r, 1);
    for (const which of [0, 1] as const) {
      if (!t.mask(r, which)) continue;
      // a small denominator hides its numerator too: "0 of a few" says as much as the count
      if (t.sensitive(r, which) || (which === 0 && denSmall)) {
        hiddenForm[2 * r + which] = 1;
        queue.push({ row: r, which });
      }
    }
  }
  const isHidden = (r: number, which: Which) => hiddenForm[2 * r + which] === 1;
  // Rows no pattern can cost anything any more (not published, or every number hidden): the search
  // skips them (on the bench's first release a quarter of the rows it met). Hidden numbers stay hidden.
  const spent = new Uint8Array(n);
  const markSpent = (r: number) => {
    spent[r] =
      !candidate(r) || ((isHidden(r, 0) || !t.mask(r, 0)) && (isHidden(r, 1) || !t.mask(r, 1))) ? 1 : 0;
  };
  for (let r = 0; r < n; r++) markSpent(r);

  // Numbers a certificate protects: it sees them, widely enough. Marked with the certificate (its index
  // + 1; 0: none yet) when it is made (every number that sees it is hidden then, and hidden numbers stay
  // hidden, so it stays valid); the audit checks that certificate first.
  const protectedBy = new Int32Array(2 * n);

  /** f·y for a row's form and a certificate's cells. */
  const dot = (
    r: number,
    which: Which,
    c: { kunta: ArrayLike<number>; qi: ArrayLike<number>; atom: ArrayLike<number>; sign: ArrayLike<number> },
  ) => {
    let sum = 0;
    for (let i = 0; i < c.sign.length; i++)
      sum += (c.sign[i] ?? 0) * t.coef(r, which, c.kunta[i] ?? 0, c.qi[i] ?? 0, c.atom[i] ?? 0);
    return sum;
  };
  const scaleOf = (r: number, which: Which) => (t.over(r, which) === "mean" ? MEAN_SCALE : 1);

  // (the part of a row's cost that depends on the row alone, found once: it is asked for every row a
  // pattern tried meets)
  const figureCost = new Float64Array(n).fill(Number.NaN);
  const rowCost = (r: number, which: Which, allowTop: boolean): number => {
    if ((input.forced[r] ?? 0) & (1 << which)) return Number.POSITIVE_INFINITY;
    // The whole country is hidden only where nothing else protects a number (a municipality whose
    // reporting gaps no other shares): a last resort, counted in the information loss.
    // An area where one municipality reported shows that municipality's own numbers: no more loss.
    if ((s.level[r] ?? 0) !== s.kuntaLevel && (s.reported[r] ?? 0) <= 1) return LEVEL_COST[0] ?? 1;
    if ((s.level[r] ?? 0) === input.topLevel) return allowTop ? TOP_COST : Number.POSITIVE_INFINITY;
    let cost = figureCost[r] ?? Number.NaN;
    if (Number.isNaN(cost)) {
      const periodCost = s.ptype[r] === s.quarterType ? 1 : s.ptype[r] === s.rollingType ? 1.2 : 1.5;
      // a figure of a larger base tells more: hiding it costs more
      const base = Math.max(s.denominator[r] ?? 0, s.numerator[r] ?? 0);
      cost = (LEVEL_COST[s.level[r] ?? 0] ?? 400) * periodCost * (1 + Math.log10(1 + base));
      figureCost[r] = cost;
    }
    return cost;
  };

  // Patterns may not move an earlier release's published numbers (earlier.ts), except in protectAlone.
  let holdEarlier = true;
  // Rows seen by a pattern are found through the cells' areas and periods; a stamp marks rows visited.
  const stamp = new Int32Array(n);
  let generation = 0;
  const seen = new IntList();
  let patterns = 0;
  let searches = 0;
  const rejected = { cells: 0, blind: 0, narrow: 0, forbidden: 0 };

  /** A pattern's cells, and its factors u, v, w (see the module comment). */
  type Pattern = {
    kunta: number[];
    qi: number[];
    atom: number[];
    sign: number[];
    range: number;
    u: Factor;
    v: Factor;
    w: Factor;
    /** False for a pattern solved cell by cell (solvedPatterns): no factors to shortcut with. */
    product: boolean;
    /**
     * An earlier release's certificate (earlier.ts): it also steps the earlier values of the cells
     * corrected since, so that every number that release showed stays where it was.
     */
    joint?: boolean;
  };
  const cellValue = (comp: number, k: number, q: number, a: number) => {
    const v = t.varOf(comp, k, q, a);
    return (s.cellOk[v] ?? 0) > 0 ? (s.cellValue[v] ?? 0) : -1;
  };
  /** The pattern u ⊗ v ⊗ w, or null when a cell is not reported. */
  /** A factor of a pattern: indexes with signs (the first +1; a pair e_i − e_j; a block all +1). */
  type Factor = { at: number[]; sign: number[] };
  const pair = (at: number[]): Factor => ({ at, sign: at.map((_, i) => (i === 0 ? 1 : -1)) });
  // A product pattern's cells are listed only when it is applied or checked against an earlier release
  // (withCells): most patterns tried are turned down from their factors alone.
  const build = (comp: number, u: Factor, v: Factor, w: Factor): Pattern | null => {
    let minPos = Number.POSITIVE_INFINITY;
    let minNeg = Number.POSITIVE_INFINITY;
    for (let i = 0; i < u.at.length; i++)
      for (let j = 0; j < v.at.length; j++)
        for (let k = 0; k < w.at.length; k++) {
          const x = cellValue(comp, u.at[i] as number, v.at[j] as number, w.at[k] as number);
          if (x < 0) return null;
          const sign = (u.sign[i] ?? 1) * (v.sign[j] ?? 1) * (w.sign[k] ?? 1);
          // whole steps t keep x + t·sign ≥ 0 (as stepRange)
          if (sign > 0) minPos = Math.min(minPos, Math.floor(x / sign));
          else minNeg = Math.min(minNeg, Math.floor(x / -sign));
        }
    // no cells listed yet (withCells lists them): millions of patterns are tried, few applied
    return {
      kunta: NO_CELLS,
      qi: NO_CELLS,
      atom: NO_CELLS,
      sign: NO_CELLS,
      range: minPos + minNeg,
      u,
      v,
      w,
      product: true,
    };
  };
  /** The pattern with its cells listed (u ⊗ v ⊗ w, in build's order). */
  const withCells = (p: Pattern): Pattern => {
    if (!p.product || p.sign.length > 0) return p;
    const { u, v, w } = p;
    const kunta: number[] = [];
    const qi: number[] = [];
    const atom: number[] = [];
    const sign: number[] = [];
    for (let i = 0; i < u.at.length; i++)
      for (let j = 0; j < v.at.length; j++)
        for (let k = 0; k < w.at.length; k++) {
          kunta.push(u.at[i] as number);
          qi.push(v.at[j] as number);
          atom.push(w.at[k] as number);
          sign.push((u.sign[i] ?? 1) * (v.sign[j] ?? 1) * (w.sign[k] ?? 1));
        }
    Object.assign(p, { kunta, qi, atom, sign });
    return p;
  };
  /** f·y for a product pattern: the atom factor first (0 for most rows), then municipality × quarter. */
  const dotProduct = (r: number, which: Which, p: Pattern): number => {
    const mask = t.mask(r, which);
    let atomFactor = 0;
    for (let k = 0; k < p.w.at.length; k++)
      if (mask & (1 << (p.w.at[k] as number))) atomFactor += p.w.sign[k] ?? 0;
    if (atomFactor === 0) return 0;
    return atomFactor * timeSum(r, which, p.u, p.v);
  };
  // The search tries each municipality × quarter factor pair with several atom factors in a row: the
  // sum over u ⊗ v of a row's weights is kept for the last pair (the same factor objects) and reused.
  let sumU: Factor | null = null;
  let sumV: Factor | null = null;
  let sumGeneration = 0;
  const sumStamp = new Int32Array(2 * n);
  const sumValue = new Float64Array(2 * n);
  /** Σ u_i v_j × the weight of (u_i, v_j) in a row's form. */
  const timeSum = (r: number, which: Which, u: Factor, v: Factor): number => {
    if (u !== sumU || v !== sumV) {
      sumU = u;
      sumV = v;
      sumGeneration++;
    }
    const id = 2 * r + which;
    if (sumStamp[id] === sumGeneration) return sumValue[id] ?? 0;
    let sum = 0;
    for (let i = 0; i < u.at.length; i++)
      for (let j = 0; j < v.at.length; j++)
        sum +=
          (u.sign[i] ?? 0) * (v.sign[j] ?? 0) * t.timeWeight(r, which, u.at[i] as number, v.at[j] as number);
    sumStamp[id] = sumGeneration;
    sumValue[id] = sum;
    return sum;
  };
  /**
   * Calls visit(row) once for every row that may see a pattern (those touching one of its cells), in
   * the same order every time, until visit returns true; whether it did.
   */
  const someSeen = (
    comp: number,
    p: Pattern,
    visit: (r: number) => boolean,
    onlyWeighing = false,
  ): boolean => {
    generation++;
    const blind = p.product ? blindLevels(comp, p) : 0;
    const once = (r: number) => {
      if (stamp[r] === generation) return false;
      stamp[r] = generation;
      // (most rows a pattern touches are its areas' sums, which add it up to 0)
      if (blind !== 0 && blind & (1 << (s.level[r] ?? 0))) return false;
      return visit(r);
    };
    if (p.product && onlyWeighing) {
      for (const k of p.u.at)
        for (const q of p.v.at) if (t.someRowWeighing(comp, k, q, p.w, spent, once)) return true;
    } else if (p.product) {
      let atoms = 0;
      for (const a of p.w.at) atoms |= 1 << a;
      for (const k of p.u.at)
        for (const q of p.v.at) if (t.someRowTouching(comp, k, q, atoms, once)) return true;
    } else
      for (let i = 0; i < p.sign.length; i++)
        if (t.someRowTouching(comp, p.kunta[i] ?? 0, p.qi[i] ?? 0, 1 << (p.atom[i] ?? 0), once)) return true;
    return false;
  };
  /**
   * The levels (bits) whose rows cannot see a product pattern: its municipalities, with signs adding
   * up to 0, share the level's area and weigh alike in it over the pattern's quarters, so every such
   * row adds the pattern up to 0 (as dotProduct would find, row by row).
   */
  const blindLevels = (comp: number, p: Pattern): number => {
    const { at, sign } = p.u;
    const first = at[0];
    if (first === undefined || at.length < 2) return 0;
    // (loops, not reduce, spread and every: this runs for every pattern tried, millions of times)
    let signs = 0;
    for (const x of sign) signs += x;
    if (signs !== 0) return 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const q of p.v.at) {
      if (q < lo) lo = q;
      if (q > hi) hi = q;
    }
    let blind = 0;
    let alike: boolean | undefined;
    for (let level = 0; level < s.areaOf.length; level++) {
      const areas = s.areaOf[level];
      if (level === s.kuntaLevel || !areas) continue;
      const area = areas[first] ?? -1;
      if (area < 0 || !sameArea(areas, area, at)) continue;
      alike ??= weighAlikeAll(comp, first, at, lo, hi);
      if (!alike) return 0;
      blind |= 1 << level;
    }
    return blind;
  };
  const sameArea = (areas: ArrayLike<number>, area: number, at: number[]): boolean => {
    for (const k of at) if (areas[k] !== area) return false;
    return true;
  };
  const weighAlikeAll = (comp: number, first: number, at: number[], lo: number, hi: number): boolean => {
    for (const k of at) if (k !== first && !t.weighAlike(comp, first, k, lo, hi)) return false;
    return true;
  };
  /** Fills `seen` with the rows that may see a pattern: those touching one of its cells. */
  const collectSeen = (comp: number, p: Pattern) => {
    seen.clear();
    someSeen(comp, p, (r) => {
      seen.push(r);
      return false;
    });
  };
  /** |f·y| of a row's number and a pattern. */
  const seenBy = (r: number, which: Which, p: Pattern) =>
    Math.abs(p.product ? dotProduct(r, which, p) : dot(r, which, p));
  /** Rows a pattern would hide, and their cost (Infinity when a row may not be hidden). */
  const evaluate = (
    comp: number,
    p: Pattern,
    bound: number,
    allowTop = false,
  ): { cost: number; rows: number[] } => {
    if (!p.joint && holdEarlier && input.earlier) {
      const kept = keepsEarlier(input.earlier, {
        vars: withCells(p).kunta.map((k, i) => t.varOf(comp, k, p.qi[i] ?? 0, p.atom[i] ?? 0)),
        sign: p.sign,
      });
      // stepping the earlier values too may narrow it: such a pattern is taken only when it does not
      if (!kept || (kept.vars.length > p.sign.length && jointRange(input.earlier, kept) < p.range))
        return OVER;
    }
    // The cost adds up in a typed array and the rows gather in a reused list, copied only for a pattern
    // within the bound: a fractional number kept in a closure's variable is a new heap object at each
    // addition (millions of patterns: with the rows, most of what the search allocated).
    const cost = scratchCost;
    cost[0] = 0;
    const rows = scratchRows;
    rows.clear();
    // rows in the order they are met, stopping once the cost reaches the bound
    // (rows where the pattern's atoms do not weigh, and spent rows, are left out: they add nothing here;
    // on the bench's first release that left about 39 of the kuntouttava part's 142 million visits)
    const over = someSeen(
      comp,
      p,
      (r) => {
        if (!candidate(r)) return false;
        for (let w = 0; w < 2; w++) {
          const which = w as Which;
          if (isHidden(r, which) || !t.mask(r, which) || !(seenBy(r, which, p) > 1e-9)) continue;
          // hiding a number of a row already hidden costs less: its value is not shown anyway
          const c = rowCost(r, which, allowTop);
          cost[0] = (cost[0] ?? 0) + (hidden[r] ? c * 0.3 : c);
          rows.push(2 * r + which);
          if ((cost[0] ?? 0) >= bound) return true;
        }
        return false;
      },
      true,
    );
    return over ? OVER : { cost: cost[0] ?? 0, rows: rows.toArray() };
  };
  const scratchCost = new Float64Array(1);
  const scratchRows = new IntList();

  /**
   * Patterns e_m ⊗ z − e_m' ⊗ z for two municipalities of the same areas that reported different
   * quarters or categories (an area's sum over a period where only one of them reported would see a
   * product pattern): z, over the quarters q−4…q+4 × the component's atoms, is solved so that every
   * such sum adds it up to 0. One pattern per null-space vector that the number f sees.
   */
  const solvedPatterns = (
    r: number,
    which: Which,
    comp: number,
    m: number,
    m2: number,
    q: number,
  ): Pattern[] => {
    // the null space depends on the two municipalities and the window only: solved once, filtered per number
    const key = `${comp},${m},${m2},${q}`;
    let window = solvedCache.get(key);
    if (window === undefined) {
      window = solveWindow(comp, m, m2, q);
      solvedCache.set(key, window);
    }
    const out: Pattern[] = [];
    for (let b = 0; b < window.range.length; b++) {
      const from = window.start[b] ?? 0;
      const to = window.start[b + 1] ?? 0;
      // f·y as dot() adds it up, cell by cell in the pattern's order (m, then m2)
      let fy = 0;
      for (let j = from; j < to; j++) {
        const c = window.coef[j] ?? 0;
        const qq = window.qi[j] ?? 0;
        const a = window.atom[j] ?? 0;
        fy += c * t.coef(r, which, m, qq, a);
        fy += -c * t.coef(r, which, m2, qq, a);
      }
      if (Math.abs(fy) < 1e-9) continue;
      const p: Pattern = {
        kunta: [],
        qi: [],
        atom: [],
        sign: [],
        range: window.range[b] ?? 0,
        u: pair([m, m2]),
        v: pair([q]),
        w: pair([0]),
        product: false,
      };
      for (let j = from; j < to; j++) {
        const c = window.coef[j] ?? 0;
        p.kunta.push(m, m2);
        p.qi.push(window.qi[j] ?? 0, window.qi[j] ?? 0);
        p.atom.push(window.atom[j] ?? 0, window.atom[j] ?? 0);
        p.sign.push(c, -c);
      }
      out.push(p);
    }
    return out;
  };
  /**
   * A window's null space (solveWindow), flat: vector b's cells are start[b] … start[b + 1] − 1, each a
   * quarter and atom stepping +coef for m and −coef for m2; range[b] its steps. Kept as pattern
   * objects, the bench's first release held half a million of them (0.9 GB at the end of protection),
   * and its thread spent 8.2 of its 31 s collecting garbage (node --cpu-prof).
   */
  type SolvedWindow = {
    start: Int32Array;
    qi: Int32Array;
    atom: Int32Array;
    coef: Float64Array;
    range: Float64Array;
  };
  const solvedCache = new Map<string, SolvedWindow>();
  const NO_WINDOW: SolvedWindow = {
    start: Int32Array.of(0),
    qi: new Int32Array(0),
    atom: new Int32Array(0),
    coef: new Float64Array(0),
    range: new Float64Array(0),
  };
  /** Per component: whether every indicator over it adds up each quarter reported at the area levels. */
  const allParts = s.componentAtoms.map((_, comp) =>
    s.indicators.every((d) => d.component !== comp || d.addsParts),
  );
  const solveWindow = (comp: number, m: number, m2: number, q: number): SolvedWindow => {
    const atoms = s.componentAtoms[comp] ?? 0;
    const q0 = Math.max(s.qiMin, q - 4);
    const q1 = Math.min(s.qiMax, q + 4);
    const unknowns: { q: number; a: number }[] = [];
    for (let qq = q0; qq <= q1; qq++)
      for (let a = 0; a < atoms; a++)
        if (cellValue(comp, m, qq, a) >= 0 && cellValue(comp, m2, qq, a) >= 0) unknowns.push({ q: qq, a });
    if (unknowns.length === 0) return NO_WINDOW;
    // Constraints: per slot and period touching the window, the country's row sees (weight of m − of m2).
    const top = s.areaOf[input.topLevel]?.[m] ?? -1;
    const rowsOf: number[] = [];
    generation++;
    for (let qq = q0; qq <= q1; qq++)
      t.forRowsTouching(comp, m, qq, (1 << atoms) - 1, (x) => {
        if (s.area[x] !== top || stamp[x] === generation) return;
        stamp[x] = generation;
        rowsOf.push(x);
      });
    const matrix: number[][] = [];
    // The weight depends on the quarter, not the atom: once per quarter. Many slots give the same
    // constraint (a category's count and the indicator of that count alone): each is kept once.
    const weight = new Float64Array(q1 - q0 + 1);
    const constraints = new Set<string>();
    for (const x of rowsOf)
      for (const w of [0, 1] as const) {
        const mask = t.mask(x, w);
        if (!mask) continue;
        let any = false;
        // (a quarter outside the row's period weighs 0: timeWeight is asked only within it)
        weight.fill(0);
        const from = Math.max(q0, t.firstQi(x));
        const to = Math.min(q1, s.lastQi[x] ?? 0);
        for (let qq = from; qq <= to; qq++) {
          const d = t.timeWeight(x, w, m, qq) - t.timeWeight(x, w, m2, qq);
          weight[qq - q0] = d;
          if (Math.abs(d) > 1e-12) any = true;
        }
        if (!any) continue;
        // the constraint is the mask's atoms × the quarters' weights
        const key = `${mask & ((1 << atoms) - 1)}:${weight.join(",")}`;
        if (constraints.has(key)) continue;
        constraints.add(key);
        const row = unknowns.map(({ q: qq, a }) => (mask & (1 << a) ? (weight[qq - q0] ?? 0) : 0));
        if (row.some((c) => Math.abs(c) > 1e-12)) matrix.push(row);
      }
    const basis = nullSpace(matrix, unknowns.length);
    const start: number[] = [0];
    const qis: number[] = [];
    const atomsOf: number[] = [];
    const coefs: number[] = [];
    const ranges: number[] = [];
    for (const b of basis) {
      // the cells' signs and values in the pattern's order, for its range
      const sign: number[] = [];
      const x: number[] = [];
      const from = coefs.length;
      for (let j = 0; j < unknowns.length; j++) {
        const c = b[j] ?? 0;
        if (c === 0) continue;
        const { q: qq, a } = unknowns[j] as { q: number; a: number };
        qis.push(qq);
        atomsOf.push(a);
        coefs.push(c);
        sign.push(c, -c);
        x.push(cellValue(comp, m, qq, a), cellValue(comp, m2, qq, a));
      }
      if (sign.length === 0 || sign.length > 48) {
        qis.length = from;
        atomsOf.length = from;
        coefs.length = from;
        continue;
      }
      ranges.push(stepRange(sign, x));
      start.push(coefs.length);
    }
    return {
      start: Int32Array.from(start),
      qi: Int32Array.from(qis),
      atom: Int32Array.from(atomsOf),
      coef: Float64Array.from(coefs),
      range: Float64Array.from(ranges),
    };
  };

  const { lists: partnersOf, distance } = partnerLists(t);

  // The widest areas below the whole country (the counties; levels run from the smallest area up).
  const regionLevel = input.topLevel - 1;
  const regions = regionLevel > s.kuntaLevel ? [...new Set(s.areaOf[regionLevel] ?? [])] : [];
  /**
   * Partners in other counties whose own figure of the number's indicator and cell is hidden in quarter
   * q already, one each (the smallest with enough), in the order of the municipality key: a small number
   * that no municipality of its own county can move against (a rare category) moves against another
   * county, and through one of these it moves no county figure that is shown. Without them it went to
   * the nearest county, hiding that county's figures (README, Information loss, has what it changed).
   */
  const inHiddenRegions = (
    r: number,
    comp: number,
    m: number,
    q: number,
    a: number,
    need: number,
    inSet: Set<number>,
  ): number[] => {
    const out: number[] = [];
    const mine = s.areaOf[regionLevel]?.[m] ?? -1;
    for (const region of regions) {
      if (region === mine) continue;
      const row = t.rowAt(s.ind[r] ?? 0, s.cell[r] ?? 0, region, s.quarterType, q);
      if (row < 0 || !hidden[row]) continue;
      let pick = -1;
      for (const k of s.areaMembers[region] ?? []) {
        const x = cellValue(comp, k, q, a);
        if (x >= need && !inSet.has(k) && (pick < 0 || x < cellValue(comp, pick, q, a))) pick = k;
      }
      if (pick >= 0) out.push(pick);
      if (out.length >= HIDDEN_REGION_PARTNERS) break;
    }
    return out;
  };

  /** Whether numbers (2 × row + which) include a county's. */
  const hidesRegion = (rows: number[]) => rows.some((id) => s.level[id >> 1] === regionLevel);

  // The earlier release's certificates that still hold every number it showed, as patterns over this
  // release's cells, by the municipality-quarters they move: a hidden number they see may keep one,
  // where a pattern of its own would have to move what the earlier release showed.
  const noFactor: Factor = { at: [], sign: [] };
  const earlierPatterns = (input.earlier?.certificates ?? []).map((e) => {
    const c = e.now;
    if (!e.holds || c.sign.length === 0) return null;
    const p: Pattern & { comp: number } = {
      comp: c.component,
      kunta: Array.from(c.kunta),
      qi: Array.from(c.qi),
      atom: Array.from(c.atom),
      sign: Array.from(c.sign),
      range: e.range,
      u: noFactor,
      v: noFactor,
      w: noFactor,
      product: false,
      joint: true,
    };
    return p;
  });
  const earlierAt = new Map<number, number[]>();
  const quarterKey = (comp: number, k: number, q: number) => (comp * s.nKunta + k) * t.nQ + (q - s.qiMin);
  earlierPatterns.forEach((p, id) => {
    if (!p) return;
    for (const key of new Set(p.kunta.map((k, i) => quarterKey(p.comp, k, p.qi[i] ?? 0)))) {
      const list = earlierAt.get(key);
      if (list) list.push(id);
      else earlierAt.set(key, [id]);
    }
  });
  /** The cheapest earlier certificate that moves form (r, which) widely enough, or null. */
  const byEarlierCertificate = (
    r: number,
    which: Which,
    comp: number,
    members: number[],
    first: number,
    last: number,
  ): { cost: number; rows: number[]; p: Pattern } | null => {
    if (earlierAt.size === 0) return null;
    const ids = new Set<number>();
    for (const k of members)
      for (let q = first; q <= last; q++)
        for (const id of earlierAt.get(quarterKey(comp, k, q)) ?? []) ids.add(id);
    let best = null as { cost: number; rows: number[]; p: Pattern } | null;
    for (const id of ids) {
      const p = earlierPatterns[id];
      if (!p || p.comp !== comp) continue;
      patterns++;
      // (a single cell's pattern is unbounded: its range is Infinity, and 0 · Infinity is no number)
      const fy = seenBy(r, which, p) / scaleOf(r, which);
      if (fy < 1e-9 || fy * p.range < input.minRange - 1e-9) continue;
      const result = evaluate(comp, p, best ? best.cost : Number.POSITIVE_INFINITY, true);
      if (Number.isFinite(result.cost) && (!best || result.cost < best.cost)) best = { ...result, p };
    }
    return best;
  };
  /** Which cells of a component a municipality reported in the quarters a pattern at q reaches. */
  const reportingCache = new Map<number, string>();
  const reporting = (comp: number, k: number, q: number): string => {
    const key = (comp * s.nKunta + k) * t.nQ + (q - s.qiMin);
    let text = reportingCache.get(key);
    if (text === undefined) {
      const from = t.varOf(comp, k, Math.max(s.qiMin, q - 7), 0);
      const to = t.varOf(comp, k, Math.min(s.qiMax, q + 7) + 1, 0);
      text = "";
      for (let v = from; v < to; v++) text += `${s.cellOk[v] ?? 0}`;
      reportingCache.set(key, text);
    }
    return text;
  };

  /** Finds and applies the cheapest pattern that protects form (r, which); false when none. */
  const search = (r: number, which: Which): boolean => {
    searches++;
    const comp = t.component(r);
    const mask = t.mask(r, which);
    const last = s.lastQi[r] ?? 0;
    const first = t.over(r, which) === "stock" ? last : t.firstQi(r);
    const atoms = s.componentAtoms[comp] ?? 0;
    const members: number[] = [];
    t.forMembers(r, (k) => members.push(k));
    const inSet = new Set(members);
    const total = (k: number) => {
      let sum = 0;
      for (let q = first; q <= last; q++)
        for (let a = 0; a < atoms; a++) if (mask & (1 << a)) sum += Math.max(0, cellValue(comp, k, q, a));
      return sum;
    };
    const anchors =
      members.length <= 2 ? members : [...members].sort((a, b) => total(b) - total(a)).slice(0, 2);
    type Best = { cost: number; rows: number[]; p: Pattern };
    let best = null as Best | null;
    const scale = scaleOf(r, which);
    /** Takes pattern p (null: a cell not reported) as the best when it moves the number widely enough for less. */
    const consider = (p: Pattern | null) => {
      patterns++;
      if (!p) return;
      const fy = seenBy(r, which, p) / scale;
      if (fy < 1e-9 || fy * p.range < input.minRange - 1e-9) return;
      const result = evaluate(comp, p, best ? best.cost : Number.POSITIVE_INFINITY);
      if (Number.isFinite(result.cost) && (!best || result.cost < best.cost)) best = { ...result, p };
    };
    for (const m of anchors) {
      const quarters: number[] = [];
      for (let q = first; q <= last; q++) quarters.push(q);
      const qOrder = quarters
        .map((q) => {
          let sum = 0;
          for (let a = 0; a < atoms; a++) if (mask & (1 << a)) sum += Math.max(0, cellValue(comp, m, q, a));
          return { q, sum };
        })
        .sort((a, b) => b.sum - a.sum)
        .slice(0, 2);
      for (const { q } of qOrder) {
        // Municipalities that reported the same quarters around q come first: an area's sum over a
        // period where only one of the two reported would see the pattern. Every municipality of the
        // same county (distance < 2: at most the employment area differs) is a candidate; beyond it
        // the 24 nearest.
        const candidates: number[] = [];
        const same = reporting(comp, m, q);
        const room = (k: number) => candidates.length < 24 || (distance[m]?.[k] ?? 9) < 2;
        for (const k of partnersOf[m] ?? []) {
          if (!room(k)) break;
          if (!inSet.has(k) && reporting(comp, k, q) === same) candidates.push(k);
        }
        for (const k of partnersOf[m] ?? []) {
          if (!room(k)) break;
          if (!inSet.has(k) && reporting(comp, k, q) !== same) candidates.push(k);
        }
        const inPeriod = (x: number) => x >= first && x <= last;
        const vs: Factor[] = [pair([q])];
        for (const d of [1, -1, 2, -2, 4, -4]) {
          const q2 = q + d;
          if (q2 < s.qiMin || q2 > s.qiMax || inPeriod(q2)) continue;
          // quarters of one year first: the year holds both and does not see the pattern
          vs.push(pair([q, q2]));
          if (vs.length >= 4) break;
        }
        // a mean moves by 1/n per step of one quarter: moving all its quarters together moves it by 1
        if (t.over(r, which) === "mean" && last > first)
          vs.push({ at: quarters, sign: quarters.map(() => 1) });
        const inAtoms: number[] = [];
        const outAtoms: number[] = [];
        for (let a = 0; a < atoms; a++) (mask & (1 << a) ? inAtoms : outAtoms).push(a);
        inAtoms.sort((a, b) => cellValue(comp, m, q, b) - cellValue(comp, m, q, a));
        const a = inAtoms[0];
        if (a === undefined) continue;
        // a second atom with counts keeps the sums over both (the denominator) out of the pattern
        outAtoms.sort((x, y) => cellValue(comp, m, q, y) - cellValue(comp, m, q, x));
        const ws: Factor[] = [pair([a]), ...outAtoms.slice(0, 3).map((a2) => pair([a, a2]))];
        // partners in the same areas first (their sums do not see the pattern), the largest counts first
        // (the range is limited by the smallest cell); then the largest anywhere near
        // the smallest partner with enough there: a large municipality's figures are worth more, and a
        // small one's are often hidden already
        const need = Math.max(1, input.minRange - Math.max(0, cellValue(comp, m, q, a)));
        const byValue = (list: number[]) =>
          list
            .filter((k) => cellValue(comp, k, q, a) >= need)
            .sort((x, y) => cellValue(comp, x, q, a) - cellValue(comp, y, q, a));
        // In the same areas (d = 0) and reporting alike: no area sees the pattern. Then the same areas
        // (a solved pattern below keeps the areas out), then alike elsewhere.
        const near: number[] = [];
        for (const k of partnersOf[m] ?? []) {
          if ((distance[m]?.[k] ?? 9) !== 0) break;
          if (!inSet.has(k)) near.push(k);
        }
        const alike = (k: number) => reporting(comp, k, q) === same;
        // farther off, the nearest areas first (another employment area of the same county keeps the
        // county's sums out of it), the smallest with enough within them
        const nearest = (list: number[]) =>
          byValue(list).sort((x, y) => (distance[m]?.[x] ?? 9) - (distance[m]?.[y] ?? 9));
        const partners = [
          ...new Set([
            ...byValue(near.filter(alike)).slice(0, 3),
            ...byValue(near).slice(0, 2),
            ...nearest(candidates.filter(alike)).slice(0, 2),
            ...nearest(candidates).slice(0, 2),
          ]),
        ];
        const tryPartners = (list: number[], atomFactors = ws) => {
          for (const m2 of list) {
            const u = pair([m, m2]);
            for (const v of vs)
              for (const w of atomFactors) {
                patterns++;
                const p = build(comp, u, v, w);
                if (!p) {
                  rejected.cells++;
                  continue;
                }
                const fy = seenBy(r, which, p) / scale;
                if (fy < 1e-9) {
                  rejected.blind++;
                  continue;
                }
                if (fy * p.range < input.minRange - 1e-9) {
                  rejected.narrow++;
                  continue;
                }
                const result = evaluate(comp, p, best ? best.cost : Number.POSITIVE_INFINITY);
                if (!Number.isFinite(result.cost)) {
                  if (!best) rejected.forbidden++;
                  continue;
                }
                if (!best || result.cost < best.cost || (result.cost === best.cost && p.range > best.p.range))
                  best = { ...result, p };
                if (best.cost === 0) break;
              }
          }
        };
        tryPartners(partners);
        // Partners in counties whose figure is hidden already, only where the others' best hides a
        // county figure (or nothing was found): elsewhere they cannot do better, and trying them for
        // every number took the first release's patterns from 4.2 to 6.3 million.
        const regional =
          best === null || hidesRegion(best.rows)
            ? inHiddenRegions(r, comp, m, q, a, need, new Set([...inSet, ...partners]))
            : [];
        tryPartners(regional);
        // Where those hide an area's figure, the other atoms too (the three above have the most counts,
        // which keeps the range wide): one whose figures are hidden in both places already keeps the
        // areas' sums over the two atoms out of it at no cost. On the demo this took the employment areas'
        // loss down by 3.8–4.3 points and the municipalities' and counties' by about 1 (README).
        if (best === null || best.cost >= (LEVEL_COST[1] ?? 40) * 0.3)
          tryPartners(
            [...partners, ...regional],
            outAtoms.slice(3).map((a2) => pair([a, a2])),
          );
        // No one partner of the same areas has enough, but two have some: the number moves by two
        // steps against one of each (m: +2, m2: −1, m3: −1), and no area's sum sees it.
        if (best === null || best.cost >= (LEVEL_COST[1] ?? 40) * 0.3) {
          const some = near.filter((k) => alike(k) && cellValue(comp, k, q, a) >= 1).slice(0, 4);
          // where the best so far moves a county's figure, two of the same county in other employment
          // areas too: their areas' figures cost less than the county's
          if (best === null || hidesRegion(best.rows))
            some.push(
              ...candidates
                .filter((k) => (distance[m]?.[k] ?? 9) === 1 && alike(k) && cellValue(comp, k, q, a) >= 1)
                .slice(0, 4),
            );
          for (let i = 0; i < some.length; i++)
            for (let j = i + 1; j < some.length; j++) {
              const u: Factor = { at: [m, some[i] as number, some[j] as number], sign: [2, -1, -1] };
              for (const v of vs.slice(0, 2)) consider(build(comp, u, v, pair([a])));
            }
        }
        // Where the best so far moves a county's figure: the number's cell against the same cell of a
        // partner in a county whose figure is hidden already (m3), the ended periods of both counties
        // kept by another atom a2, stepped down in a municipality of the number's own county (m2) and
        // up in m3. The country and both counties' totals stay; only the two counties' figures of a2
        // alone see it (cheap where they are hidden already, as for a rare outcome).
        if (best === null || hidesRegion(best.rows)) {
          const x = cellValue(comp, m, q, a);
          const mates = candidates.filter((k) => (distance[m]?.[k] ?? 9) <= 1 && alike(k));
          // (and the two nearest of other counties that reported alike: it then hides their figures of
          // the number's cell and of a2, where a pair over one atom hides every total of both counties)
          const farther = candidates.filter((k) => (distance[m]?.[k] ?? 9) >= 2 && alike(k));
          const m3s = new Set([
            ...inHiddenRegions(r, comp, m, q, a, need, inSet),
            ...nearest(farther).slice(0, 2),
          ]);
          for (const m3 of m3s) {
            const x3 = cellValue(comp, m3, q, a);
            for (const a2 of outAtoms) {
              const x3b = cellValue(comp, m3, q, a2);
              if (x3b < 0) continue;
              const m2s = mates
                .filter((k) => cellValue(comp, k, q, a2) >= input.minRange)
                .sort((k1, k2) => cellValue(comp, k1, q, a2) - cellValue(comp, k2, q, a2))
                .slice(0, 2);
              for (const m2 of m2s) {
                const cells = {
                  kunta: [m, m2, m3, m3],
                  qi: [q, q, q, q],
                  atom: [a, a2, a, a2],
                  sign: [1, -1, -1, 1],
                };
                const range = stepRange(cells.sign, [x, cellValue(comp, m2, q, a2), x3, x3b]);
                consider({ ...cells, range, u: pair([m, m2]), v: pair([q]), w: pair([a]), product: false });
              }
            }
          }
        }
        // Municipalities of the same areas that reported differently: a solved pattern keeps the
        // areas' sums out of it where a product pattern cannot.
        // (Where every area adds up each quarter reported, areas never see a pair of the same areas.)
        if ((best === null || best.cost >= (LEVEL_COST[1] ?? 40) * 0.3) && !allParts[comp])
          for (const m2 of near.slice(0, 3)) {
            if ((distance[m]?.[m2] ?? 1) !== 0 || reporting(comp, m2, q) === reporting(comp, m, q)) continue;
            for (const p of solvedPatterns(r, which, comp, m, m2, q)) consider(p);
          }
      }
      if (best?.cost === 0) break;
    }
    if (!best) {
      // the cheaper of an earlier certificate and the pattern of last resort
      const kept = byEarlierCertificate(r, which, comp, members, first, last);
      const own = fallback(r, which, comp, anchors, first, last, mask, inSet);
      best = kept && (!own || kept.cost <= own.cost) ? kept : own;
      // Hiding the whole country waits: the attacker's linear program may show the number safe already
      // (step.ts asks it once everything else is hidden; applyLastResort does what it cannot show).
      if (best?.rows.some((id) => s.level[id >> 1] === input.topLevel)) {
        lastResort.push({ row: r, which, comp, p: best.p, alone: !holdEarlier });
        return true;
      }
    }
    if (!best) return false;
    // A pattern that moves a number the served release showed waits too: the attacker's linear program
    // over both releases may show the number safe without it (protectAlone).
    if (!holdEarlier && input.earlier) {
      lastResort.push({ row: r, which, comp, p: best.p, alone: true });
      return true;
    }
    apply(comp, best.p, best.rows);
    return true;
  };
  const lastResort: ({ row: number; which: Which } & (
    | { comp: number; p: Pattern; alone?: boolean }
    | { target: number }
  ))[] = [];

  /**
   * The pattern of last resort: one cell of the number against the same cell of the municipality with
   * the most there (outside the number's own municipalities). It moves every period holding the quarter
   * in both, so it may cost area rows, but it is wide wherever the other municipality has counts.
   */
  const fallback = (
    r: number,
    which: Which,
    comp: number,
    anchors: number[],
    first: number,
    last: number,
    mask: number,
    inSet: Set<number>,
  ): { cost: number; rows: number[]; p: Pattern } | null => {
    const atoms = s.componentAtoms[comp] ?? 0;
    const scale = scaleOf(r, which);
    let best = null as { cost: number; rows: number[]; p: Pattern } | null;
    for (const m of anchors)
      for (let q = first; q <= last; q++)
        for (let a = 0; a < atoms; a++) {
          if (!(mask & (1 << a)) || cellValue(comp, m, q, a) < 0) continue;
          const others: { k: number; x: number }[] = [];
          const same = reporting(comp, m, q);
          for (let k = 0; k < s.nKunta; k++)
            if (!inSet.has(k) && k !== m)
              others.push({ k, x: cellValue(comp, k, q, a) + (reporting(comp, k, q) === same ? 1e6 : 0) });
          others.sort((x, y) => y.x - x.x);
          const tries: [Factor, Factor][] = [];
          for (const { k } of others.slice(0, 8)) {
            tries.push([pair([m, k]), pair([q])]);
            // another quarter of the same year keeps the years out of it
            for (const d of [1, -1, 2, -2, 3, -3]) {
              const q2 = q + d;
              if (
                Math.floor(q2 / 4) === Math.floor(q / 4) &&
                q2 >= s.qiMin &&
                q2 <= s.qiMax &&
                (q2 < first || q2 > last)
              )
                tries.push([pair([m, k]), pair([q, q2])]);
            }
          }
          // alone: every area holding the municipality sees it (where it is the only one reporting,
          // the area's number is its own), paired with another quarter of the number's period or not
          tries.push([pair([m]), pair([q])]);
          for (const d of [1, -1, 2, -2, 3, -3])
            if (q + d >= s.qiMin && q + d <= s.qiMax && (q + d < first || q + d > last))
              tries.push([pair([m]), pair([q, q + d])]);
          const ws = [pair([a])];
          for (let a2 = 0; a2 < atoms; a2++) if (!(mask & (1 << a2))) ws.push(pair([a, a2]));
          for (const [u, v] of tries)
            for (const w of ws) {
              patterns++;
              const p = build(comp, u, v, w);
              if (!p) continue;
              const fy = seenBy(r, which, p) / scale;
              if (fy < 1e-9 || fy * p.range < input.minRange - 1e-9) continue;
              const result = evaluate(comp, p, best ? best.cost : Number.POSITIVE_INFINITY, true);
              if (Number.isFinite(result.cost) && (!best || result.cost < best.cost)) best = { ...result, p };
            }
          if (best && best.cost < TOP_COST) break;
        }
    return best;
  };

  /** Keeps a pattern as the certificate of the numbers it protects. */
  const keepCertificate = (comp: number, p: Pattern) => {
    certificates.push({
      component: comp,
      kunta: Int32Array.from(p.kunta),
      qi: Int32Array.from(p.qi),
      atom: Int32Array.from(p.atom),
      sign: Int8Array.from(p.sign),
      range: p.range,
    });
  };
  const apply = (comp: number, pattern: Pattern, rows: number[]) => {
    const p = withCells(pattern);
    keepCertificate(comp, p);
    collectSeen(comp, p);
    for (let i = 0; i < seen.length; i++) {
      const r = seen.at(i);
      for (const which of NUMBERS) {
        if (!t.mask(r, which)) continue;
        const fy = seenBy(r, which, p) / scaleOf(r, which);
        if (fy > 1e-9 && fy * p.range >= input.minRange - 1e-9 && !protectedBy[2 * r + which])
          protectedBy[2 * r + which] = certificates.length;
      }
    }
    hideNumbers(rows);
  };
  /** Hides numbers (2 × row + which) for another's sake; each then needs protecting itself. */
  const hideNumbers = (rows: number[]) => {
    for (const id of rows) {
      const r = id >> 1;
      const which = (id & 1) as Which;
      hiddenForm[id] = 1;
      markSpent(r);
      if (!hidden[r]) secondary[r] = 1;
      hidden[r] = 1;
      // a pattern that sees it is its certificate unless too narrow for it: checked in the queue
      queue.push({ row: r, which });
    }
  };

  // The earlier release's hidden numbers this release's figures could give away (earlier.ts): each is
  // kept safe by one of its own certificates, hiding the figures of this release that see it. Many are
  // safe without: the attacker's linear program is asked first, as for the whole country (lastResort).
  const earlierTargets = input.earlier?.hidden ?? [];
  const earlierDone = new Uint8Array(earlierTargets.length);
  /**
   * The cheapest of an earlier number's own certificates, with the figures that would see it. A value a
   * correction has replaced since (superseded) is not worth a figure of the whole country: what the two
   * releases still tell of it is recorded (audit.ts), not refused.
   */
  const earlierBest = (i: number) => {
    const h = earlierTargets[i];
    const allowTop = !h?.vars.some((v) => v >= t.nVars);
    let best: { cost: number; rows: number[] } | null = null;
    for (const id of h?.by ?? []) {
      const p = earlierPatterns[id];
      if (!p) continue;
      const result = evaluate(p.comp, p, best ? best.cost : Number.POSITIVE_INFINITY, allowTop);
      if (Number.isFinite(result.cost) && (!best || result.cost < best.cost)) best = result;
      if (best?.cost === 0) break;
    }
    return best;
  };
  const protectEarlier = () => {
    earlierTargets.forEach((h, i) => {
      if (earlierDone[i]) return;
      earlierDone[i] = 1;
      // none: the audit tells whether it is safe anyway
      const best = earlierBest(i);
      if (best && best.rows.length > 0) lastResort.push({ row: h.row, which: h.which, target: i });
    });
  };

  // What the release being served hid of values that did not change stays hidden (hidden for others,
  // and protected as any number hidden for another's sake); its certificates that move nothing shown
  // now protect again what they protected, so a value that did not change needs no new search.
  const kept = input.kept;
  if (kept)
    for (let r = 0; r < n; r++) {
      const bits = kept[r] ?? 0;
      if (!bits || !candidate(r)) continue;
      hideNumbers(
        NUMBERS.filter((w) => bits & (1 << w) && t.mask(r, w) && !isHidden(r, w)).map((w) => 2 * r + w),
      );
    }
  // (one pass over the rows that see each: whether it would hide more, and what it protects not yet)
  const wide: number[] = [];
  for (const p of earlierPatterns) {
    if (!p) continue;
    wide.length = 0;
    const hidesMore = someSeen(p.comp, p, (r) => {
      if (!candidate(r)) return false;
      for (const which of NUMBERS) {
        // a hidden number protected already changes nothing here: it neither hides more nor needs this one
        if (!t.mask(r, which) || (isHidden(r, which) && protectedBy[2 * r + which])) continue;
        const fy = seenBy(r, which, p);
        if (!(fy > 1e-9)) continue;
        if (!isHidden(r, which)) return true;
        if (!protectedBy[2 * r + which] && (fy / scaleOf(r, which)) * p.range >= input.minRange - 1e-9)
          wide.push(2 * r + which);
      }
      return false;
    });
    if (hidesMore || wide.length === 0) continue;
    keepCertificate(p.comp, p);
    for (const id of wide) protectedBy[id] = certificates.length;
  }

  // A hidden 0 inside a shown 0 (a county's "0 of 500" holds every municipality's "0 of 2") is known
  // to everyone and needs no pattern: set aside, and checked again once everything is hidden, since a
  // zero hidden later for another number no longer says it.
  const shownNow = (r: number, which: Which) => candidate(r) && !isHidden(r, which);
  let knownZero: { row: number; which: Which }[] = [];
  let head = 0;
  const earlierZeros = input.earlier?.zeros;
  const drain = () => {
    let zeros = t.knownZeros(shownNow, earlierZeros);
    for (;;) {
      for (; head < queue.length; head++) {
        const { row, which } = queue[head] as { row: number; which: Which };
        if (protectedBy[2 * row + which]) continue;
        if (t.isKnownZero(row, which, zeros)) {
          knownZero.push({ row, which });
          continue;
        }
        if (!search(row, which)) unprotected.push({ row, which });
      }
      protectEarlier();
      zeros = t.knownZeros(shownNow, earlierZeros);
      const still = knownZero.filter((z) => t.isKnownZero(z.row, z.which, zeros));
      if (still.length === knownZero.length) break;
      queue.push(...knownZero.filter((z) => !t.isKnownZero(z.row, z.which, zeros)));
      knownZero = still;
    }
  };
  drain();
  // Numbers no pattern protects without moving an earlier number get the pattern they would have if this
  // release stood alone, but it waits for the attacker's linear program over both releases (job.ts), as
  // the whole country's patterns do: applied only where that program shows the number narrow without it.
  // (Applied at once, such a pattern left the numbers it hid derivable with the served release, and the
  // release was refused: test/indicators/releases-together.test.ts, resends one after another.) Where it
  // is applied, the release is safe on its own, and the joint audit tells what the two still give away.
  const protectAlone = () => {
    if (!input.earlier || unprotected.length === 0) return;
    holdEarlier = false;
    queue.push(...unprotected.splice(0));
    drain();
    holdEarlier = true;
  };
  protectAlone();

  const result: ProtectionResult = {
    hidden,
    secondary,
    hiddenForm,
    certificates,
    protectedBy,
    unprotected,
    knownZero,
    lastResort: [],
    applyLastResort: () => {},
    searches,
    patterns,
    rejected,
  };
  const refresh = () => {
    result.knownZero = knownZero;
    result.searches = searches;
    result.patterns = patterns;
    result.lastResort = lastResort.map((w) => {
      const h = "target" in w ? earlierTargets[w.target] : undefined;
      return h ? { row: w.row, which: w.which, earlier: h } : { row: w.row, which: w.which };
    });
  };
  result.applyLastResort = (needed: boolean[]) => {
    const waiting = lastResort.splice(0);
    waiting.forEach((w, i) => {
      if (!needed[i]) return;
      if ("target" in w) {
        const best = earlierBest(w.target);
        if (best) hideNumbers(best.rows);
        return;
      }
      if (protectedBy[2 * w.row + w.which]) return;
      holdEarlier = !w.alone;
      const { cost, rows } = evaluate(w.comp, w.p, Number.POSITIVE_INFINITY, true);
      holdEarlier = true;
      if (Number.isFinite(cost)) apply(w.comp, w.p, rows);
      else unprotected.push({ row: w.row, which: w.which });
    });
    drain();
    protectAlone();
    refresh();
  };
  refresh();
  return result;
}

/**
 * Steps t a certificate's data x + t·y may take with every cell whole and non-negative: from
 * −min(x/y) over cells with y > 0 to min(x/|y|) over cells with y < 0 (whole steps).
 */
export function stepRange(sign: ArrayLike<number>, x: ArrayLike<number>): number {
  let up = Number.POSITIVE_INFINITY;
  let down = Number.POSITIVE_INFINITY;
  for (let i = 0; i < sign.length; i++) {
    const y = sign[i] ?? 0;
    const v = x[i] ?? 0;
    if (y > 0) down = Math.min(down, Math.floor(v / y));
    else if (y < 0) up = Math.min(up, Math.floor(v / -y));
  }
  return up + down;
}

/** Scales that make a null-space vector of these systems whole (their weights are 1 or 12 / n). */
const WHOLE_SCALES = [1, 2, 3, 4, 6, 12];
/**
 * A basis of the null space of a small dense matrix (rows × n), as whole-number vectors: Gaussian
 * elimination in floating point, each basis vector scaled to whole numbers (null when it is not made
 * of small whole numbers: the audit checks every certificate exactly anyway).
 */
function nullSpace(matrix: number[][], n: number): number[][] {
  const rows = matrix.map((r) => [...r]);
  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < n && rank < rows.length; col++) {
    let best = rank;
    for (let i = rank + 1; i < rows.length; i++)
      if (Math.abs(rows[i]?.[col] ?? 0) > Math.abs(rows[best]?.[col] ?? 0)) best = i;
    if (Math.abs(rows[best]?.[col] ?? 0) < 1e-9) continue;
    [rows[rank], rows[best]] = [rows[best] as number[], rows[rank] as number[]];
    const pivot = rows[rank] as number[];
    const d = pivot[col] ?? 1;
    for (let j = 0; j < n; j++) pivot[j] = (pivot[j] ?? 0) / d;
    for (let i = 0; i < rows.length; i++) {
      if (i === rank) continue;
      const row = rows[i] as number[];
      const f = row[col] ?? 0;
      if (Math.abs(f) < 1e-12) continue;
      for (let j = 0; j < n; j++) row[j] = (row[j] ?? 0) - f * (pivot[j] ?? 0);
    }
    pivots.push(col);
    rank++;
  }
  const isPivot = new Set(pivots);
  const basis: number[][] = [];
  for (let free = 0; free < n; free++) {
    if (isPivot.has(free)) continue;
    const v = new Array<number>(n).fill(0);
    v[free] = 1;
    pivots.forEach((col, i) => {
      v[col] = -(rows[i]?.[free] ?? 0);
    });
    // to whole numbers: the entries of these 0/1 systems are small fractions (tested without copies:
    // tens of thousands of windows are solved in a first release)
    const k = WHOLE_SCALES.find((k) =>
      v.every((x) => Math.abs(x * k - Math.round(x * k)) < 1e-6 && Math.abs(x * k) <= 8),
    );
    if (k !== undefined) {
      for (let j = 0; j < n; j++) v[j] = Math.round((v[j] ?? 0) * k);
      basis.push(v);
    }
  }
  return basis;
}

/**
 * For each municipality, others to pair it with, best first: those in the same areas at every level
 * (a pattern over them changes no area's sum), then those differing in fewer levels; nearest code first.
 */
function partnerLists(t: LinkedTables): { lists: number[][]; distance: Uint8Array[] } {
  const s = t.s;
  const levels = s.areaOf.map((_, l) => l).filter((l) => l !== s.kuntaLevel);
  const signature = (k: number) => levels.map((l) => s.areaOf[l]?.[k] ?? -1);
  const sigs = Array.from({ length: s.nKunta }, (_, k) => signature(k));
  const lists: number[][] = [];
  const distance: Uint8Array[] = [];
  for (let k = 0; k < s.nKunta; k++) {
    const dist = new Uint8Array(s.nKunta);
    distance.push(dist);
    const mine = sigs[k] as number[];
    const scored: { k: number; d: number }[] = [];
    for (let j = 0; j < s.nKunta; j++) {
      if (j === k) continue;
      const other = sigs[j] as number[];
      let d = 0;
      for (let i = 0; i < mine.length; i++) if (mine[i] !== other[i]) d += 1 << i;
      dist[j] = d;
      scored.push({ k: j, d: d * 100000 + Math.abs(j - k) });
    }
    scored.sort((a, b) => a.d - b.d);
    lists.push(scored.map((x) => x.k));
  }
  return { lists, distance };
}
