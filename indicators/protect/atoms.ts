import type { Params } from "../../core/sql.ts";
import { type ColumnInfo, columnsOf, type DatasetDefinition } from "../../pipelines/datasets/dataset.ts";
import { datasetByName } from "../../pipelines/datasets/index.ts";
import {
  cellsOf,
  datasetsOf,
  type IndicatorDefinition,
  type Measure,
  measureDataset,
} from "../definition.ts";

/**
 * The inner cells of the linked tables (tau-argus and sdcTable call them the cells of the "inner"
 * table; GaussSuppression the rows of its model matrix x). Every published number is a sum of counts
 * over municipalities × quarters × *atoms*: an atom is the finest piece of a dataset that the
 * catalogue's measures tell apart (a count column, for one combination of category values; pieces that
 * every measure takes or leaves together are one atom, e.g. the nine non-health `tulo` sources).
 * Atoms linked by a measure form a *component*; components share no inner cell, so each is a table
 * system of its own. An indicator whose denominator counts in another dataset (polku's end
 * measurements against kuntouttava's ended periods) links the two datasets' atoms into one component:
 * its numbers are forms over the very inner cells the other indicators of both datasets add up.
 */

/** One atom: the count columns and category combinations it adds up. */
export interface Atom {
  dataset: string;
  /** Index within its component. */
  index: number;
  component: number;
  /** (column, category values) pieces; a category value of null leaves the column unconstrained. */
  pieces: { column: string; categories: Record<string, string> }[];
}

/** The atoms and, per indicator, cell and measure (0 numerator, 1 denominator), the atoms it sums. */
export interface AtomModel {
  atoms: Atom[];
  /** Per component: its datasets and its atoms (global indexes into `atoms`). */
  components: { datasets: string[]; atoms: number[] }[];
  /** Per indicator (catalogue order): its component, or -1 when it has no measure over counts. */
  componentOf: number[];
  /** masks[ind][cell][measure]: bit i = atom i of the component; 0 when there is no such measure. */
  masks: number[][][];
}

type Piece = { dataset: string; column: string; combo: string[] };

function categoryColumns(dataset: DatasetDefinition): ColumnInfo[] {
  return columnsOf(dataset).filter((c) => c.kind === "category" && c.values);
}

function combos(dataset: DatasetDefinition): string[][] {
  let out: string[][] = [[]];
  for (const c of categoryColumns(dataset))
    out = out.flatMap((combo) => (c.values ?? []).map((v) => [...combo, v]));
  return out;
}

/** The pieces a measure adds up (a breakdown cell pins its category column to the cell's value). */
function piecesOf(
  dataset: DatasetDefinition,
  measure: Measure,
  columns: readonly string[],
  pinned: { column: string; value: string } | null,
): Set<string> {
  const cats = categoryColumns(dataset);
  const out = new Set<string>();
  // a total by the dataset's rule is its parts
  columns = columns.flatMap((c) => dataset.sumRules?.find((rule) => rule.total === c)?.parts ?? [c]);
  for (const combo of combos(dataset)) {
    const fits = cats.every((c, i) => {
      const v = combo[i] as string;
      if (pinned && pinned.column === c.name && pinned.value !== v) return false;
      const allowed = measure.where?.[c.name];
      return !allowed || allowed.includes(v);
    });
    if (!fits) continue;
    for (const column of columns)
      out.add(JSON.stringify({ dataset: dataset.name, column, combo } satisfies Piece));
  }
  return out;
}

function datasetNamed(name: string): DatasetDefinition {
  const dataset = datasetByName(name);
  if (!dataset) throw new Error(`unknown dataset ${name}`);
  return dataset;
}

/** Measures of a definition's cells: [cell][0 numerator | 1 denominator] as sets of pieces (or null). */
function cellMeasures(def: IndicatorDefinition): (Set<string> | null)[][] {
  const dataset = datasetNamed(def.dataset);
  const cells = cellsOf(def);
  const breakdown = def.breakdown;
  return cells.map((cell, i) => {
    const pinned = i > 0 && breakdown?.by === "category" ? { column: breakdown.column, value: cell } : null;
    const numColumns = i > 0 && breakdown?.by === "numerator_columns" ? [cell] : def.numerator.sum;
    const num = piecesOf(dataset, def.numerator, numColumns, pinned);
    const den =
      def.denominator && "sum" in def.denominator
        ? piecesOf(
            datasetNamed(measureDataset(def, def.denominator)),
            def.denominator,
            def.denominator.sum,
            pinned,
          )
        : null;
    return [num, den];
  });
}

/** Datasets that an indicator reads together, in catalogue order: each group shares its atoms. */
function datasetGroups(defs: IndicatorDefinition[]): string[][] {
  const groupOf = new Map<string, string[]>();
  for (const def of defs) {
    const merged = [...new Set(datasetsOf(def).flatMap((name) => groupOf.get(name) ?? [name]))];
    for (const name of merged) groupOf.set(name, merged);
  }
  return [...new Set(groupOf.values())];
}

/** Derives the atoms of every dataset from the catalogue's measures. */
export function atomModel(defs: IndicatorDefinition[]): AtomModel {
  const atoms: Atom[] = [];
  const components: AtomModel["components"] = [];
  const componentOf = defs.map(() => -1);
  const masks: number[][][] = defs.map((d) => cellsOf(d).map(() => [0, 0]));
  for (const group of datasetGroups(defs)) {
    const inds = defs.flatMap((d, i) => (group.includes(d.dataset) ? [i] : []));
    const measures = new Map<number, (Set<string> | null)[][]>();
    for (const i of inds) measures.set(i, cellMeasures(defs[i] as IndicatorDefinition));
    // A piece's signature: every measure that takes it. Pieces with one signature are one atom.
    const signature = new Map<string, string[]>();
    for (const [i, cells] of measures)
      for (const [c, pair] of cells.entries())
        for (const [m, set] of pair.entries())
          for (const piece of set ?? []) {
            const list = signature.get(piece) ?? [];
            list.push(`${i}:${c}:${m}`);
            signature.set(piece, list);
          }
    const bySignature = new Map<string, string[]>();
    for (const [piece, sig] of signature) {
      // an atom is of one dataset (its inner cells are counted from that dataset's rows)
      const key = `${(JSON.parse(piece) as Piece).dataset}/${sig.join(",")}`;
      bySignature.set(key, [...(bySignature.get(key) ?? []), piece]);
    }
    const local: { pieces: string[]; sig: Set<string> }[] = [...bySignature.entries()].map(
      ([key, pieces]) => ({
        pieces,
        sig: new Set(key.slice(key.indexOf("/") + 1).split(",")),
      }),
    );
    // Components: atoms linked through a measure that takes both.
    const parent = local.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
      return i;
    };
    // An indicator's numerator and denominator atoms are kept in one component (its rate links them).
    const firstOf = new Map<string, number>();
    local.forEach((a, i) => {
      for (const m of a.sig) {
        const ind = m.split(":")[0] as string;
        const j = firstOf.get(ind);
        if (j === undefined) firstOf.set(ind, i);
        else parent[find(i)] = find(j);
      }
    });
    const compOfRoot = new Map<number, number>();
    const indexInComp = local.map(() => 0);
    local.forEach((a, i) => {
      const root = find(i);
      let comp = compOfRoot.get(root);
      if (comp === undefined) {
        comp = components.length;
        compOfRoot.set(root, comp);
        components.push({ datasets: [], atoms: [] });
      }
      const entry = components[comp] as AtomModel["components"][number];
      indexInComp[i] = entry.atoms.length;
      if (entry.atoms.length >= 31)
        throw new Error(`${group.join(" + ")}: more than 31 atoms in one component`);
      entry.atoms.push(atoms.length);
      const name = (JSON.parse(a.pieces[0] as string) as Piece).dataset;
      if (!entry.datasets.includes(name)) entry.datasets.push(name);
      const cats = categoryColumns(datasetNamed(name)).map((c) => c.name);
      atoms.push({
        dataset: name,
        index: indexInComp[i] as number,
        component: comp,
        pieces: a.pieces.map((p) => {
          const piece = JSON.parse(p) as Piece;
          return {
            column: piece.column,
            categories: Object.fromEntries(cats.map((c, k) => [c, piece.combo[k] as string])),
          };
        }),
      });
      for (const m of a.sig) {
        const [ind, cell, which] = m.split(":").map(Number) as [number, number, number];
        componentOf[ind] = comp;
        const row = masks[ind]?.[cell];
        if (row) row[which] = (row[which] ?? 0) | (1 << (indexInComp[i] as number));
      }
    });
  }
  return { atoms, components, componentOf, masks };
}

const identifier = (name: string) => {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad column name ${name}`);
  return `t.${name}`;
};

/**
 * SELECTs (to be joined with UNION ALL) giving every atom's quarterly count per municipality as sent,
 * in the shape of compile.ts (ind = the atom's global index, cell 0, no denominator). An atom is
 * reported when every group it spans (replace-key category values, e.g. a `suunta`) was sent and none
 * of its cells is empty.
 */
export function atomSql(model: AtomModel, params: Params): string[] {
  const parts: string[] = [];
  for (const name of new Set(model.atoms.map((a) => a.dataset))) {
    const dataset = datasetByName(name);
    if (!dataset) throw new Error(`unknown dataset ${name}`);
    const groups = dataset.replaceKey.filter((k) => categoryColumns(dataset).some((c) => c.name === k));
    const selects = model.atoms.flatMap((atom, i) => {
      if (atom.dataset !== name) return [];
      const cond = (categories: Record<string, string>, only?: readonly string[]) => {
        const terms = Object.entries(categories)
          .filter(([c]) => !only || only.includes(c))
          .map(([c, v]) => `${identifier(c)} = ${params.bind(v)}`);
        return terms.length > 0 ? terms.join(" AND ") : "TRUE";
      };
      const value = atom.pieces
        .map((p) => `coalesce(sum(${identifier(p.column)}::BIGINT) FILTER (WHERE ${cond(p.categories)}), 0)`)
        .join(" + ");
      const present = [...new Set(atom.pieces.map((p) => cond(p.categories, groups)))].map(
        (g) => `count(*) FILTER (WHERE ${g}) > 0`,
      );
      const noNull = atom.pieces.map(
        (p) => `count(*) FILTER (WHERE ${cond(p.categories)} AND ${identifier(p.column)} IS NULL) = 0`,
      );
      return [
        `SELECT ${params.bind(i)}::SMALLINT AS ind, 0::SMALLINT AS cell, t.kunta, t.vuosi * 4 + t.neljannes - 1 AS qi,
          (${value})::DOUBLE AS num, (${[...present, ...noNull].join(" AND ")}) AS num_ok,
          NULL::DOUBLE AS den, TRUE AS den_ok
         FROM ${dataset.name} t GROUP BY t.kunta, t.vuosi, t.neljannes`,
      ];
    });
    parts.push(...selects);
  }
  return parts;
}
