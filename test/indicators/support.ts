import { afterAll, beforeAll, expect } from "vitest";
import { recomputeAll } from "../../indicators/compute.ts";
import type { LevelName } from "../../indicators/levels.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import { copyTestEnv, prepareDataFolder, type TestEnv } from "../support/env.ts";
import { buildName, buildOnce } from "../support/shared.ts";

/**
 * Hand-made fixtures for the indicator tests: the wellbeing county 04 (Vantaa 092, Kerava 245), where
 * Kerava leaves out 2024Q2 of kuntouttava, sends only one target group for 2024Q4 and only the
 * `tulo` direction of 2024Q1. Vantaa is alone in employment area 43; Kerava shares 11 with Sipoo
 * (753), which reports nothing. Every expected figure in the tests is worked out from these rows.
 */

export const KT = `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
092;2023Q4;1000;20;40;6;4;2;3;5;15;2;1;1;1
092;2024Q1;1100;20;50;10;5;5;5;5;10;5;2;2;1
092;2024Q2;1200;20;30;3;2;1;4;5;10;3;1;0;1
092;2024Q3;900;20;20;2;1;2;3;2;6;2;1;0;1
092;2024Q4;800;20;40;8;2;3;4;6;12;3;1;0;1
245;2023Q4;300;5;10;1;1;1;1;1;4;1;0;0;0
245;2024Q1;320;5;12;2;0;1;1;2;5;1;0;0;0
245;2024Q3;280;5;8;1;1;0;1;1;3;1;0;0;0
245;2024Q4;300;5;10;2;0;1;1;1;4;1;0;0;0
`;

export const VP = `kunta;vuosineljannes;kohderyhma;palkkatyo;avotyotoiminta;tyotoiminta;paivatoiminta;tyohonvalmennus
092;2024Q1;kehitysvammaiset;10;20;50;30;8
092;2024Q1;muut_vammaiset;4;6;10;5;3
092;2024Q1;mielenterveys_paihde;6;4;12;8;5
092;2024Q2;kehitysvammaiset;11;19;50;30;8
092;2024Q2;muut_vammaiset;4;6;10;5;3
092;2024Q2;mielenterveys_paihde;6;5;12;8;5
092;2024Q3;kehitysvammaiset;11;19;49;30;9
092;2024Q3;muut_vammaiset;5;5;10;5;2
092;2024Q3;mielenterveys_paihde;7;5;12;8;5
092;2024Q4;kehitysvammaiset;12;18;48;30;9
092;2024Q4;muut_vammaiset;5;5;10;5;2
092;2024Q4;mielenterveys_paihde;7;5;12;8;6
245;2024Q1;kehitysvammaiset;2;8;20;10;2
245;2024Q1;muut_vammaiset;1;1;3;2;0
245;2024Q1;mielenterveys_paihde;2;2;4;3;1
245;2024Q4;kehitysvammaiset;3;7;20;10;1
`;

const tiimiQuarter = (q: string, tulo: [string, number][]) =>
  [
    ...tulo.map(([luokka, n]) => `092;${q};tulo;${luokka};${n}`),
    ...(
      [
        ["tyokykyarvio", 8],
        ["tyokokeilu", 6],
        ["ammatillinen_kuntoutus", 4],
        ["kuntouttava_tyotoiminta", 7],
        ["ei_tietoa", 5],
      ] as const
    ).map(([luokka, n]) => `092;${q};lahto;${luokka};${n}`),
  ].join("\n");
const usualTulo: [string, number][] = [
  ["tyoterveyshuolto", 5],
  ["perusterveydenhuolto", 10],
  ["tyollisyyspalvelut", 15],
  ["sosiaalihuolto", 5],
  ["oma_yhteydenotto", 5],
];

export const TIIMI = `kunta;vuosineljannes;suunta;luokka;lukumaara
${tiimiQuarter("2024Q1", usualTulo)}
${tiimiQuarter("2024Q2", usualTulo)}
${tiimiQuarter("2024Q3", usualTulo)}
${tiimiQuarter("2024Q4", [
  ["tyoterveyshuolto", 10],
  ["perusterveydenhuolto", 20],
  ["paivystys", 2],
  ["tyollisyyspalvelut", 8],
])}
245;2024Q1;tulo;perusterveydenhuolto;6
245;2024Q1;tulo;tyollisyyspalvelut;4
`;

/** Ingests CSV files through the real pipeline (each must load) and computes every indicator. */
export async function loadAndCompute(env: TestEnv, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    const report = await env.ingest(name, text);
    expect(report.errors, `${name} should load`).toEqual([]);
    expect(report.status).toBe("loaded");
  }
  return recomputeAll(env.db, env.config, { trigger: "test" });
}

/**
 * A fresh environment for a describe block, with files loaded and computed: the first test file of the
 * run to ask for these files and settings loads and computes them, every user gets its own copy of
 * that data folder.
 */
export function useComputed(files: Record<string, string>, vars: Record<string, string> = {}) {
  const holder: { env: TestEnv } = { env: undefined as unknown as TestEnv };
  beforeAll(async () => {
    const prepared = await buildOnce(buildName("computed", { files, vars }), (dir) =>
      prepareDataFolder(dir, (env) => loadAndCompute(env, files).then(() => undefined), vars),
    );
    holder.env = await copyTestEnv(prepared, vars);
  });
  afterAll(async () => {
    await holder.env?.close();
  });
  return holder;
}

export interface One {
  indicator: string;
  level: LevelName;
  area: string;
  period: string;
  category?: string;
  unsuppressed?: boolean;
}

/** The one value of an indicator at a level, area, period (and cell; "" = the total). */
export async function one(env: TestEnv, q: One): Promise<ReaderValue> {
  const { values } = await readValues(
    env.db,
    { indicator: q.indicator, level: q.level, area: q.area, period: q.period, category: q.category ?? "" },
    { unsuppressed: q.unsuppressed ?? false },
  );
  expect(values, JSON.stringify(q)).toHaveLength(1);
  return values[0] as ReaderValue;
}
