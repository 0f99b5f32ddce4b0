import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { KYKYVIISARI_OSA_ALUEET, muutosColumn, POLKU_PALVELUT } from "../datasets/polku.ts";
import type { Cells } from "./kuntouttava.ts";
import { populationIn } from "./municipalities.ts";
import { type DemoPlan, reports } from "./plan.ts";
import { randomFor } from "./random.ts";

type Palvelu = (typeof POLKU_PALVELUT)[number];

/**
 * End measurements per 1 000 inhabitants in a quarter, and the share employed at the end. Rough
 * orders of magnitude: kuntouttava työtoiminta ends about 3 periods per 1 000 inhabitants a quarter
 * (pipelines/demo/kuntouttava.ts) and only part of them get an end measurement; job coaching and work
 * activity are smaller; job coaching aims at work, work activity seldom leads to it.
 */
const SERVICE: Record<Palvelu, { endPer1000: number; employed: number; improves: number }> = {
  kuntouttava_tyotoiminta: { endPer1000: 1.3, employed: 0.08, improves: 1.0 },
  tyohonvalmennus: { endPer1000: 0.35, employed: 0.32, improves: 1.1 },
  tyotoiminta: { endPer1000: 0.45, employed: 0.03, improves: 0.8 },
};

/** Share improving per Kykyviisari domain among those measured at both points (before the service factor). */
const IMPROVES: Record<(typeof KYKYVIISARI_OSA_ALUEET)[number], number> = {
  henkinen_hyvinvointi: 0.42,
  sosiaalinen_osallisuus: 0.48,
  fyysinen_toimintakyky: 0.3,
  osaaminen: 0.38,
  arjen_sujuvuus: 0.4,
};

/** One municipality's row for one service and quarter. */
function row(plan: DemoPlan, kunta: string, q: number, palvelu: Palvelu, level: number): Cells {
  const m = plan.municipalities.find((x) => x.kunta === kunta);
  if (!m) throw new Error(`unknown demo municipality ${kunta}`);
  const random = randomFor(plan.seed, "polku", kunta, q, palvelu);
  const service = SERVICE[palvelu];
  const lopussa = random.poisson((service.endPer1000 / 1000) * populationIn(m, q) * level);
  const molemmat = random.binomial(lopussa, 0.85);
  const cells: Cells = {
    kunta,
    vuosineljannes: quarterLabel(quarterOfIndex(q)),
    palvelu,
    mitattu_alussa: String(random.poisson(lopussa * 1.15 + 0.3)),
    mitattu_valissa: String(random.poisson(lopussa * 0.7)),
    mitattu_lopussa: String(lopussa),
    mitattu_molemmat: String(molemmat),
  };
  for (const alue of KYKYVIISARI_OSA_ALUEET) {
    // a few leave a domain unanswered, so the three changes may add up to less than molemmat
    const answered = random.binomial(molemmat, 0.96);
    const parani = random.binomial(answered, Math.min(0.9, IMPROVES[alue] * service.improves));
    const heikkeni = random.binomial(answered - parani, 0.22);
    cells[muutosColumn(alue, "parani")] = String(parani);
    cells[muutosColumn(alue, "ennallaan")] = String(answered - parani - heikkeni);
    cells[muutosColumn(alue, "heikkeni")] = String(heikkeni);
  }
  cells.tyollistyi = String(random.binomial(lopussa, service.employed));
  const annettu = random.binomial(lopussa + random.poisson(lopussa * 0.3), 0.7);
  cells.palaute_annettu = String(annettu);
  cells.palaute_myonteinen = String(random.binomial(annettu, 0.82));
  return cells;
}

/** The `polku` rows of every quarter: all three services of each municipality that follows paths. */
export function polkuRows(plan: DemoPlan): Map<number, Cells[]> {
  const byQuarter = new Map<number, Cells[]>(plan.quarters.map((q) => [q, []]));
  for (const m of plan.municipalities) {
    const level = randomFor(plan.seed, "polku-level", m.kunta).spread(0.3);
    for (const q of plan.quarters) {
      if (!reports(plan, "polku", m, q)) continue;
      for (const palvelu of POLKU_PALVELUT) byQuarter.get(q)?.push(row(plan, m.kunta, q, palvelu, level));
    }
  }
  return byQuarter;
}
