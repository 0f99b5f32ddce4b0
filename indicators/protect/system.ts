/**
 * Everything published from one data version as one linked set of tables over the inner cells
 * (municipality × quarter × atom, see atoms.ts). A published *row* is an indicator value of one area,
 * period and cell; it shows up to two *forms*: its numerator and its denominator, each a linear form
 * over inner cells (population denominators are public constants, not forms). Rows come from the
 * compute step as typed arrays; this module answers which inner cells a form adds up, with what
 * weight, and which rows touch an inner cell.
 */

/** How quarters make a longer period (definition.ts `over`); `none` = no measure. */
export const OVER_KINDS = ["flow", "stock", "mean", "none"] as const;
export type OverKind = (typeof OVER_KINDS)[number];
const STOCK = OVER_KINDS.indexOf("stock");
const MEAN = OVER_KINDS.indexOf("mean");

/** Numerator (0) or denominator (1) of a row. */
export type Which = 0 | 1;

export interface SystemInput {
  /** Per row (value): indicator, cell, area, level, period type and last quarter index. */
  ind: Int32Array;
  cell: Int32Array;
  area: Int32Array;
  level: Int32Array;
  ptype: Int32Array;
  lastQi: Int32Array;
  numerator: Float64Array;
  denominator: Float64Array;
  reported: Int32Array;
  /** Row is shown at its level (the indicator publishes the level). */
  published: Uint8Array;
  /**
   * Per indicator: component (atoms.ts), masks[cell][which], over kinds of numerator and denominator,
   * and whether its areas add up every quarter reported (definition.ts addsReportedQuarters).
   */
  indicators: {
    component: number;
    masks: number[][];
    over: [OverKind, OverKind];
    cells: number;
    addsParts: boolean;
  }[];
  /** Per component: number of atoms. */
  componentAtoms: number[];
  /** Inner cells: value and reported, at var(component, kunta, qi, atom). */
  cellValue: Float64Array;
  cellOk: Uint8Array;
  /** Municipalities 0…nKunta-1 (their area ids at the municipal level); areaOf[level][kunta] = area id. */
  nKunta: number;
  areaOf: Int32Array[];
  kuntaLevel: number;
  /** Area id → its level and member municipalities. */
  areaLevel: Int32Array;
  areaMembers: number[][];
  qiMin: number;
  qiMax: number;
  quarterType: number;
  yearType: number;
  rollingType: number;
  threshold: number;
}

/** Value scale of a form: means are stored ×12 so every weight 1/n (n ≤ 4) is a whole multiple. */
export const MEAN_SCALE = 12;

/** The linked tables of one data version, with the lookups protection and audit need. */
export class LinkedTables {
  readonly n: number;
  readonly nQ: number;
  private readonly index: Int32Array;
  private readonly slot: number[];
  private readonly quarterReported: Uint8Array;
  private readonly nArea: number;
  private readonly nPtype: number;
  readonly varOffset: number[];
  readonly nVars: number;
  /** Per component: the (indicator, cell) pairs whose measures live in it. */
  readonly slotsOf: { ind: number; cell: number }[][];
  /** Per row and number (2 × row + which): the atoms its form adds up (mask), and its OVER_KINDS index. */
  private readonly rowMask: Int32Array;
  private readonly rowOver: Uint8Array;
  /** Per row: its component (-1: none), and the atoms either number may add up (forRowsTouching). */
  private readonly rowComponent: Int32Array;
  private readonly rowAtoms: Int32Array;
  /** Per row: 1 when it is an area row adding up every quarter reported (addsParts). */
  private readonly rowAddsParts: Uint8Array;
  /** Per component, built when first asked: the rows touching each (municipality, quarter) (touchIndex). */
  private readonly touching: ({ start: Int32Array; rows: Int32Array } | undefined)[] = [];
  /** Rows met by someRowTouchingCells, marked with its call's number. */
  private met: Int32Array | undefined;
  private metMark = 0;

  constructor(readonly s: SystemInput) {
    this.n = s.ind.length;
    this.nQ = s.qiMax - s.qiMin + 1;
    this.nArea = s.areaLevel.length;
    this.nPtype = Math.max(s.quarterType, s.yearType, s.rollingType) + 1;
    this.slot = [];
    let nSlots = 0;
    for (const ind of s.indicators) {
      this.slot.push(nSlots);
      nSlots += ind.cells;
    }
    this.index = new Int32Array(Math.max(1, nSlots * this.nArea * this.nPtype * this.nQ)).fill(-1);
    for (let r = 0; r < this.n; r++) {
      const k = this.key(s.ind[r] ?? 0, s.cell[r] ?? 0, s.area[r] ?? 0, s.ptype[r] ?? 0, s.lastQi[r] ?? 0);
      if (k >= 0) this.index[k] = r;
    }
    this.varOffset = [];
    let offset = 0;
    for (const atoms of s.componentAtoms) {
      this.varOffset.push(offset);
      offset += s.nKunta * this.nQ * atoms;
    }
    this.nVars = offset;
    // Which municipal quarters were reported, per indicator and cell: the areas of addsParts add them up.
    this.quarterReported = new Uint8Array(Math.max(1, nSlots * s.nKunta * this.nQ));
    for (let r = 0; r < this.n; r++) {
      if (s.level[r] !== s.kuntaLevel || s.ptype[r] !== s.quarterType || !((s.reported[r] ?? 0) > 0))
        continue;
      const slot = (this.slot[s.ind[r] ?? 0] ?? 0) + (s.cell[r] ?? 0);
      const q = (s.lastQi[r] ?? 0) - s.qiMin;
      if (q >= 0 && q < this.nQ) this.quarterReported[(slot * s.nKunta + (s.area[r] ?? 0)) * this.nQ + q] = 1;
    }
    this.slotsOf = s.componentAtoms.map(() => []);
    s.indicators.forEach((d, ind) => {
      if (d.component < 0) return;
      for (let cell = 0; cell < d.cells; cell++) this.slotsOf[d.component]?.push({ ind, cell });
    });
    // What each row's indicator and cell say of it, once: these are asked millions of times a search.
    this.rowMask = new Int32Array(2 * this.n);
    this.rowOver = new Uint8Array(2 * this.n).fill(OVER_KINDS.indexOf("none"));
    this.rowComponent = new Int32Array(this.n).fill(-1);
    this.rowAtoms = new Int32Array(this.n);
    this.rowAddsParts = new Uint8Array(this.n);
    for (let r = 0; r < this.n; r++) {
      const d = s.indicators[s.ind[r] ?? 0];
      if (!d) continue;
      const masks = d.masks[s.cell[r] ?? 0];
      this.rowComponent[r] = d.component;
      this.rowAtoms[r] = (masks?.[0] ?? 0) | (masks?.[1] ?? 0);
      this.rowAddsParts[r] = (s.level[r] ?? 0) !== s.kuntaLevel && d.addsParts ? 1 : 0;
      for (const which of [0, 1] as const) {
        this.rowOver[2 * r + which] = OVER_KINDS.indexOf(d.over[which]);
        if (d.over[which] !== "none") this.rowMask[2 * r + which] = masks?.[which] ?? 0;
      }
    }
  }

  private key(ind: number, cell: number, area: number, ptype: number, qi: number): number {
    if (qi < this.s.qiMin || qi > this.s.qiMax || ptype >= this.nPtype) return -1;
    return (
      ((((this.slot[ind] ?? 0) + cell) * this.nArea + area) * this.nPtype + ptype) * this.nQ +
      (qi - this.s.qiMin)
    );
  }

  /** The row of a value, or -1. */
  rowAt(ind: number, cell: number, area: number, ptype: number, qi: number): number {
    const k = this.key(ind, cell, area, ptype, qi);
    return k < 0 ? -1 : (this.index[k] ?? -1);
  }

  /** Index of an inner cell's variable. */
  varOf(component: number, kunta: number, qi: number, atom: number): number {
    const atoms = this.s.componentAtoms[component] ?? 0;
    return (this.varOffset[component] ?? 0) + ((kunta * this.nQ + (qi - this.s.qiMin)) * atoms + atom);
  }

  /** The inner cell of a variable. */
  cellOf(v: number): { component: number; kunta: number; qi: number; atom: number } {
    let component = 0;
    while (component + 1 < this.varOffset.length && (this.varOffset[component + 1] ?? 0) <= v) component++;
    const atoms = this.s.componentAtoms[component] ?? 1;
    const local = v - (this.varOffset[component] ?? 0);
    const atom = local % atoms;
    const rest = (local - atom) / atoms;
    const q = rest % this.nQ;
    return { component, kunta: (rest - q) / this.nQ, qi: q + this.s.qiMin, atom };
  }

  /** First quarter of a row's period. */
  firstQi(r: number): number {
    const last = this.s.lastQi[r] ?? 0;
    return this.s.ptype[r] === this.s.quarterType ? last : last - 3;
  }

  /** How the measure of a row adds up quarters. */
  over(r: number, which: Which): OverKind {
    return OVER_KINDS[this.rowOver[2 * r + which] ?? 3] ?? "none";
  }

  /** The atoms (bit mask) a row's measure adds up; 0 when the row has no such form. */
  mask(r: number, which: Which): number {
    return this.rowMask[2 * r + which] ?? 0;
  }

  component(r: number): number {
    return this.rowComponent[r] ?? -1;
  }

  /** The municipal row of kunta in the same indicator, cell and period as row r. */
  kuntaRow(r: number, kunta: number): number {
    const s = this.s;
    return this.rowAt(s.ind[r] ?? 0, s.cell[r] ?? 0, kunta, s.ptype[r] ?? 0, s.lastQi[r] ?? 0);
  }

  /** Whether an area row adds up every quarter its members reported (not only whole periods). */
  private addsParts(r: number): boolean {
    return this.rowAddsParts[r] === 1;
  }

  /** Whether kunta reported quarter qi of row r's indicator and cell (both its numbers). */
  private reportedQuarter(r: number, kunta: number, qi: number): boolean {
    const s = this.s;
    const slot = (this.slot[s.ind[r] ?? 0] ?? 0) + (s.cell[r] ?? 0);
    return this.quarterReported[(slot * s.nKunta + kunta) * this.nQ + (qi - s.qiMin)] === 1;
  }

  /** Whether kunta is one of the municipalities row r adds up (member of its area that reported). */
  includes(r: number, kunta: number): boolean {
    const s = this.s;
    const level = s.level[r] ?? 0;
    if ((s.areaOf[level]?.[kunta] ?? -1) !== s.area[r]) return false;
    if (this.addsParts(r)) {
      for (let q = this.firstQi(r); q <= (s.lastQi[r] ?? 0); q++)
        if (this.reportedQuarter(r, kunta, q)) return true;
      return false;
    }
    const kr = level === s.kuntaLevel ? r : this.kuntaRow(r, kunta);
    return kr >= 0 && (s.reported[kr] ?? 0) > 0;
  }

  /** Quarters of a mean that kunta reported within row r's period (the n of its 1/n weights). */
  private meanCount(r: number, kunta: number): number {
    const s = this.s;
    let n = 0;
    for (let q = this.firstQi(r); q <= (s.lastQi[r] ?? 0); q++) {
      const qr = this.rowAt(s.ind[r] ?? 0, s.cell[r] ?? 0, kunta, s.quarterType, q);
      if (qr >= 0 && (s.reported[qr] ?? 0) > 0) n++;
    }
    return n;
  }

  /** Weight of inner cell (kunta, qi, atom) in a row's form (0 when it is not in it); means ×12. */
  coef(r: number, which: Which, kunta: number, qi: number, atom: number): number {
    const mask = this.mask(r, which);
    if (!(mask & (1 << atom))) return 0;
    return this.timeWeight(r, which, kunta, qi);
  }

  /** The weight of a municipality's quarter in a row's form, for an atom the form adds up. */
  timeWeight(r: number, which: Which, kunta: number, qi: number): number {
    // asked for every row a pattern meets: the cheapest tests first, each array read once
    const s = this.s;
    const last = s.lastQi[r] ?? 0;
    const over = this.rowOver[2 * r + which];
    if (over === STOCK) {
      if (qi !== last) return 0;
    } else if (qi > last || qi < (s.ptype[r] === s.quarterType ? last : last - 3)) return 0;
    // a municipality outside the row's area is in neither kind of sum (as includes)
    if ((s.areaOf[s.level[r] ?? 0]?.[kunta] ?? -1) !== s.area[r]) return 0;
    if (this.rowAddsParts[r] === 1) return this.reportedQuarter(r, kunta, qi) ? 1 : 0;
    if (!this.includes(r, kunta)) return 0;
    if (over !== MEAN) return 1;
    const qr = this.rowAt(this.s.ind[r] ?? 0, this.s.cell[r] ?? 0, kunta, this.s.quarterType, qi);
    if (qr < 0 || !((this.s.reported[qr] ?? 0) > 0)) return 0;
    return MEAN_SCALE / this.meanCount(r, kunta);
  }

  /**
   * Whether municipalities a and b weigh the same in every area row of a component over quarters
   * lo…hi: timeWeight differs between two members of an area only by what each reported (its quarter
   * rows, and its own rows of the periods holding those quarters), compared here for every cell.
   */
  weighAlike(comp: number, a: number, b: number, lo: number, hi: number): boolean {
    const key = (comp * this.s.nKunta + a) * this.s.nKunta + b;
    let byQuarter = this.alike.get(key);
    if (!byQuarter) {
      byQuarter = new Int8Array(this.nQ);
      this.alike.set(key, byQuarter);
    }
    // a period holding a quarter of lo…hi ends in lo…hi+3; a mean's quarters start 3 before its end
    for (let x = Math.max(lo - 3, this.s.qiMin); x <= Math.min(hi + 3, this.s.qiMax); x++) {
      const i = x - this.s.qiMin;
      if (byQuarter[i] === 0) byQuarter[i] = this.reportedAlike(comp, a, b, x) ? 1 : 2;
      if (byQuarter[i] === 2) return false;
    }
    return true;
  }
  /** Per component and pair of municipalities, per quarter: 1 when they reported alike (weighAlike), 2 when not. */
  private readonly alike = new Map<number, Int8Array>();

  /** Whether a and b have the same rows reported among every cell's rows of periods ending in quarter x. */
  private reportedAlike(comp: number, a: number, b: number, x: number): boolean {
    const s = this.s;
    const reported = (r: number) => r >= 0 && (s.reported[r] ?? 0) > 0;
    for (const { ind, cell } of this.slotsOf[comp] ?? [])
      for (const ptype of [s.quarterType, s.yearType, s.rollingType])
        if (reported(this.rowAt(ind, cell, a, ptype, x)) !== reported(this.rowAt(ind, cell, b, ptype, x)))
          return false;
    return true;
  }

  /** Calls fn(kunta) for every municipality a row adds up. */
  forMembers(r: number, fn: (kunta: number) => void): void {
    const s = this.s;
    const level = s.level[r] ?? 0;
    if (level === s.kuntaLevel) {
      if ((s.reported[r] ?? 0) > 0) fn(s.area[r] ?? 0);
      return;
    }
    for (const k of s.areaMembers[s.area[r] ?? 0] ?? []) if (this.includes(r, k)) fn(k);
  }

  /** The form of a row's measure as (variable, weight) pairs; empty when the row has no such form. */
  form(r: number, which: Which): { vars: number[]; coefs: number[] } {
    const vars: number[] = [];
    const coefs: number[] = [];
    this.someCell(r, which, (v, c) => {
      vars.push(v);
      coefs.push(c);
      return false;
    });
    return { vars, coefs };
  }

  /**
   * Calls fn(variable, weight) for each cell of a row's form, in form's order, until fn returns true;
   * whether it did. (The audit asks this of every shown zero: no arrays made.)
   */
  someCell(r: number, which: Which, fn: (v: number, coef: number) => boolean): boolean {
    const mask = this.mask(r, which);
    const comp = this.component(r);
    if (!mask || comp < 0) return false;
    const last = this.s.lastQi[r] ?? 0;
    const first = this.over(r, which) === "stock" ? last : this.firstQi(r);
    const atoms = this.s.componentAtoms[comp] ?? 0;
    let stopped = false;
    this.forMembers(r, (k) => {
      for (let q = first; q <= last && !stopped; q++) {
        // the weight of (k, q) is the same for every atom the form adds up (coef)
        const c = this.timeWeight(r, which, k, q);
        if (c === 0) continue;
        for (let a = 0; a < atoms && !stopped; a++)
          if (mask & (1 << a) && fn(this.varOf(comp, k, q, a), c)) stopped = true;
      }
    });
    return stopped;
  }

  /** The value of a row's form (numerator or denominator; a mean numerator ×12). */
  formValue(r: number, which: Which): number {
    const v = which === 0 ? this.s.numerator[r] : this.s.denominator[r];
    return (v ?? 0) * (this.over(r, which) === "mean" ? MEAN_SCALE : 1);
  }

  /**
   * The inner cells a shown zero adds up. A published sum of 0 says that every cell in it is 0
   * (cells are never negative), so a hidden number made only of such cells is public knowledge, 0: no
   * pattern can move it without hiding the zero, which is not a small number.
   */
  knownZeros(shown: (r: number, which: Which) => boolean, alsoZero: readonly number[] = []): Uint8Array {
    const zero = new Uint8Array(this.nVars);
    // cells an earlier release's shown zero adds up (earlier.ts): still public, still 0
    for (const v of alsoZero) zero[v] = 1;
    for (let r = 0; r < this.n; r++)
      for (const which of [0, 1] as const) {
        if (!this.mask(r, which) || this.formValue(r, which) !== 0 || !shown(r, which)) continue;
        this.someCell(r, which, (v) => {
          zero[v] = 1;
          return false;
        });
      }
    return zero;
  }

  /** Whether a row's number is 0 and every cell of it is a known zero (knownZeros). */
  isKnownZero(r: number, which: Which, zero: Uint8Array): boolean {
    if (this.formValue(r, which) !== 0) return false;
    let cells = 0;
    const someNotZero = this.someCell(r, which, (v) => {
      cells++;
      return zero[v] !== 1;
    });
    return cells > 0 && !someNotZero;
  }

  /** Whether a row's form is a small number by the primary rule (more than 0, less than the threshold). */
  sensitive(r: number, which: Which): boolean {
    if (!this.mask(r, which)) return false;
    const v = which === 0 ? this.s.numerator[r] : this.s.denominator[r];
    return v !== undefined && v > 0 && v < this.s.threshold;
  }

  /**
   * A key equal for rows showing the same form: component, atoms, area, quarters and the members
   * that reported (a stock's longer periods are its last quarter).
   */
  formKey(r: number, which: Which): string {
    const s = this.s;
    const over = this.over(r, which);
    const last = s.lastQi[r] ?? 0;
    const first = over === "stock" ? last : this.firstQi(r);
    const kind = first === last ? "f" : over[0];
    let missing = "";
    if (this.addsParts(r))
      // one character per member: the bits of the period's quarters it reported
      for (const k of s.areaMembers[s.area[r] ?? 0] ?? []) {
        let bits = 0;
        for (let q = first; q <= last; q++) if (this.reportedQuarter(r, k, q)) bits |= 1 << (q - first);
        missing += String.fromCharCode(65 + bits);
      }
    else if ((s.level[r] ?? 0) !== s.kuntaLevel)
      for (const k of s.areaMembers[s.area[r] ?? 0] ?? []) if (!this.includes(r, k)) missing += `${k},`;
    return `${this.component(r)}|${this.mask(r, which)}|${s.area[r]}|${first}|${last}|${kind}|${missing}`;
  }

  /**
   * Calls fn(row) for every row whose numerator or denominator may add up an inner cell (kunta, qi, a)
   * of a component for an atom a in the bit mask `atoms`: the municipality's areas at every level × the
   * periods holding the quarter × the cells of the component (the weight may still be 0: see coef).
   */
  forRowsTouching(comp: number, kunta: number, qi: number, atoms: number, fn: (r: number) => void): void {
    this.someRowTouching(comp, kunta, qi, atoms, (r) => {
      fn(r);
      return false;
    });
  }

  /** As forRowsTouching, stopping at the first row for which fn is true; whether there was one. */
  someRowTouching(
    comp: number,
    kunta: number,
    qi: number,
    atoms: number,
    fn: (r: number) => boolean,
  ): boolean {
    if (qi < this.s.qiMin || qi > this.s.qiMax) {
      let found = false;
      this.scanRowsTouching(comp, kunta, qi, (r) => {
        if (!found && (this.rowAtoms[r] ?? 0) & atoms) found = fn(r);
      });
      return found;
    }
    const index = this.touching[comp] ?? this.touchIndex(comp);
    const at = kunta * this.nQ + (qi - this.s.qiMin);
    const { start, rows } = index;
    for (let i = start[at] ?? 0, end = start[at + 1] ?? 0; i < end; i++) {
      const r = rows[i] as number;
      if ((this.rowAtoms[r] ?? 0) & atoms && fn(r)) return true;
    }
    return false;
  }

  /**
   * As someRowTouching for the cell (kunta, qi) of a pattern whose atom factor is w (atoms with signs):
   * only the rows where it weighs, Σ sign over the atoms of w a number adds up not 0 for the numerator
   * or the denominator. A row where both are 0 cannot see such a pattern, whatever its quarters, and most
   * rows the search meets are (a total over both atoms of w: the pattern keeps it out). Rows marked in
   * `skip` are left out too.
   */
  someRowWeighing(
    comp: number,
    kunta: number,
    qi: number,
    w: { at: readonly number[]; sign: readonly number[] },
    skip: Uint8Array,
    fn: (r: number) => boolean,
  ): boolean {
    if (qi < this.s.qiMin || qi > this.s.qiMax) {
      let atoms = 0;
      for (const a of w.at) atoms |= 1 << a;
      return this.someRowTouching(comp, kunta, qi, atoms, (r) => !skip[r] && this.weighs(r, w) && fn(r));
    }
    const index = this.touching[comp] ?? this.touchIndex(comp);
    const at = kunta * this.nQ + (qi - this.s.qiMin);
    const { start, rows } = index;
    for (let i = start[at] ?? 0, end = start[at + 1] ?? 0; i < end; i++) {
      const r = rows[i] as number;
      if (!skip[r] && this.weighs(r, w) && fn(r)) return true;
    }
    return false;
  }

  /** Whether the atom factor w weighs in a row's numerator or denominator (someRowWeighing). */
  private weighs(r: number, w: { at: readonly number[]; sign: readonly number[] }): boolean {
    const m0 = this.rowMask[2 * r] ?? 0;
    const m1 = this.rowMask[2 * r + 1] ?? 0;
    let f0 = 0;
    let f1 = 0;
    for (let k = 0; k < w.at.length; k++) {
      const a = w.at[k] as number;
      const sign = w.sign[k] ?? 0;
      f0 += sign * ((m0 >> a) & 1);
      f1 += sign * ((m1 >> a) & 1);
    }
    return f0 !== 0 || f1 !== 0;
  }

  /**
   * Calls fn(row) once for every row touching one of the cells (kunta[i], qi[i], atom[i]) of a
   * component, stopping at the first row for which fn is true; whether there was one. (fn may not call
   * this again: the rows met are marked in one array.)
   */
  someRowTouchingCells(
    comp: number,
    cells: { kunta: ArrayLike<number>; qi: ArrayLike<number>; atom: ArrayLike<number> },
    fn: (r: number) => boolean,
  ): boolean {
    this.met ??= new Int32Array(this.n);
    const met = this.met;
    const mark = ++this.metMark;
    const once = (r: number) => {
      if (met[r] === mark) return false;
      met[r] = mark;
      return fn(r);
    };
    for (let i = 0; i < cells.kunta.length; i++)
      if (this.someRowTouching(comp, cells.kunta[i] ?? 0, cells.qi[i] ?? 0, 1 << (cells.atom[i] ?? 0), once))
        return true;
    return false;
  }

  /**
   * The rows touching each (municipality, quarter) of a component, in the order scanRowsTouching finds
   * them (the order protection meets rows in: the same data gets the same protection), found once.
   */
  private touchIndex(comp: number): { start: Int32Array; rows: Int32Array } {
    const cells = this.s.nKunta * this.nQ;
    const start = new Int32Array(cells + 1);
    let rows = new Int32Array(1024);
    let n = 0;
    const push = (r: number) => {
      if (n === rows.length) {
        const grown = new Int32Array(2 * rows.length);
        grown.set(rows);
        rows = grown;
      }
      rows[n++] = r;
    };
    for (let kunta = 0; kunta < this.s.nKunta; kunta++)
      for (let q = 0; q < this.nQ; q++) {
        start[kunta * this.nQ + q] = n;
        this.scanRowsTouching(comp, kunta, q + this.s.qiMin, push);
      }
    start[cells] = n;
    const index = { start, rows: rows.slice(0, n) };
    this.touching[comp] = index;
    return index;
  }

  /** Every row of a component that may add up a cell of (kunta, qi), whatever its atoms, found by lookups. */
  private scanRowsTouching(comp: number, kunta: number, qi: number, fn: (r: number) => void): void {
    const s = this.s;
    for (let level = 0; level < s.areaOf.length; level++) {
      const area = s.areaOf[level]?.[kunta] ?? -1;
      if (area < 0) continue;
      const slots = this.slotsOf[comp] ?? [];
      const year = Math.floor(qi / 4) * 4 + 3;
      for (let i = 0; i < slots.length; i++) {
        const { ind, cell } = slots[i] as { ind: number; cell: number };
        const masks = s.indicators[ind]?.masks[cell];
        if (!masks || !((masks[0] ?? 0) | (masks[1] ?? 0))) continue;
        let r = this.rowAt(ind, cell, area, s.quarterType, qi);
        if (r >= 0) fn(r);
        r = this.rowAt(ind, cell, area, s.yearType, year);
        if (r >= 0) fn(r);
        for (let q = qi; q <= qi + 3; q++) {
          r = this.rowAt(ind, cell, area, s.rollingType, q);
          if (r >= 0) fn(r);
        }
      }
    }
  }
}

/** Per row and number: 1 when shown (the row's level is published and the number is not hidden). */
export function shownNumbers(t: LinkedTables, hiddenForm: Uint8Array): Uint8Array {
  const shown = new Uint8Array(2 * t.n);
  for (let i = 0; i < 2 * t.n; i++) shown[i] = t.s.published[i >> 1] && !hiddenForm[i] ? 1 : 0;
  return shown;
}

/** A number's form with its scale, as the attacker's linear programs take it (ranges.ts LpTarget). */
export function scaledForm(t: LinkedTables, row: number, which: Which) {
  return { ...t.form(row, which), scale: t.over(row, which) === "mean" ? MEAN_SCALE : 1 };
}

/** Every published form once (rows showing the same form share it), with the keys of those forms. */
export function publishedForms(
  t: LinkedTables,
  shown: Uint8Array,
): { published: { vars: number[]; coefs: number[]; row: number; which: Which }[]; keys: Set<string> } {
  const keys = new Set<string>();
  const published: { vars: number[]; coefs: number[]; row: number; which: Which }[] = [];
  for (let r = 0; r < t.n; r++) {
    for (const which of [0, 1] as const) {
      if (!shown[2 * r + which] || !t.mask(r, which)) continue;
      const key = t.formKey(r, which);
      if (keys.has(key)) continue;
      keys.add(key);
      const f = t.form(r, which);
      if (f.vars.length > 0) published.push({ ...f, row: r, which });
    }
  }
  return { published, keys };
}
