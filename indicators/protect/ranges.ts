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

/** Solves min and max of each target form subject to the published forms and non-negativity. */
export async function rangeByLp(
  space: { nVars: number; value: ArrayLike<number> },
  published: JointForm[],
  targets: LpTarget[],
  maxCells: number,
  untilNarrow = false,
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
  const constraintsOf = (root: number): string[] => {
    let list = programs.get(root);
    if (list) return list;
    list = [];
    let n = 0;
    for (const f of published) {
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
  for (const target of targets) {
    const h = target;
    let fixed = 0;
    const objective = new Map<number, number>();
    h.vars.forEach((v, i) => {
      if (known[v]) fixed += (h.coefs[i] ?? 0) * value(v);
      else objective.set(v, (objective.get(v) ?? 0) + (h.coefs[i] ?? 0));
    });
    if (objective.size === 0) {
      results.push({ ...range(target), low: fixed, high: fixed });
      continue;
    }
    const roots = new Set([...objective.keys()].map(find));
    const cells = [...roots].reduce((sum, r) => sum + (size.get(r) ?? 1), 0);
    if (cells > maxCells) {
      results.push({ ...range(target), low: null, high: null });
      continue;
    }
    const constraints = [...roots].flatMap(constraintsOf);
    const objectiveText = [...objective].map(([v, c]) => term(c, v)).join(" ");
    const bounds = [...objective.keys()].filter((v) => !formsOf.has(v)).map((v) => ` x${v} >= 0`);
    const solve = (sense: "Minimize" | "Maximize") => {
      const lp = `${sense}\n obj: ${objectiveText}\nSubject To\n${constraints.length > 0 ? constraints.join("\n") : " c0: 0 x0 = 0"}\nBounds\n${bounds.join("\n")}\nEnd`;
      const result = solver.solve(lp, { output_flag: false });
      if (result.Status === "Optimal") return result.ObjectiveValue;
      // no bound in that direction: as wide as can be
      if (result.Status === "Unbounded")
        return sense === "Minimize" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return null;
    };
    const low = solve("Minimize");
    const high = solve("Maximize");
    results.push({
      ...range(target),
      low: low === null ? null : low + fixed,
      high: high === null ? null : high + fixed,
    });
    if (untilNarrow && (low === null || high === null || high - low < 2)) break;
  }
  return results;
}
