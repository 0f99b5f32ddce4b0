import { z } from "zod";
import type { Localised } from "../../core/lang.ts";
import { defineDataset, type RowCheck } from "./dataset.ts";
import { categoryField, countField, kuntaField, quarterField } from "./fields.ts";

/** The services whose clients' paths are followed (seed 003: start, middle and end of the path). */
export const POLKU_PALVELUT = ["kuntouttava_tyotoiminta", "tyohonvalmennus", "tyotoiminta"] as const;

/**
 * The five domains of functioning of Kykyviisari, the self-assessment of work ability and functioning
 * of the Finnish Institute of Occupational Health (Työterveyslaitos): mental wellbeing, social
 * inclusion, physical functioning, competence and everyday life.
 */
export const KYKYVIISARI_OSA_ALUEET = [
  "henkinen_hyvinvointi",
  "sosiaalinen_osallisuus",
  "fyysinen_toimintakyky",
  "osaaminen",
  "arjen_sujuvuus",
] as const;
export type KykyviisariOsaAlue = (typeof KYKYVIISARI_OSA_ALUEET)[number];

/** The domains' names as Kykyviisari gives them (fi) and in Swedish and English. */
export const KYKYVIISARI_NIMET: Record<KykyviisariOsaAlue, Localised> = {
  henkinen_hyvinvointi: { fi: "Henkinen hyvinvointi", sv: "Psykiskt välbefinnande", en: "Mental wellbeing" },
  sosiaalinen_osallisuus: { fi: "Sosiaalinen osallisuus", sv: "Social delaktighet", en: "Social inclusion" },
  fyysinen_toimintakyky: {
    fi: "Fyysinen toimintakyky",
    sv: "Fysisk funktionsförmåga",
    en: "Physical functioning",
  },
  osaaminen: { fi: "Osaaminen", sv: "Kompetens", en: "Competence" },
  arjen_sujuvuus: { fi: "Arjen sujuvuus", sv: "Vardagen fungerar", en: "Everyday life" },
};

/** The change columns of one domain: improved, unchanged and declined between start and end. */
export const MUUTOKSET = ["parani", "ennallaan", "heikkeni"] as const;
const MUUTOS_FI = { parani: "parani", ennallaan: "pysyi ennallaan", heikkeni: "heikkeni" } as const;

/** The column of a domain's change, e.g. `osaaminen_parani`. */
export const muutosColumn = (alue: KykyviisariOsaAlue, muutos: (typeof MUUTOKSET)[number]) =>
  `${alue}_${muutos}`;

const domainColumns = Object.fromEntries(
  KYKYVIISARI_OSA_ALUEET.flatMap((alue) =>
    MUUTOKSET.map((muutos) => [
      muutosColumn(alue, muutos),
      countField(
        `Alussa ja lopussa mitatuista: Kykyviisarin osa-alue ${KYKYVIISARI_NIMET[alue].fi.toLowerCase()} ${MUUTOS_FI[muutos]}`,
      ),
    ]),
  ),
) as Record<`${KykyviisariOsaAlue}_${(typeof MUUTOKSET)[number]}`, ReturnType<typeof countField>>;

/**
 * A part larger than its whole: `parts` (added up, those reported) exceed `whole`. Both must be
 * reported; an empty cell is "not reported" and checked by nothing here.
 */
function partsWithinWhole(parts: readonly string[], whole: string): RowCheck {
  const sum = parts.map((c) => `${c}`).join(" + ");
  return {
    code: "SEU_ROW_PARTS_OVER_WHOLE",
    column: parts[0] as string,
    failsWhen: `${whole} IS NOT NULL AND ${parts.map((c) => `${c} IS NOT NULL`).join(" AND ")} AND (${sum}) > ${whole}`,
    value: `(${sum})::VARCHAR`,
    params: { parts: `'${parts.join(" + ")}'`, whole: `'${whole}'`, whole_value: `${whole}::VARCHAR` },
  };
}

export const polku = defineDataset({
  name: "polku",
  title: {
    fi: "Asiakaspolun seuranta: mittaukset, Kykyviisarin muutos, työllistyminen ja palaute",
    sv: "Uppföljning av klientens väg: mätningar, förändring i Kykyviisari, sysselsättning och respons",
    en: "Client path follow-up: measurements, Kykyviisari change, employment and feedback",
  },
  row: z.object({
    kunta: kuntaField("Kuntanumero (Tilastokeskus, 3 numeroa), esim. 091"),
    vuosineljannes: quarterField("Vuosineljännes, esim. 2024Q1"),
    palvelu: categoryField(
      POLKU_PALVELUT,
      "Palvelu: kuntouttava_tyotoiminta, tyohonvalmennus tai tyotoiminta",
    ),
    mitattu_alussa: countField("Asiakkaat, joiden alkumittaus tehtiin neljänneksen aikana", ["alkumittaus"]),
    mitattu_valissa: countField("Asiakkaat, joiden välimittaus tehtiin neljänneksen aikana", ["valimittaus"]),
    mitattu_lopussa: countField("Asiakkaat, joiden loppumittaus tehtiin neljänneksen aikana", [
      "loppumittaus",
    ]),
    mitattu_molemmat: countField(
      "Loppumittauksen saaneista ne, joilla on myös alkumittaus (muutos voidaan laskea)",
      ["alku_ja_loppu"],
    ),
    ...domainColumns,
    tyollistyi: countField("Loppumittauksen saaneista ne, jotka olivat lopussa työssä (palkkatyö)", [
      "tyollistyneet",
    ]),
    palaute_annettu: countField("Asiakkaat, jotka antoivat palautteen neljänneksen aikana", ["palautteet"]),
    palaute_myonteinen: countField("Annetuista palautteista myönteiset", ["myonteiset"]),
  }),
  rowKey: ["kunta", "vuosineljannes", "palvelu"],
  replaceKey: ["kunta", "vuosineljannes", "palvelu"],
  rowChecks: [
    ...KYKYVIISARI_OSA_ALUEET.map((alue) =>
      partsWithinWhole(
        MUUTOKSET.map((m) => muutosColumn(alue, m)),
        "mitattu_molemmat",
      ),
    ),
    partsWithinWhole(["mitattu_molemmat"], "mitattu_lopussa"),
    partsWithinWhole(["tyollistyi"], "mitattu_lopussa"),
    partsWithinWhole(["palaute_myonteinen"], "palaute_annettu"),
  ],
  example: [
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      palvelu: "kuntouttava_tyotoiminta",
      mitattu_alussa: "14",
      mitattu_valissa: "9",
      mitattu_lopussa: "11",
      mitattu_molemmat: "10",
      henkinen_hyvinvointi_parani: "5",
      henkinen_hyvinvointi_ennallaan: "3",
      henkinen_hyvinvointi_heikkeni: "2",
      sosiaalinen_osallisuus_parani: "6",
      sosiaalinen_osallisuus_ennallaan: "3",
      sosiaalinen_osallisuus_heikkeni: "1",
      fyysinen_toimintakyky_parani: "3",
      fyysinen_toimintakyky_ennallaan: "5",
      fyysinen_toimintakyky_heikkeni: "2",
      osaaminen_parani: "4",
      osaaminen_ennallaan: "5",
      osaaminen_heikkeni: "1",
      arjen_sujuvuus_parani: "5",
      arjen_sujuvuus_ennallaan: "4",
      arjen_sujuvuus_heikkeni: "1",
      tyollistyi: "2",
      palaute_annettu: "12",
      palaute_myonteinen: "10",
    },
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      palvelu: "tyohonvalmennus",
      mitattu_alussa: "6",
      mitattu_valissa: "4",
      mitattu_lopussa: "5",
      mitattu_molemmat: "5",
      henkinen_hyvinvointi_parani: "3",
      henkinen_hyvinvointi_ennallaan: "2",
      henkinen_hyvinvointi_heikkeni: "0",
      sosiaalinen_osallisuus_parani: "2",
      sosiaalinen_osallisuus_ennallaan: "3",
      sosiaalinen_osallisuus_heikkeni: "0",
      fyysinen_toimintakyky_parani: "1",
      fyysinen_toimintakyky_ennallaan: "4",
      fyysinen_toimintakyky_heikkeni: "0",
      osaaminen_parani: "3",
      osaaminen_ennallaan: "2",
      osaaminen_heikkeni: "0",
      arjen_sujuvuus_parani: "2",
      arjen_sujuvuus_ennallaan: "3",
      arjen_sujuvuus_heikkeni: "0",
      tyollistyi: "2",
      palaute_annettu: "",
      palaute_myonteinen: "",
    },
  ],
});
