import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import type { Cells } from "./kuntouttava.ts";
import { populationIn } from "./municipalities.ts";
import { type DemoPlan, groupsOf, type Kohderyhma, reports } from "./plan.ts";
import { randomFor } from "./random.ts";

const COLUMNS = ["palkkatyo", "avotyotoiminta", "tyotoiminta", "paivatoiminta", "tyohonvalmennus"] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Persons per 1 000 inhabitants on the last day of a quarter. Rough national orders of magnitude:
 * about 40 000 people with an intellectual disability, most of them in work or day activity and
 * only a few hundred in paid work, where avotyötoiminta is several times as common as a job.
 */
const PER_1000: Record<Kohderyhma, Record<Column, number>> = {
  kehitysvammaiset: {
    palkkatyo: 0.1,
    avotyotoiminta: 0.45,
    tyotoiminta: 1.5,
    paivatoiminta: 1.3,
    tyohonvalmennus: 0.18,
  },
  muut_vammaiset: {
    palkkatyo: 0.05,
    avotyotoiminta: 0.06,
    tyotoiminta: 0.2,
    paivatoiminta: 0.12,
    tyohonvalmennus: 0.06,
  },
  mielenterveys_paihde: {
    palkkatyo: 0.04,
    avotyotoiminta: 0.12,
    tyotoiminta: 0.45,
    paivatoiminta: 0.25,
    tyohonvalmennus: 0.12,
  },
};

/** Paid work grows a little each quarter (the disability services act of 2025 stresses it). */
const DRIFT: Record<Column, number> = {
  palkkatyo: 0.015,
  avotyotoiminta: 0.005,
  tyotoiminta: -0.003,
  paivatoiminta: 0,
  tyohonvalmennus: 0.01,
};

/**
 * Stocks of one municipality and group over the plan's quarters: a level of its own, then a slow
 * drift with persistent noise, because the same people stay in the service from quarter to quarter.
 */
function stocks(plan: DemoPlan, kunta: string, group: Kohderyhma): Map<number, Record<Column, number>> {
  const m = plan.municipalities.find((x) => x.kunta === kunta);
  if (!m) throw new Error(`unknown demo municipality ${kunta}`);
  const random = randomFor(plan.seed, "vammaispalvelut", kunta, group);
  const groupLevel = random.spread(0.3);
  const level = Object.fromEntries(COLUMNS.map((c) => [c, groupLevel * random.spread(0.3)])) as Record<
    Column,
    number
  >;
  const deviation = Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>;
  const result = new Map<number, Record<Column, number>>();
  plan.quarters.forEach((q, step) => {
    const values = {} as Record<Column, number>;
    for (const c of COLUMNS) {
      const mean = (PER_1000[group][c] / 1000) * populationIn(m, q) * level[c] * (1 + DRIFT[c] * step);
      deviation[c] = 0.75 * deviation[c] + 0.35 * Math.sqrt(mean) * random.normal();
      values[c] = Math.max(0, Math.round(mean + deviation[c]));
    }
    result.set(q, values);
  });
  return result;
}

/** The `vammaispalvelut` rows of every quarter: one per reported target group. */
export function vammaispalvelutRows(plan: DemoPlan): Map<number, Cells[]> {
  const byQuarter = new Map<number, Cells[]>(plan.quarters.map((q) => [q, []]));
  for (const m of plan.municipalities) {
    // Day activity is mostly organised for people with intellectual disabilities; many municipalities
    // do not count it for the mental health and substance abuse group.
    const noDayActivityCount = randomFor(plan.seed, "vammaispalvelut-paivatoiminta", m.kunta).chance(0.4);
    for (const group of groupsOf(plan, m.kunta)) {
      const series = stocks(plan, m.kunta, group);
      for (const q of plan.quarters) {
        if (!reports(plan, "vammaispalvelut", m, q)) continue;
        const v = series.get(q) as Record<Column, number>;
        const row: Cells = {
          kunta: m.kunta,
          vuosineljannes: quarterLabel(quarterOfIndex(q)),
          kohderyhma: group,
        };
        for (const c of COLUMNS) row[c] = String(v[c]);
        if (group === "mielenterveys_paihde" && noDayActivityCount) row.paivatoiminta = "";
        byQuarter.get(q)?.push(row);
      }
    }
  }
  return byQuarter;
}
