import { lastEndedQuarter, quarterIndex } from "../../core/quarter.ts";
import { KOHDERYHMAT } from "../datasets/vammaispalvelut.ts";
import { type DemoMunicipality, existsIn } from "./municipalities.ts";
import { randomFor } from "./random.ts";

/** How many ended quarters the demo covers. */
export const DEMO_QUARTERS = 12;

export type DemoDataset = "kuntouttava" | "vammaispalvelut" | "tiimi" | "polku" | "ips";
export type Kohderyhma = (typeof KOHDERYHMAT)[number];

/**
 * Who reports what: the gaps real reporting has (a municipality that never sends one dataset, a
 * quarter sent late or not at all, a target group nobody counts, teams that start mid-way), decided
 * once from the seed so the data and the tests agree on them.
 */
export interface DemoPlan {
  seed: string;
  /** Quarter indices (core/quarter.ts quarterIndex), oldest first, ending with the last ended quarter. */
  quarters: number[];
  municipalities: DemoMunicipality[];
  /** Municipalities that send nothing for a dataset. */
  skipsDataset: Record<DemoDataset, Set<string>>;
  /** Quarters a municipality did not send, per dataset. */
  skipsQuarter: Record<DemoDataset, Map<string, Set<number>>>;
  /** `vammaispalvelut` target groups a municipality does not count. */
  skipsGroup: Map<string, Set<Kohderyhma>>;
  /** First quarter of the work-ability team a municipality belongs to; absent = no team. */
  teamFrom: Map<string, number>;
  /** First quarter a municipality follows its clients' paths (`polku`); absent = it does not. */
  polkuFrom: Map<string, number>;
  /** `kuntouttava` rows (`kunta|quarter`) sent without outcomes (paattyneet only). */
  outcomesUnreported: Set<string>;
  /** `kuntouttava` rows (`kunta|quarter`) sent without the client count. */
  clientsUnreported: Set<string>;
  /** A `kuntouttava` row first sent without outcomes and later corrected by a second file. */
  correction: { kunta: string; quarter: number };
}

/** The key of a municipality's row in a quarter, as the plan's sets hold it. */
export const rowKey = (kunta: string, quarter: number) => `${kunta}|${quarter}`;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

/** Decides the demo's reporting gaps for the 12 quarters ending with the last ended quarter of `today`. */
export function planDemo(seed: string, today: string, municipalities: DemoMunicipality[]): DemoPlan {
  const last = quarterIndex(lastEndedQuarter(today));
  const quarters = Array.from({ length: DEMO_QUARTERS }, (_, i) => last - DEMO_QUARTERS + 1 + i);
  const random = randomFor(seed, "plan");
  const current = municipalities.filter((m) => m.untilQuarter === undefined);
  // Each special role goes to a different municipality, so every municipality still reports something.
  const pool = random.shuffle(current.filter((m) => m.population >= 2000 && m.population <= 60000));
  const take = (n: number) => pool.splice(0, n).map((m) => m.kunta);

  const skipsDataset: DemoPlan["skipsDataset"] = {
    kuntouttava: new Set(take(2)),
    vammaispalvelut: new Set(take(4)),
    tiimi: new Set(),
    polku: new Set(),
    ips: new Set(),
  };
  const skipsQuarter: DemoPlan["skipsQuarter"] = {
    kuntouttava: new Map(),
    vammaispalvelut: new Map(),
    tiimi: new Map(),
    polku: new Map(),
    ips: new Map(),
  };
  const someQuarters = (n: number) => random.shuffle(quarters.slice(0, -1)).slice(0, n);
  for (const kunta of take(10))
    for (const q of someQuarters(random.int(1, 2))) addTo(skipsQuarter.kuntouttava, kunta, q);
  // late senders: the last quarter is not in yet
  for (const kunta of take(8)) addTo(skipsQuarter.kuntouttava, kunta, last);
  for (const kunta of take(6))
    for (const q of someQuarters(random.int(1, 3))) addTo(skipsQuarter.vammaispalvelut, kunta, q);
  for (const kunta of take(4)) for (const q of someQuarters(1)) addTo(skipsQuarter.tiimi, kunta, q);

  const skipsGroup = new Map<string, Set<Kohderyhma>>();
  for (const m of current) {
    if (random.chance(0.12)) addTo(skipsGroup, m.kunta, "mielenterveys_paihde");
    if (random.chance(0.03)) addTo(skipsGroup, m.kunta, "muut_vammaiset");
  }

  // Teams belong to the sote centres of a wellbeing county; Åland (91) has none. A county's team
  // starts in one of the first quarters, and a few of its municipalities do not send their counts.
  const teamFrom = new Map<string, number>();
  const counties = [...new Set(current.map((m) => m.hyvinvointialue))].sort();
  for (const county of counties) {
    if (county === "91" || !random.chance(0.65)) continue;
    const start = quarters[random.int(0, 5)] as number;
    for (const m of municipalities) {
      if (m.hyvinvointialue === county && random.chance(0.93)) teamFrom.set(m.kunta, start);
    }
  }

  const polkuFrom = planPolku(seed, quarters, municipalities);

  const midQuarters = quarters.slice(2, -2);
  const cells = (n: number) =>
    take(n).map((kunta) => rowKey(kunta, midQuarters[random.int(0, midQuarters.length - 1)] as number));
  const outcomesUnreported = new Set(cells(3));
  const clientsUnreported = new Set(cells(2));
  const [first] = [...outcomesUnreported];
  const [kunta, quarter] = (first as string).split("|");
  return {
    seed,
    quarters,
    municipalities,
    skipsDataset,
    skipsQuarter,
    skipsGroup,
    teamFrom,
    polkuFrom,
    outcomesUnreported,
    clientsUnreported,
    correction: { kunta: kunta as string, quarter: Number(quarter) },
  };
}

/**
 * Client path follow-up is a regional project's own measure (seeds 003 and 004): the municipalities
 * of Etelä-Karjala (11), Pohjois-Karjala (14) and Keski-Suomi (15) start it in different quarters,
 * and a few of their municipalities never send it. Its own random stream leaves the rest of the plan
 * as it was.
 */
function planPolku(
  seed: string,
  quarters: number[],
  municipalities: DemoMunicipality[],
): Map<string, number> {
  const random = randomFor(seed, "plan-polku");
  const start: Record<string, number> = { "11": 2, "15": 4, "14": 6 };
  const from = new Map<string, number>();
  for (const m of municipalities) {
    const step = start[m.hyvinvointialue];
    if (step !== undefined && random.chance(0.9)) from.set(m.kunta, quarters[step] as number);
  }
  return from;
}

/** Whether a municipality sends a row (or, for `vammaispalvelut`, rows) of the dataset for the quarter. */
export function reports(plan: DemoPlan, dataset: DemoDataset, m: DemoMunicipality, quarter: number): boolean {
  if (!existsIn(m, quarter) || plan.skipsDataset[dataset].has(m.kunta)) return false;
  if (plan.skipsQuarter[dataset].get(m.kunta)?.has(quarter)) return false;
  const from = dataset === "tiimi" ? plan.teamFrom : dataset === "polku" ? plan.polkuFrom : null;
  if (from) {
    const first = from.get(m.kunta);
    return first !== undefined && quarter >= first;
  }
  return true;
}

/** The `vammaispalvelut` groups a municipality sends rows for. */
export function groupsOf(plan: DemoPlan, kunta: string): Kohderyhma[] {
  const skipped = plan.skipsGroup.get(kunta);
  return KOHDERYHMAT.filter((g) => !skipped?.has(g));
}

/** The `tiimi` directions a municipality sends for a quarter: the team's first quarter has no onward referrals yet. */
export function directionsOf(plan: DemoPlan, kunta: string, quarter: number): ("tulo" | "lahto")[] {
  return plan.teamFrom.get(kunta) === quarter ? ["tulo"] : ["tulo", "lahto"];
}
