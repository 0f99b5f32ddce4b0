import { z } from "zod";
import { defineDataset } from "./dataset.ts";
import { countField, kuntaField, quarterField } from "./fields.ts";

/** Outcome columns of ended periods (Lieto 2020 follow-up categories, seed 002). */
export const KUNTOUTTAVA_OUTCOMES = [
  "tyo",
  "palkkatuettu_tyo",
  "opiskelu",
  "te_palvelut",
  "tyoton",
  "jatkaa",
  "sote_palvelut",
  "muu_toimeentulo",
  "muutto",
  "ei_tietoa",
] as const;

const filled = KUNTOUTTAVA_OUTCOMES.map((c) => `(${c} IS NOT NULL)::INT`).join(" + ");
const outcomeSum = KUNTOUTTAVA_OUTCOMES.map((c) => `coalesce(${c}, 0)`).join(" + ");
const emptyList = `concat_ws(', ', ${KUNTOUTTAVA_OUTCOMES.map((c) => `CASE WHEN ${c} IS NULL THEN '${c}' END`).join(", ")})`;
const all = KUNTOUTTAVA_OUTCOMES.length;

export const kuntouttava = defineDataset({
  name: "kuntouttava",
  title: {
    fi: "Kuntouttavan työtoiminnan jaksot ja tulokset",
    sv: "Arbetsverksamhet i rehabiliteringssyfte: perioder och resultat",
    en: "Rehabilitative work activity: periods and outcomes",
  },
  row: z.object({
    kunta: kuntaField("Kuntanumero (Tilastokeskus, 3 numeroa), esim. 091"),
    vuosineljannes: quarterField("Vuosineljännes, esim. 2024Q1"),
    asiakkaat: countField("Asiakkaat kuntouttavassa työtoiminnassa neljänneksen aikana", ["asiakkaita"]),
    aloittaneet: countField("Neljänneksen aikana alkaneet jaksot", ["alkaneet"]),
    paattyneet: countField("Neljänneksen aikana päättyneet jaksot; yhtä suuri kuin päättymissyiden summa"),
    tyo: countField("Päättyi: työhön avoimille työmarkkinoille", ["toihin"]),
    palkkatuettu_tyo: countField("Päättyi: palkkatuettuun työhön", ["palkkatuki"]),
    opiskelu: countField("Päättyi: opiskelemaan"),
    te_palvelut: countField("Päättyi: työllisyyspalveluihin (TE-toimisto / kunnan työllisyyspalvelut)"),
    tyoton: countField("Päättyi: työttömäksi työnhakijaksi"),
    jatkaa: countField("Päättyi: jatkaa kuntouttavassa työtoiminnassa (uusi jakso)", ["jatkoi"]),
    sote_palvelut: countField("Päättyi: sosiaali- tai terveyspalveluihin (kuntoutus, hoito)"),
    muu_toimeentulo: countField("Päättyi: eläke, sairauspäiväraha tai muu toimeentulo"),
    muutto: countField("Päättyi: muutti pois kunnasta", ["muuttanut"]),
    ei_tietoa: countField("Päättyi: ei tietoa"),
  }),
  rowKey: ["kunta", "vuosineljannes"],
  replaceKey: ["kunta", "vuosineljannes"],
  sumRules: [{ total: "paattyneet", parts: KUNTOUTTAVA_OUTCOMES }],
  rowChecks: [
    {
      code: "SEU_ROW_OUTCOMES_PARTIAL",
      column: "tyo",
      failsWhen: `(${filled}) BETWEEN 1 AND ${all - 1}`,
      value: "NULL",
      params: { empty: emptyList },
    },
    {
      code: "SEU_ROW_ENDED_MISSING",
      column: "paattyneet",
      failsWhen: `paattyneet IS NULL AND (${filled}) = ${all}`,
      value: "NULL",
    },
    {
      code: "SEU_ROW_OUTCOMES_SUM",
      column: "paattyneet",
      failsWhen: `paattyneet IS NOT NULL AND (${filled}) = ${all} AND paattyneet <> (${outcomeSum})`,
      value: "paattyneet::VARCHAR",
      params: { sum: `(${outcomeSum})::VARCHAR` },
    },
  ],
  example: [
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      asiakkaat: "64",
      aloittaneet: "12",
      paattyneet: "31",
      tyo: "3",
      palkkatuettu_tyo: "0",
      opiskelu: "2",
      te_palvelut: "1",
      tyoton: "2",
      jatkaa: "19",
      sote_palvelut: "3",
      muu_toimeentulo: "1",
      muutto: "0",
      ei_tietoa: "0",
    },
    {
      kunta: "529",
      vuosineljannes: "2024Q2",
      asiakkaat: "58",
      aloittaneet: "9",
      paattyneet: "",
      tyo: "",
      palkkatuettu_tyo: "",
      opiskelu: "",
      te_palvelut: "",
      tyoton: "",
      jatkaa: "",
      sote_palvelut: "",
      muu_toimeentulo: "",
      muutto: "",
      ei_tietoa: "",
    },
  ],
});
