import { STATUSES } from "../../indicators/suppress/status.ts";

/**
 * The secondary suppression rule Seuranta used before issue 2.1 ("one more cell"), kept only so that
 * the tests can show each adversarial fixture leaking under it and not under the protection that
 * replaced it (indicators/protect/). Never used to publish anything.
 */

const statusCode = (s: (typeof STATUSES)[number]) => STATUSES.indexOf(s);

/**
 * Why secondary suppression hid a value, by the kind of group it protects: an area and its member
 * municipalities, a year and its quarters, a total and its breakdown cells, or periods that hold the
 * same numbers (a year and the four quarters ending with its Q4; for stocks, a quarter and the
 * periods ending with it).
 */
export const GROUP_KINDS = ["area", "period", "breakdown", "same"] as const;

/**
 * Values as arrays (row i of every array is one value). Areas are numbered; `areaParents[a]` lists the
 * areas (at other levels) a municipality area a belongs to and `areaMembers[p]` the municipality areas
 * of an area p. `lastQi` is the period's last quarter index.
 */
export interface SuppressionInput {
  ind: Int32Array;
  cell: Int32Array;
  area: Int32Array;
  ptype: Int32Array;
  lastQi: Int32Array;
  /** Index into STATUSES; hidden rows are set to `suppressed` in place. */
  status: Int32Array;
  numerator: Float64Array;
  /** The denominator, or the numerator for counts (what "smallest" means). */
  size: Float64Array;
  /** Per indicator: number of cells (1 + breakdown values) and whether years add up quarters. */
  cells: number[];
  timeAdditive: boolean[];
  areaParents: number[][];
  areaMembers: number[][];
  quarterType: number;
  yearType: number;
  rollingType: number;
}

/**
 * Secondary suppression (DESIGN.md, "Contract details"). A group is a total and its members: an area
 * and its member municipalities (same indicator, cell and period), a year and its quarters (where
 * the year adds up its quarters), a total and its breakdown cells. Where exactly one value of a group
 * is hidden, it could be worked out from the others, so one more is hidden: the smallest shown member
 * — a non-zero one if any (hiding a zero protects less), then by denominator (by the count for
 * counts), then the first in code order — or, where no member is shown, the total itself. Periods
 * holding the same numbers (a year and the four quarters ending with its Q4; for stocks also the
 * quarter a year or four-quarter period ends with) are hidden together. Hiding a value re-checks every
 * group it belongs to, until nothing changes. Returns the rows hidden, each with its kind of group
 * (index into GROUP_KINDS). Deterministic: groups are first visited in key order.
 */
export function secondarySuppression(input: SuppressionInput): { rows: number[]; kinds: number[] } {
  const n = input.ind.length;
  const SUPPRESSED = statusCode("suppressed");
  const VALUE = statusCode("value");
  const ZERO = statusCode("zero");
  const shown = (r: number) => input.status[r] === VALUE || input.status[r] === ZERO;
  const hidden = (r: number) => input.status[r] === SUPPRESSED;
  let qiMin = Number.POSITIVE_INFINITY;
  let qiMax = Number.NEGATIVE_INFINITY;
  let nArea = 0;
  let nPtype = 0;
  for (let r = 0; r < n; r++) {
    const q = input.lastQi[r] ?? 0;
    if (q < qiMin) qiMin = q;
    if (q > qiMax) qiMax = q;
    nArea = Math.max(nArea, (input.area[r] ?? 0) + 1);
    nPtype = Math.max(nPtype, (input.ptype[r] ?? 0) + 1);
  }
  // Each indicator's cells get consecutive slots (indicators have 1 to a dozen cells).
  const slot: number[] = [];
  let nSlots = 0;
  for (const c of input.cells) {
    slot.push(nSlots);
    nSlots += c;
  }
  const nQ = n === 0 ? 0 : qiMax - qiMin + 1;
  // A dense index of rows by key (indicator, cell, area, period type, last quarter): a few million
  // Int32 slots, far cheaper to build and probe than a Map of a million keys.
  const index = new Int32Array(nSlots * nArea * nPtype * nQ).fill(-1);
  const key = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    ((((slot[ind] ?? 0) + cell) * nArea + area) * nPtype + ptype) * nQ + (qi - qiMin);
  const rowAt = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    qi < qiMin || qi > qiMax || ptype >= nPtype ? -1 : (index[key(ind, cell, area, ptype, qi)] ?? -1);
  for (let r = 0; r < n; r++) {
    const k = key(
      input.ind[r] ?? 0,
      input.cell[r] ?? 0,
      input.area[r] ?? 0,
      input.ptype[r] ?? 0,
      input.lastQi[r] ?? 0,
    );
    index[k] = r;
  }
  const { quarterType, yearType, rollingType } = input;

  // A group is named by its total's row and its kind; `queued` keeps a group in the queue once.
  const queued = new Uint8Array(n);
  const queue: number[] = [];
  const enqueue = (total: number, kind: number) => {
    if (total < 0) return;
    const flags = queued[total] ?? 0;
    if (flags & (1 << kind)) return;
    queued[total] = flags | (1 << kind);
    queue.push(total * 4 + kind);
  };
  /** Every group row r belongs to, as a member or as the total. */
  const groupsOf = (r: number) => {
    const ind = input.ind[r] ?? 0;
    const cell = input.cell[r] ?? 0;
    const area = input.area[r] ?? 0;
    const ptype = input.ptype[r] ?? 0;
    const qi = input.lastQi[r] ?? 0;
    const parents = input.areaParents[area];
    if (parents) for (const parent of parents) enqueue(rowAt(ind, cell, parent, ptype, qi), 0);
    else enqueue(r, 0);
    if (input.timeAdditive[ind]) {
      if (ptype === quarterType) enqueue(rowAt(ind, cell, area, yearType, Math.floor(qi / 4) * 4 + 3), 1);
      else if (ptype === yearType) enqueue(r, 1);
    }
    if (cell > 0) enqueue(rowAt(ind, 0, area, ptype, qi), 2);
    else if ((input.cells[ind] ?? 1) > 1) enqueue(r, 2);
  };
  /** Rows holding the same numbers as row r under another period type. */
  const twinsOf = (r: number): number[] => {
    const ind = input.ind[r] ?? 0;
    const cell = input.cell[r] ?? 0;
    const area = input.area[r] ?? 0;
    const ptype = input.ptype[r] ?? 0;
    const qi = input.lastQi[r] ?? 0;
    const at = (type: number) => rowAt(ind, cell, area, type, qi);
    const endsYear = qi % 4 === 3;
    const stock = !input.timeAdditive[ind];
    const twins: number[] = [];
    if (ptype !== yearType && endsYear && (ptype === rollingType || stock)) twins.push(at(yearType));
    if (ptype !== rollingType && (ptype === yearType || stock)) twins.push(at(rollingType));
    if (ptype !== quarterType && stock) twins.push(at(quarterType));
    return twins;
  };

  // A group's members in code order: how many there are and the i-th one's row (-1: no row).
  const memberCount = (total: number, kind: number): number => {
    if (kind === 0) return input.areaMembers[input.area[total] ?? 0]?.length ?? 0;
    if (kind === 1) return 4;
    return (input.cells[input.ind[total] ?? 0] ?? 1) - 1;
  };
  const memberAt = (total: number, kind: number, i: number): number => {
    const ind = input.ind[total] ?? 0;
    const cell = input.cell[total] ?? 0;
    const area = input.area[total] ?? 0;
    const ptype = input.ptype[total] ?? 0;
    const qi = input.lastQi[total] ?? 0;
    if (kind === 0) return rowAt(ind, cell, input.areaMembers[area]?.[i] ?? 0, ptype, qi);
    if (kind === 1) return rowAt(ind, cell, area, quarterType, qi - 3 + i);
    return rowAt(ind, i + 1, area, ptype, qi);
  };
  const better = (a: number, b: number) => {
    const za = input.numerator[a] === 0 ? 1 : 0;
    const zb = input.numerator[b] === 0 ? 1 : 0;
    if (za !== zb) return za < zb;
    if (input.size[a] !== input.size[b]) return (input.size[a] ?? 0) < (input.size[b] ?? 0);
    return (input.numerator[a] ?? 0) < (input.numerator[b] ?? 0);
  };

  const rows: number[] = [];
  const kinds: number[] = [];
  const hide = (r: number, kind: number) => {
    if (r < 0 || !shown(r)) return;
    input.status[r] = SUPPRESSED;
    rows.push(r);
    kinds.push(kind);
    groupsOf(r);
    for (const twin of twinsOf(r)) hide(twin, 3);
  };

  for (let k = 0; k < index.length; k++) {
    const r = index[k] ?? -1;
    if (r >= 0 && hidden(r)) groupsOf(r);
  }
  for (let head = 0; head < queue.length; head++) {
    const item = queue[head] ?? 0;
    const total = Math.floor(item / 4);
    const kind = item % 4;
    queued[total] = (queued[total] ?? 0) & ~(1 << kind);
    if (!shown(total) && !hidden(total)) continue; // not reported or 0/0: nothing to give away
    let count = hidden(total) ? 1 : 0;
    let pick = -1;
    // Two hidden values already protect each other: stop counting there.
    const size = memberCount(total, kind);
    for (let i = 0; i < size && count < 2; i++) {
      const m = memberAt(total, kind, i);
      if (m < 0) continue;
      if (hidden(m)) count++;
      else if (shown(m) && (pick < 0 || better(m, pick))) pick = m;
    }
    if (count !== 1) continue;
    hide(pick >= 0 ? pick : total, kind);
  }
  return { rows, kinds };
}
