import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { copyTestEnv, prepareDataFolder, type TestEnv } from "../support/env.ts";
import { buildOnce } from "../support/shared.ts";

/**
 * Three municipalities of Keski-Uusimaa (county 02) report: Hyvinkää (106), Järvenpää (186) and
 * Pornainen (611). Pornainen's outcomes are small: in 2024Q1 two of its twelve ended periods went to
 * work, so its kt-tyohon (2/12 = 16,7 %) is hidden, and Järvenpää (the smaller of the others) with it.
 */
export const KT_KESKI_UUSIMAA = `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
106;2023Q1;1000;20;40;6;4;2;3;5;15;2;1;1;1
106;2024Q1;1100;20;50;10;5;5;5;5;10;5;2;2;1
186;2023Q1;800;20;40;6;4;2;3;5;15;2;1;1;1
186;2024Q1;800;20;40;8;4;4;4;5;10;2;1;1;1
611;2023Q1;300;5;10;1;1;1;1;1;4;1;0;0;0
611;2024Q1;320;5;12;2;0;1;1;2;5;1;0;0;0
`;

/**
 * The real app on a real database holding the Keski-Uusimaa fixture, computed; set up once per file,
 * on a copy of the data folder that the first test file of the run to ask loads and computes.
 */
export function useKeskiUusimaaApp(): { env: () => TestEnv; app: () => FastifyInstance } {
  let env: TestEnv;
  let app: FastifyInstance;
  beforeAll(async () => {
    const prepared = await buildOnce("keski-uusimaa", (dir) =>
      prepareDataFolder(dir, async (env) => {
        const report = await env.ingest("kt.csv", KT_KESKI_UUSIMAA);
        expect(report.errors).toEqual([]);
        await recomputeAll(env.db, env.config);
      }),
    );
    env = await copyTestEnv(prepared);
    app = await buildApp({ db: env.db, config: env.config });
  });
  afterAll(async () => {
    await app.close();
    await env.close();
  });
  return { env: () => env, app: () => app };
}
