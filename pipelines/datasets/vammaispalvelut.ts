import { z } from "zod";
import { defineDataset } from "./dataset.ts";
import { categoryField, countField, kuntaField, quarterField } from "./fields.ts";

export const KOHDERYHMAT = ["kehitysvammaiset", "muut_vammaiset", "mielenterveys_paihde"] as const;

export const vammaispalvelut = defineDataset({
  name: "vammaispalvelut",
  title: {
    fi: "Vammaisten henkilöiden työtoiminta ja työllistyminen",
    sv: "Arbetsverksamhet och sysselsättning för personer med funktionsnedsättning",
    en: "Work activity and employment of persons with disabilities",
  },
  row: z.object({
    kunta: kuntaField("Kuntanumero (Tilastokeskus, 3 numeroa), esim. 091"),
    vuosineljannes: quarterField("Vuosineljännes, esim. 2024Q1"),
    kohderyhma: categoryField(
      KOHDERYHMAT,
      "Kohderyhmä: kehitysvammaiset, muut_vammaiset tai mielenterveys_paihde",
    ),
    palkkatyo: countField(
      "Henkilöt palkkatyössä (työsuhteessa) avoimilla työmarkkinoilla neljänneksen viimeisenä päivänä",
    ),
    avotyotoiminta: countField(
      "Henkilöt avotyötoiminnassa tavallisella työpaikalla neljänneksen viimeisenä päivänä",
      ["avotyo"],
    ),
    tyotoiminta: countField(
      "Henkilöt työtoiminnassa työ- tai toimintakeskuksessa neljänneksen viimeisenä päivänä",
    ),
    paivatoiminta: countField("Henkilöt päivätoiminnassa neljänneksen viimeisenä päivänä"),
    tyohonvalmennus: countField("Henkilöt, jotka saavat työhönvalmennusta, neljänneksen viimeisenä päivänä"),
  }),
  rowKey: ["kunta", "vuosineljannes", "kohderyhma"],
  replaceKey: ["kunta", "vuosineljannes", "kohderyhma"],
  rowChecks: [],
  example: [
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      kohderyhma: "kehitysvammaiset",
      palkkatyo: "6",
      avotyotoiminta: "14",
      tyotoiminta: "41",
      paivatoiminta: "22",
      tyohonvalmennus: "9",
    },
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      kohderyhma: "muut_vammaiset",
      palkkatyo: "3",
      avotyotoiminta: "5",
      tyotoiminta: "7",
      paivatoiminta: "4",
      tyohonvalmennus: "2",
    },
    {
      kunta: "529",
      vuosineljannes: "2024Q1",
      kohderyhma: "mielenterveys_paihde",
      palkkatyo: "2",
      avotyotoiminta: "8",
      tyotoiminta: "12",
      paivatoiminta: "",
      tyohonvalmennus: "5",
    },
  ],
});
