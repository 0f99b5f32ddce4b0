import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { LAHTO_LUOKAT, TULO_LUOKAT } from "../datasets/tiimi.ts";
import type { Cells } from "./kuntouttava.ts";
import { populationIn } from "./municipalities.ts";
import { type DemoPlan, directionsOf, reports } from "./plan.ts";
import { randomFor } from "./random.ts";

/**
 * Where clients come from, %: mostly primary health care and employment services, as in the
 * work-ability programme's team pilots (seed 004), with occupational health care a minority.
 */
const TULO_SHARES: Record<(typeof TULO_LUOKAT)[number], number> = {
  tyoterveyshuolto: 6,
  erikoissairaanhoito: 6,
  perusterveydenhuolto: 25,
  paivystys: 1,
  tyollisyyspalvelut: 24,
  sosiaalihuolto: 12,
  kuntoutuksen_palveluntuottaja: 3,
  jarjesto: 3,
  kela: 3,
  tyoelakelaitos: 2,
  oppilaitos: 2,
  oma_yhteydenotto: 9,
  muu: 4,
};

/** Where the team refers clients onward, %. */
const LAHTO_SHARES: Record<(typeof LAHTO_LUOKAT)[number], number> = {
  tyottomien_terveystarkastus: 5,
  tyokykyarvio: 18,
  laakinnallinen_kuntoutus: 12,
  ammatillinen_kuntoutus: 10,
  tyokokeilu: 8,
  tyohonvalmennus: 8,
  kuntouttava_tyotoiminta: 10,
  sosiaalinen_kuntoutus: 6,
  koulutus: 4,
  tyo: 5,
  elakeselvitys: 6,
  muu: 5,
  ei_tietoa: 3,
};

/** Referrals into a team per 1 000 inhabitants in a quarter, once the team is up to speed. */
const TULO_PER_1000 = 0.9;
/** Onward referrals per referral in: some clients are still being assessed at the quarter's end. */
const LAHTO_PER_TULO = 0.85;

/** A county's team: its own volume, its own mix of sources and destinations, its own export habit. */
function team(seed: string, county: string) {
  const random = randomFor(seed, "tiimi-team", county);
  return {
    level: random.spread(0.4),
    tulo: TULO_LUOKAT.map((c) => TULO_SHARES[c] * random.spread(0.35)),
    lahto: LAHTO_LUOKAT.map((c) => LAHTO_SHARES[c] * random.spread(0.35)),
    // some client systems list every category, others only those with clients
    listsZeros: random.chance(0.4),
  };
}

/** The `tiimi` rows of every quarter: long form, one row per direction and category. */
export function tiimiRows(plan: DemoPlan): Map<number, Cells[]> {
  const byQuarter = new Map<number, Cells[]>(plan.quarters.map((q) => [q, []]));
  for (const m of plan.municipalities) {
    const from = plan.teamFrom.get(m.kunta);
    if (from === undefined) continue;
    const t = team(plan.seed, m.hyvinvointialue);
    const random = randomFor(plan.seed, "tiimi", m.kunta);
    const ownLevel = random.spread(0.2);
    for (const q of plan.quarters) {
      if (q < from) continue;
      // a new team takes about a year to reach its full volume
      const rampUp = Math.min(1, 0.3 + 0.18 * (q - from));
      const mean = (TULO_PER_1000 / 1000) * populationIn(m, q) * t.level * ownLevel * rampUp;
      const counts = {
        tulo: random.multinomial(random.poisson(mean), t.tulo),
        lahto: random.multinomial(random.poisson(mean * LAHTO_PER_TULO), t.lahto),
      };
      if (!reports(plan, "tiimi", m, q)) continue;
      const vuosineljannes = quarterLabel(quarterOfIndex(q));
      for (const suunta of directionsOf(plan, m.kunta, q)) {
        const categories = suunta === "tulo" ? TULO_LUOKAT : LAHTO_LUOKAT;
        const values = counts[suunta];
        // a direction with no rows would read as "not reported", so a quiet quarter lists its zeros
        const listAll = t.listsZeros || values.every((v) => v === 0);
        categories.forEach((luokka, i) => {
          const n = values[i] as number;
          if (n > 0 || listAll)
            byQuarter.get(q)?.push({ kunta: m.kunta, vuosineljannes, suunta, luokka, lukumaara: String(n) });
        });
      }
    }
  }
  return byQuarter;
}
