/**
 * Which linear forms the published ones determine: sparse Gaussian elimination over the integers
 * modulo the prime 2^26 − 5. Modular arithmetic is exact (no rounding tolerance to choose) and sound
 * for the question asked: a form in the span of the published forms over the rationals is in their
 * span modulo p too, so "not in the span modulo p" proves that no linear combination of published
 * numbers gives the hidden one. (The converse can fail only for a p dividing some determinant of the
 * 0/1 system, which would at worst report a leak that is not there.) Products of two residues stay
 * below 2^52, exact in a double.
 */

const P = 67108859;

const mulmod = (a: number, b: number) => (a * b) % P;
const mod = (a: number) => {
  const r = a % P;
  return r < 0 ? r + P : r;
};

function inverse(a: number): number {
  let [oldR, r] = [mod(a), P];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS);
}

/** A growing basis of published forms, kept triangular: each row has a pivot variable of its own. */
export class Span {
  private readonly rowVars: Int32Array[] = [];
  private readonly rowCoefs: Float64Array[] = [];
  /** Per variable: the row it is the pivot of, or -1. */
  private readonly pivotRow: Int32Array;
  private readonly acc: Float64Array;
  private readonly mark: Uint8Array;
  private touched: number[] = [];
  private heap: number[] = [];

  constructor(nVars: number) {
    this.pivotRow = new Int32Array(nVars).fill(-1);
    this.acc = new Float64Array(nVars);
    this.mark = new Uint8Array(nVars);
  }

  get rank(): number {
    return this.rowVars.length;
  }

  private push(v: number) {
    // a min-heap of pivot rows by insertion order: eliminating row i only brings in pivots of later rows
    const h = this.heap;
    const key = this.pivotRow[v] ?? 0;
    h.push(v);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.pivotRow[h[parent] ?? 0] ?? 0) <= key) break;
      h[i] = h[parent] as number;
      i = parent;
    }
    h[i] = v;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0] as number;
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      const key = this.pivotRow[last] ?? 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= h.length) break;
        if (
          child + 1 < h.length &&
          (this.pivotRow[h[child + 1] ?? 0] ?? 0) < (this.pivotRow[h[child] ?? 0] ?? 0)
        )
          child++;
        if ((this.pivotRow[h[child] ?? 0] ?? 0) >= key) break;
        h[i] = h[child] as number;
        i = child;
      }
      h[i] = last;
    }
    return top;
  }

  private add(v: number, c: number) {
    if (!this.mark[v]) {
      this.mark[v] = 1;
      this.touched.push(v);
      this.acc[v] = 0;
      if ((this.pivotRow[v] ?? -1) >= 0) this.push(v);
    }
    this.acc[v] = mod((this.acc[v] ?? 0) + c);
  }

  /** Reduces a form against the basis; leaves the remainder in the accumulator (see take/clear). */
  private reduce(vars: ArrayLike<number>, coefs: ArrayLike<number>) {
    for (let i = 0; i < vars.length; i++) this.add(vars[i] as number, mod(coefs[i] as number));
    while (this.heap.length > 0) {
      const v = this.pop();
      const c = this.acc[v] ?? 0;
      if (c === 0) continue;
      const row = this.pivotRow[v] ?? -1;
      const rv = this.rowVars[row] as Int32Array;
      const rc = this.rowCoefs[row] as Float64Array;
      // row has coefficient 1 at its pivot v: subtracting c × row clears v
      for (let i = 0; i < rv.length; i++) this.add(rv[i] as number, P - mulmod(c, rc[i] as number));
    }
  }

  private clear() {
    for (const v of this.touched) {
      this.mark[v] = 0;
      this.acc[v] = 0;
    }
    this.touched = [];
  }

  /** Adds a published form; returns false when it was already determined by the others. */
  insert(vars: ArrayLike<number>, coefs: ArrayLike<number>): boolean {
    this.reduce(vars, coefs);
    const rest = this.touched.filter((v) => (this.acc[v] ?? 0) !== 0 && (this.pivotRow[v] ?? -1) < 0);
    if (rest.length === 0) {
      this.clear();
      return false;
    }
    const pivot = rest[0] as number;
    const inv = inverse(this.acc[pivot] ?? 1);
    const rv = Int32Array.from(rest);
    const rc = Float64Array.from(rest, (v) => mulmod(this.acc[v] ?? 0, inv));
    this.pivotRow[pivot] = this.rowVars.length;
    this.rowVars.push(rv);
    this.rowCoefs.push(rc);
    this.clear();
    return true;
  }

  /** Whether a form is a linear combination of the inserted ones. */
  contains(vars: ArrayLike<number>, coefs: ArrayLike<number>): boolean {
    this.reduce(vars, coefs);
    const zero = this.touched.every((v) => (this.acc[v] ?? 0) === 0 || (this.pivotRow[v] ?? -1) >= 0);
    this.clear();
    return zero;
  }
}
