import { z } from "zod";
import { sqlList } from "../../core/sql.ts";
import { defineDataset } from "./dataset.ts";
import { categoryField, countField, kuntaField, quarterField } from "./fields.ts";

/** Where referrals into the team come from (seed 004, section 3.1.1, plus self-referral). */
export const TULO_LUOKAT = [
  "tyoterveyshuolto",
  "erikoissairaanhoito",
  "perusterveydenhuolto",
  "paivystys",
  "tyollisyyspalvelut",
  "sosiaalihuolto",
  "kuntoutuksen_palveluntuottaja",
  "jarjesto",
  "kela",
  "tyoelakelaitos",
  "oppilaitos",
  "oma_yhteydenotto",
  "muu",
] as const;

/** Where the team refers clients onward. */
export const LAHTO_LUOKAT = [
  "tyottomien_terveystarkastus",
  "tyokykyarvio",
  "laakinnallinen_kuntoutus",
  "ammatillinen_kuntoutus",
  "tyokokeilu",
  "tyohonvalmennus",
  "kuntouttava_tyotoiminta",
  "sosiaalinen_kuntoutus",
  "koulutus",
  "tyo",
  "elakeselvitys",
  "muu",
  "ei_tietoa",
] as const;

const ALL_LUOKAT = [...new Set([...TULO_LUOKAT, ...LAHTO_LUOKAT])] as [string, ...string[]];

export const tiimi = defineDataset({
  name: "tiimi",
  title: {
    fi: "Työkyvyn tuen tiimin ohjautumiset",
    sv: "Hänvisningar till och från teamet för arbetsförmågestöd",
    en: "Referrals into and out of work-ability support teams",
  },
  row: z.object({
    kunta: kuntaField("Kuntanumero (Tilastokeskus, 3 numeroa), esim. 091"),
    vuosineljannes: quarterField("Vuosineljännes, esim. 2024Q1"),
    suunta: categoryField(
      ["tulo", "lahto"],
      "tulo = ohjautui tiimiin (mistä), lahto = ohjattiin tiimistä eteenpäin (minne)",
    ),
    luokka: categoryField(ALL_LUOKAT, "Ohjaaja (tulo) tai jatko-ohjauksen kohde (lahto)"),
    lukumaara: countField("Asiakkaiden lukumäärä", ["maara", "asiakkaat", "lkm"]),
  }),
  rowKey: ["kunta", "vuosineljannes", "suunta", "luokka"],
  replaceKey: ["kunta", "vuosineljannes", "suunta"],
  impliedZeros: {
    category: "luokka",
    groupedBy: "suunta",
    values: { tulo: TULO_LUOKAT, lahto: LAHTO_LUOKAT },
  },
  rowChecks: [
    {
      code: "SEU_ROW_CATEGORY_FOR_DIRECTION",
      column: "luokka",
      failsWhen: `(suunta = 'tulo' AND luokka NOT IN (${sqlList(TULO_LUOKAT)})) OR (suunta = 'lahto' AND luokka NOT IN (${sqlList(LAHTO_LUOKAT)}))`,
      value: "luokka",
      params: {
        suunta: "suunta",
        accepted: `CASE suunta WHEN 'tulo' THEN '${TULO_LUOKAT.join(", ")}' ELSE '${LAHTO_LUOKAT.join(", ")}' END`,
      },
    },
  ],
  example: [
    ...(
      [
        ["tulo", "tyoterveyshuolto", "4"],
        ["tulo", "perusterveydenhuolto", "17"],
        ["tulo", "tyollisyyspalvelut", "22"],
        ["tulo", "sosiaalihuolto", "9"],
        ["tulo", "oma_yhteydenotto", "3"],
        ["lahto", "tyokykyarvio", "11"],
        ["lahto", "ammatillinen_kuntoutus", "6"],
        ["lahto", "tyokokeilu", "5"],
        ["lahto", "kuntouttava_tyotoiminta", "8"],
        ["lahto", "ei_tietoa", "2"],
      ] as const
    ).map(([suunta, luokka, lukumaara]) => ({
      kunta: "529",
      vuosineljannes: "2024Q1",
      suunta,
      luokka,
      lukumaara,
    })),
  ],
});
