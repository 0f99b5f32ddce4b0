import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { KUNTOUTTAVA_OUTCOMES } from "../datasets/kuntouttava.ts";
import { populationIn } from "./municipalities.ts";
import { type DemoPlan, reports, rowKey } from "./plan.ts";
import { randomFor } from "./random.ts";

/** One CSV record as the analyst's file has it: canonical column name → cell text. */
export type Cells = Record<string, string>;

type Outcome = (typeof KUNTOUTTAVA_OUTCOMES)[number];

/**
 * Outcome shares of ended periods, %: Lieto 2020 (seed 002: 125 ended periods), with 2 points of
 * pay-subsidised work taken from "continued", which Lieto's list did not have.
 */
export const OUTCOME_SHARES: Record<Outcome, number> = {
  tyo: 8.8,
  palkkatuettu_tyo: 2.0,
  opiskelu: 5.6,
  te_palvelut: 3.2,
  tyoton: 6.4,
  jatkaa: 58.8,
  sote_palvelut: 9.6,
  muu_toimeentulo: 4.0,
  muutto: 0.8,
  ei_tietoa: 0.8,
};

/**
 * Volumes from the national statistics (data/reference, 2021): 34 858 clients during the year,
 * 71 746 periods started and 73 793 ended, about 5.5 million inhabitants. Assuming some 60 % of a
 * year's clients are in the service during any one quarter gives 3.7 clients per 1 000 inhabitants;
 * periods are short (16 weeks on average) and most clients go on to a new one, so about 0.8 periods
 * end, and as many start, per client in a quarter.
 */
const CLIENTS_PER_1000 = 3.7;
const ENDED_PER_CLIENT = 0.8;
const STARTED_PER_CLIENT = 0.78;
/** Fewer periods start in the summer quarter and more in the autumn. */
const SEASON = [1.02, 1.0, 0.9, 1.06];
/** The TE services reform of 1.1.2025 moved employment services to municipalities. */
const REFORM_QUARTER = 2025 * 4;

/** A municipality's own level and outcome profile: places differ much more than quarters do. */
function profile(seed: string, kunta: string) {
  const random = randomFor(seed, "kuntouttava-profile", kunta);
  const activity = random.spread(0.35);
  // a few municipalities record outcomes poorly: "ei tietoa" is their data-quality signal
  const poorRecording = random.chance(0.05);
  const shares = KUNTOUTTAVA_OUTCOMES.map((o) => {
    const base = OUTCOME_SHARES[o] * random.spread(o === "jatkaa" ? 0.12 : 0.3);
    return o === "ei_tietoa" && poorRecording ? base * 14 : base;
  });
  return { activity, shares };
}

/** The full rows of one municipality for every quarter of the plan (before anything is left out). */
function series(plan: DemoPlan, kunta: string): Map<number, Cells> {
  const m = plan.municipalities.find((x) => x.kunta === kunta);
  if (!m) throw new Error(`unknown demo municipality ${kunta}`);
  const { activity, shares } = profile(plan.seed, kunta);
  const random = randomFor(plan.seed, "kuntouttava", kunta);
  const rows = new Map<number, Cells>();
  for (const q of plan.quarters) {
    const afterReform = q >= REFORM_QUARTER;
    const season = SEASON[q % 4] as number;
    const mean =
      (CLIENTS_PER_1000 / 1000) * populationIn(m, q) * activity * season * (afterReform ? 1.06 : 1);
    const asiakkaat = random.poisson(mean);
    const aloittaneet = random.binomial(asiakkaat, STARTED_PER_CLIENT * season);
    const paattyneet = random.binomial(asiakkaat, ENDED_PER_CLIENT);
    const quarterShares = shares.map((s, i) =>
      afterReform && KUNTOUTTAVA_OUTCOMES[i] === "te_palvelut" ? s * 1.4 : s,
    );
    const outcomes = random.multinomial(paattyneet, quarterShares);
    const row: Cells = {
      kunta,
      vuosineljannes: quarterLabel(quarterOfIndex(q)),
      asiakkaat: String(asiakkaat),
      aloittaneet: String(aloittaneet),
      paattyneet: String(paattyneet),
    };
    KUNTOUTTAVA_OUTCOMES.forEach((o, i) => {
      row[o] = String(outcomes[i]);
    });
    rows.set(q, row);
  }
  return rows;
}

/** Blanks what the plan says was not reported: empty means "not reported", never zero. */
function asSent(plan: DemoPlan, row: Cells, q: number): Cells {
  const key = rowKey(row.kunta as string, q);
  const sent = { ...row };
  if (plan.clientsUnreported.has(key)) sent.asiakkaat = "";
  if (plan.outcomesUnreported.has(key)) for (const o of KUNTOUTTAVA_OUTCOMES) sent[o] = "";
  return sent;
}

/** The `kuntouttava` rows of every quarter, as the municipalities send them. */
export function kuntouttavaRows(plan: DemoPlan): Map<number, Cells[]> {
  const byQuarter = new Map<number, Cells[]>(plan.quarters.map((q) => [q, []]));
  for (const m of plan.municipalities) {
    const rows = series(plan, m.kunta);
    for (const q of plan.quarters) {
      if (!reports(plan, "kuntouttava", m, q)) continue;
      byQuarter.get(q)?.push(asSent(plan, rows.get(q) as Cells, q));
    }
  }
  return byQuarter;
}

/** The corrected row of the plan's correction: the outcomes the municipality first left out. */
export function kuntouttavaCorrection(plan: DemoPlan): Cells {
  const { kunta, quarter } = plan.correction;
  return series(plan, kunta).get(quarter) as Cells;
}
