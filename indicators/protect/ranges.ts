import type loadHighs from "highs";
import type { Model } from "highs";
import type { JointForm } from "./earlier.ts";
import type { Which } from "./system.ts";

/**
 * The attacker's linear programs (the audit of tau-argus and sdcTable): for a hidden number h, the
 * smallest and largest value h can take over all non-negative cell values that give every published
 * number exactly. Cells the published numbers fix on their own (a form with one unknown cell left,
 * repeatedly) are substituted first; the program then only spans the unknown cells linked to h through
 * published forms. Solved with HiGHS (WebAssembly, npm `highs`).
 */

type Highs = Awaited<ReturnType<typeof loadHighs>>;
/** A program's persistent model, its columns by cell variable, and the objective's costs (reused). */
type Program = { model: Model; column: Map<number, number>; cost: Float64Array };
let highs: Promise<Highs> | null = null;

/** A hidden number to range: its row and number (for the report), its form and the form's scale. */
export interface LpTarget extends JointForm {
  row: number;
  which: Which;
  /** Means are stored ×12 (system.ts MEAN_SCALE); 1 otherwise. */
  scale: number;
  /** The number is the earlier release's (earlier.ts), not this one's; superseded: corrected since. */
  earlier?: boolean;
  superseded?: boolean;
}

export interface LpRange {
  row: number;
  which: Which;
  scale: number;
  earlier?: boolean;
  superseded?: boolean;
  /** The bounds in the form's own scale; null when the system was too big to solve here. */
  low: number | null;
  high: number | null;
}

/**
 * Solves min and max of each target form subject to the published forms and non-negativity. With
 * `wideEnough`, a range is only solved as far as needed to accept it: the true data is one of the data
 * sets the program ranges over, so the minimum is at most the true value and the maximum at least the
 * value in any data set found (targets over the same program share one, maximising their sum); a range
 * from the true value to such a value that `wideEnough` accepts is accepted with the exact bounds too.
 * Such a range is given with those values (low the true value, high the maximum or a value found), not
 * the exact bounds; a range not accepted so is solved both ways.
 */
export async function rangeByLp(
  space: { nVars: number; value: ArrayLike<number> },
  published: JointForm[],
  targets: LpTarget[],
  maxCells: number,
  untilNarrow = false,
  wideEnough?: (range: LpRange) => boolean,
): Promise<LpRange[]> {
  if (targets.length === 0) return [];
  // imported when first needed: its WebAssembly glue is a large module that start-up need not parse
  highs ??= import("highs").then((module) => module.default());
  const solver = await highs;
  // Forms by variable, and the cells fixed by the published forms alone.
  const formsOf = new Map<number, number[]>();
  published.forEach((f, i) => {
    for (const v of f.vars) {
      const list = formsOf.get(v);
      if (list) list.push(i);
      else formsOf.set(v, [i]);
    }
  });
  const known = new Uint8Array(space.nVars);
  const unknownLeft = published.map((f) => f.vars.length);
  const queue = published.flatMap((f, i) => (f.vars.length === 1 ? [i] : []));
  for (let head = 0; head < queue.length; head++) {
    const f = published[queue[head] as number] as { vars: number[] };
    const v = f.vars.find((x) => !known[x]);
    if (v === undefined) continue;
    known[v] = 1;
    for (const j of formsOf.get(v) ?? []) {
      unknownLeft[j] = (unknownLeft[j] ?? 1) - 1;
      if (unknownLeft[j] === 1) queue.push(j);
    }
  }
  const value = (v: number) => space.value[v] ?? 0;
  // Unknown cells linked by published forms make one program: union-find over the forms.
  const parent = new Int32Array(space.nVars).map((_, i) => i);
  const find = (v: number): number => {
    let x = v;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] ?? x] ?? x;
      x = parent[x] ?? x;
    }
    return x;
  };
  for (const f of published) {
    let first = -1;
    for (const v of f.vars) {
      if (known[v]) continue;
      if (first < 0) first = find(v);
      else parent[find(v)] = first;
    }
  }
  const size = new Map<number, number>();
  for (let v = 0; v < space.nVars; v++)
    if (!known[v] && formsOf.has(v)) size.set(find(v), (size.get(find(v)) ?? 0) + 1);
  // The forms of each program, in order: a form's unknown cells are all linked, so one root holds them.
  let formsByRoot: Map<number, number[]> | null = null;
  const formsIn = (root: number): number[] => {
    if (!formsByRoot) {
      const byRoot = new Map<number, number[]>();
      published.forEach((f, i) => {
        const v = f.vars.find((x) => !known[x]);
        if (v === undefined) return;
        const list = byRoot.get(find(v));
        if (list) list.push(i);
        else byRoot.set(find(v), [i]);
      });
      formsByRoot = byRoot;
    }
    return formsByRoot.get(root) ?? [];
  };
  // One HiGHS model per program (the roots a target's cells lie in), passed once as arrays and solved
  // again for each objective from the last solve's basis: each program is asked about several targets,
  // and as LP-format text every bound was written into HiGHS's file system and parsed again (on the
  // bench's first release 1.0 s of the 4.7 s in rangeByLp went to writing the text alone).
  const models = new Map<string, Program | null>();
  const programOf = (roots: number[]): Program | null => {
    const key = roots.join(",");
    const cached = models.get(key);
    if (cached !== undefined) return cached;
    // columns: the unknown cells of the roots' forms; rows: those forms, each equal to the true value of
    // its unknown part (the known cells' part is public)
    const column = new Map<number, number>();
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const rhs: number[] = [];
    const at = new Map<number, number>();
    for (const root of roots)
      for (const i of formsIn(root)) {
        const f = published[i] as JointForm;
        let total = 0;
        at.clear();
        const from = indices.length;
        f.vars.forEach((v, j) => {
          if (known[v]) return;
          const c = f.coefs[j] ?? 0;
          total += c * value(v);
          let col = column.get(v);
          if (col === undefined) {
            col = column.size;
            column.set(v, col);
          }
          // a cell twice in a form (the LP format added them up): one entry
          const k = at.get(col);
          if (k !== undefined) values[k] = (values[k] ?? 0) + c;
          else {
            at.set(col, indices.length);
            indices.push(col);
            values.push(c);
          }
        });
        if (indices.length === from) continue;
        rhs.push(total);
        starts.push(indices.length);
      }
    const nCols = column.size;
    const program =
      nCols === 0
        ? null
        : {
            model: solver.createModel({
              numCols: nCols,
              numRows: rhs.length,
              colCost: new Float64Array(nCols),
              colLower: new Float64Array(nCols),
              colUpper: new Float64Array(nCols).fill(solver.infinity),
              rowLower: rhs,
              rowUpper: rhs,
              matrix: { format: "csr", numRows: rhs.length, numCols: nCols, starts, indices, values },
            }),
            column,
            cost: new Float64Array(nCols),
          };
    program?.model.options.set("output_flag", false);
    models.set(key, program);
    return program;
  };
  const results: LpRange[] = [];
  const range = ({ row, which, scale, earlier, superseded }: LpTarget) => ({
    row,
    which,
    scale,
    earlier,
    superseded,
  });
  /** A target's objective over the unknown cells, its constant part, its value in the true data. */
  const prepare = (h: LpTarget) => {
    let fixed = 0;
    // the target's value in the true data (which meets every constraint)
    let truth = 0;
    const objective = new Map<number, number>();
    h.vars.forEach((v, i) => {
      truth += (h.coefs[i] ?? 0) * value(v);
      if (known[v]) fixed += (h.coefs[i] ?? 0) * value(v);
      else objective.set(v, (objective.get(v) ?? 0) + (h.coefs[i] ?? 0));
    });
    const roots = [...new Set([...objective.keys()].map(find))].sort((a, b) => a - b);
    const cells = roots.reduce((sum, r) => sum + (size.get(r) ?? 1), 0);
    return { fixed, truth, objective, roots, cells };
  };
  type Prepared = ReturnType<typeof prepare>;
  /**
   * Optimises an objective over a program: its optimum, ±Infinity when unbounded, or null when HiGHS
   * gives no answer; with the optimal cell values. A cell in no published form is bounded by 0 alone.
   */
  const solve = (
    maximize: boolean,
    objective: Map<number, number>,
    roots: number[],
  ): { optimum: number | null; cell: (v: number) => number } => {
    const none = { optimum: null, cell: () => 0 };
    const unbounded = {
      optimum: maximize ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY,
      cell: () => 0,
    };
    const program = programOf(roots);
    let free = false;
    for (const [v, c] of objective)
      if (!program?.column.has(v)) {
        // alone it is at 0 at the optimum, or the objective grows without bound
        if (maximize ? c > 0 : c < 0) free = true;
      }
    if (free) return unbounded;
    if (!program) return { optimum: 0, cell: () => 0 };
    const { model, column, cost } = program;
    cost.fill(0);
    for (const [v, c] of objective) {
      const col = column.get(v);
      if (col !== undefined) cost[col] = (cost[col] ?? 0) + c;
    }
    model.changeColsCost({ kind: "range", from: 0, to: cost.length - 1 }, cost);
    model.changeObjectiveSense(
      maximize ? solver.constants.objectiveSense.maximize : solver.constants.objectiveSense.minimize,
    );
    const status = model.run().modelStatus;
    const codes = solver.constants.modelStatus;
    if (status === codes.optimal) {
      const values = model.getSolution().colValue;
      return { optimum: model.getObjectiveValue(), cell: (v) => values[column.get(v) ?? -1] ?? 0 };
    }
    // the true data meets every form, so "unbounded or infeasible" is unbounded
    if (status === codes.unbounded || status === codes.unboundedOrInfeasible) return unbounded;
    return none;
  };
  const bound = (maximize: boolean, objective: Map<number, number>, roots: number[]) =>
    solve(maximize, objective, roots).optimum;
  try {
    const prepared = targets.map(prepare);
    // Targets over the same program: one program maximising their sum gives a data set publishing the
    // same numbers; a target it moves far enough from the true value is wide enough without its own.
    const witnessed = new Map<number, number>();
    if (wideEnough) {
      const groups = new Map<string, number[]>();
      prepared.forEach((p, i) => {
        const free = [...p.objective.keys()].some((v) => !formsOf.has(v));
        if (p.objective.size === 0 || p.cells > maxCells || free) return;
        const key = p.roots.join(",");
        const list = groups.get(key);
        if (list) list.push(i);
        else groups.set(key, [i]);
      });
      // again with those not yet accepted, while that accepts some
      for (let ids of groups.values())
        while (ids.length >= 2) {
          const sum = new Map<number, number>();
          for (const i of ids)
            for (const [v, c] of (prepared[i] as Prepared).objective) sum.set(v, (sum.get(v) ?? 0) + c);
          const result = solve(true, sum, (prepared[ids[0] as number] as Prepared).roots);
          if (result.optimum === null || !Number.isFinite(result.optimum)) break;
          const before = ids.length;
          ids = ids.filter((i) => {
            const p = prepared[i] as Prepared;
            let high = p.fixed;
            for (const [v, c] of p.objective) high += c * result.cell(v);
            if (!wideEnough({ ...range(targets[i] as LpTarget), low: p.truth, high })) return true;
            witnessed.set(i, high);
            return false;
          });
          if (ids.length === before) break;
        }
    }
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as LpTarget;
      const { fixed, truth, objective, roots, cells } = prepared[i] as Prepared;
      if (objective.size === 0) {
        results.push({ ...range(target), low: fixed, high: fixed });
        continue;
      }
      if (cells > maxCells) {
        results.push({ ...range(target), low: null, high: null });
        continue;
      }
      const seen = witnessed.get(i);
      if (seen !== undefined) {
        results.push({ ...range(target), low: truth, high: seen });
        continue;
      }
      const max = bound(true, objective, roots);
      const high = max === null ? null : max + fixed;
      const enough =
        wideEnough !== undefined && high !== null && wideEnough({ ...range(target), low: truth, high });
      const min = enough ? truth - fixed : bound(false, objective, roots);
      const low = min === null ? null : min + fixed;
      results.push({ ...range(target), low, high });
      if (untilNarrow && (low === null || high === null || high - low < 2)) break;
    }
    return results;
  } finally {
    // the models' memory is the WebAssembly module's: garbage collection does not free it
    for (const program of models.values()) program?.model.dispose();
  }
}
