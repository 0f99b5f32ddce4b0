import { quarterOfIndex } from "../../core/quarter.ts";
import { IPS_ITEMS } from "../datasets/ips.ts";
import type { Cells } from "./kuntouttava.ts";
import type { DemoPlan } from "./plan.ts";
import { type Random, randomFor } from "./random.ts";

/**
 * Supported-employment units and their fidelity reviews. Seed 004: the unit of Keski-Suomi was scored
 * twice against the laatukriteerit, 83 and then 91; the others are made up, spread over the country,
 * reviewed about every half year (THL: half-yearly until good fidelity, 100 points, then yearly).
 */
interface DemoUnit {
  yksikko: string;
  nimi: string;
  kunta: string;
  /** Totals of the reviews in order; null = drawn from the seed. */
  totals: readonly number[] | null;
}

const UNITS: readonly DemoUnit[] = [
  { yksikko: "KS-IPS-1", nimi: "Työvalmennuspalvelu Kätevä", kunta: "179", totals: [83, 91] },
  { yksikko: "KS-IPS-2", nimi: "Jämsän työhönvalmennus", kunta: "182", totals: null },
  { yksikko: "EK-IPS-1", nimi: "Lappeenrannan IPS-työhönvalmennus", kunta: "405", totals: null },
  { yksikko: "PK-IPS-1", nimi: "Joensuun IPS-työhönvalmennus", kunta: "167", totals: null },
  { yksikko: "PIR-IPS-1", nimi: "Tampereen IPS-valmennus", kunta: "837", totals: null },
  { yksikko: "HKI-IPS-1", nimi: "Helsingin IPS-työhönvalmennus, itä", kunta: "091", totals: null },
  { yksikko: "HKI-IPS-2", nimi: "Helsingin IPS-työhönvalmennus, länsi", kunta: "091", totals: null },
  { yksikko: "PP-IPS-1", nimi: "Oulun IPS-työhönvalmennus", kunta: "564", totals: null },
  { yksikko: "VS-IPS-1", nimi: "Turun IPS-työhönvalmennus", kunta: "853", totals: null },
  { yksikko: "PS-IPS-1", nimi: "Kuopion IPS-työhönvalmennus", kunta: "297", totals: null },
];

/** Clients per specialist that item 1 (caseload size) scores 1, 2, 3, 4 and 5. */
const CASELOAD_OF_SCORE: readonly (readonly [number, number])[] = [
  [41, 50],
  [31, 40],
  [26, 30],
  [21, 25],
  [12, 20],
];

/**
 * 25 item scores 1–5 adding up to `total`: a profile of the unit's own (some items weak, some strong),
 * moved a point at a time until the sum is right.
 */
function scores(random: Random, total: number, profile: readonly number[]): number[] {
  const out = profile.map((p) => Math.min(5, Math.max(1, Math.round(p))));
  let sum = out.reduce((a, b) => a + b, 0);
  for (let guard = 0; sum !== total && guard < 10_000; guard++) {
    const i = random.int(0, out.length - 1);
    const v = out[i] as number;
    if (sum < total && v < 5) {
      out[i] = v + 1;
      sum++;
    } else if (sum > total && v > 1) {
      out[i] = v - 1;
      sum--;
    }
  }
  return out;
}

/** The `ips` rows per quarter index: every review of every unit, in the quarter of its date. */
export function ipsRows(plan: DemoPlan): Map<number, Cells[]> {
  const byQuarter = new Map<number, Cells[]>(plan.quarters.map((q) => [q, []]));
  for (const unit of UNITS) {
    const random = randomFor(plan.seed, "ips", unit.yksikko);
    const reviews = unit.totals?.length ?? random.int(1, 3);
    const first = random.int(60, 104);
    const totals = unit.totals ?? Array.from({ length: reviews }, (_, i) => first + i * random.int(-2, 9));
    // reviews half a year apart, ending within the last year of the demo
    const last = plan.quarters.length - 1 - random.int(0, 3);
    let profile = IPS_ITEMS.map(() => 1 + 4 * random.next());
    const specialists = random.int(2, 6);
    totals.forEach((total, i) => {
      const q = plan.quarters[last - 2 * (totals.length - 1 - i)] as number;
      const items = scores(random, total, profile);
      profile = items;
      const { year, quarter } = quarterOfIndex(q);
      const month = (quarter - 1) * 3 + 1 + random.int(0, 2);
      const row: Cells = {
        yksikko: unit.yksikko,
        yksikon_nimi: unit.nimi,
        kunta: unit.kunta,
        arviointipaiva: `${year}-${String(month).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`,
        arviointi: i === 0 && random.chance(0.3) ? "itsearviointi" : "ulkoinen",
      };
      IPS_ITEMS.forEach((item, k) => {
        row[item.id] = String(items[k]);
      });
      // the caseload agrees with item 1, which scores it (5: 20 or fewer per specialist, 4: 21–25, …)
      const [lo, hi] = CASELOAD_OF_SCORE[(items[0] as number) - 1] as [number, number];
      row.tyohonvalmentajat = String(specialists);
      row.asiakkaat = String(specialists * random.int(lo, hi));
      byQuarter.get(q)?.push(row);
    });
  }
  return byQuarter;
}
