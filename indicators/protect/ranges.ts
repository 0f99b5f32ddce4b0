import type loadHighs from "highs";
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
  const programs = new Map<number, string[]>();
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
  const constraintsOf = (root: number): string[] => {
    let list = programs.get(root);
    if (list) return list;
    list = [];
    let n = 0;
    for (const i of formsIn(root)) {
      const f = published[i] as JointForm;
      const terms: string[] = [];
      let rhs = 0;
      let inside = false;
      f.vars.forEach((v, i) => {
        if (known[v]) return;
        if (find(v) === root) inside = true;
        terms.push(term(f.coefs[i] ?? 0, v));
        rhs += (f.coefs[i] ?? 0) * value(v);
      });
      if (inside && terms.length > 0) list.push(` r${root}_${n++}: ${terms.join(" ")} = ${rhs}`);
    }
    programs.set(root, list);
    return list;
  };
  const term = (c: number, v: number) => `${c >= 0 ? "+" : "-"} ${Math.abs(c)} x${v}`;
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
  const solve = (sense: "Minimize" | "Maximize", objective: Map<number, number>, roots: number[]) => {
    const constraints = roots.flatMap(constraintsOf);
    const objectiveText = [...objective].map(([v, c]) => term(c, v)).join(" ");
    const bounds = [...objective.keys()].filter((v) => !formsOf.has(v)).map((v) => ` x${v} >= 0`);
    const lp = `${sense}\n obj: ${objectiveText}\nSubject To\n${constraints.length > 0 ? constraints.join("\n") : " c0: 0 x0 = 0"}\nBounds\n${bounds.join("\n")}\nEnd`;
    return solver.solve(lp, { output_flag: false });
  };
  const bound = (sense: "Minimize" | "Maximize", objective: Map<number, number>, roots: number[]) => {
    const result = solve(sense, objective, roots);
    if (result.Status === "Optimal") return result.ObjectiveValue;
    // no bound in that direction: as wide as can be
    if (result.Status === "Unbounded")
      return sense === "Minimize" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return null;
  };
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
        const result = solve("Maximize", sum, (prepared[ids[0] as number] as Prepared).roots);
        if (result.Status !== "Optimal") break;
        const before = ids.length;
        ids = ids.filter((i) => {
          const p = prepared[i] as Prepared;
          let high = p.fixed;
          for (const [v, c] of p.objective) high += c * (result.Columns[`x${v}`]?.Primal ?? 0);
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
    const max = bound("Maximize", objective, roots);
    const high = max === null ? null : max + fixed;
    const enough =
      wideEnough !== undefined && high !== null && wideEnough({ ...range(target), low: truth, high });
    const min = enough ? truth - fixed : bound("Minimize", objective, roots);
    const low = min === null ? null : min + fixed;
    results.push({ ...range(target), low, high });
    if (untilNarrow && (low === null || high === null || high - low < 2)) break;
  }
  return results;
}
