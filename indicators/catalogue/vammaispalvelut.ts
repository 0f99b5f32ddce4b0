import type { Localised } from "../../core/lang.ts";
import type { KOHDERYHMAT } from "../../pipelines/datasets/vammaispalvelut.ts";
import { defineIndicators, type IndicatorInput } from "../definition.ts";

// Work activity and employment of persons with disabilities. Every column is a stock (persons on the
// last day of the quarter), so a year is its last quarter; the three target groups are summed and can
// be broken down (DESIGN.md, "Computing").

const kohderyhmaLabels: Record<(typeof KOHDERYHMAT)[number], Localised> = {
  kehitysvammaiset: {
    fi: "Kehitysvammaiset",
    sv: "Personer med intellektuell funktionsnedsättning",
    en: "Persons with intellectual disabilities",
  },
  muut_vammaiset: {
    fi: "Muut vammaiset",
    sv: "Övriga personer med funktionsnedsättning",
    en: "Other persons with disabilities",
  },
  mielenterveys_paihde: {
    fi: "Mielenterveys- ja päihdekuntoutujat",
    sv: "Rehabiliteringsklienter inom mentalvård och missbruksvård",
    en: "Mental health and substance abuse rehabilitation clients",
  },
};

const source = {
  fi: "Kuntien ja hyvinvointialueiden ilmoittamat vammaisten henkilöiden työtoiminnan ja työllistymisen tiedot (Seuranta, aineisto vammaispalvelut)",
  sv: "Uppgifter om arbetsverksamhet och sysselsättning för personer med funktionsnedsättning enligt kommunerna och välfärdsområdena (Seuranta, datamängden vammaispalvelut)",
  en: "Work activity and employment of persons with disabilities reported by municipalities and wellbeing services counties (Seuranta, dataset vammaispalvelut)",
};

const common = {
  dataset: "vammaispalvelut",
  periods: ["quarter", "year", "rolling4q"],
  levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
  breakdown: {
    by: "category",
    column: "kohderyhma",
    title: { fi: "Kohderyhmä", sv: "Målgrupp", en: "Target group" },
    labels: kohderyhmaLabels,
  },
} satisfies Partial<IndicatorInput>;

const stockNote = {
  fi: "Luvut ovat neljänneksen viimeisen päivän tilanne; vuoden ja neljän neljänneksen jakson luku on jakson viimeisen neljänneksen tilanne.",
  sv: "Talen gäller kvartalets sista dag; för året och fyra kvartal gäller periodens sista kvartal.",
  en: "Figures are for the last day of the quarter; for a year or four quarters, those of the period's last quarter.",
};

const groupsLimitation = {
  fi: "Kokonaisluku lasketaan vain, kun kaikki kolme kohderyhmää on ilmoitettu; kohderyhmittäiset luvut näkyvät erikseen. Sama henkilö voi olla useassa palvelussa.",
  sv: "Totalen räknas bara när alla tre målgrupper har rapporterats; målgrupperna visas också var för sig. Samma person kan delta i flera tjänster.",
  en: "The total is computed only when all three target groups are reported; the groups are also shown one by one. The same person may be in several services.",
};

export default defineIndicators([
  {
    ...common,
    id: "vp-palkkatyo-osuus",
    title: {
      fi: "Palkkatyössä olevien osuus palkkatyössä tai avotyötoiminnassa olevista vammaisista henkilöistä, %",
      sv: "Andelen i lönearbete av personer med funktionsnedsättning i lönearbete eller öppen arbetsverksamhet, %",
      en: "Share in paid employment of persons with disabilities in paid employment or open work activity, %",
    },
    description: {
      fi: "Avoimilla työmarkkinoilla työsuhteessa olevat (työhönvalmennuksen kanssa tai ilman) suhteessa heihin ja avotyötoiminnassa tavallisella työpaikalla oleviin yhteensä.",
      sv: "Personer i anställning på den öppna arbetsmarknaden (med eller utan arbetscoachning) i förhållande till dem och personer i öppen arbetsverksamhet på en vanlig arbetsplats sammanlagt.",
      en: "Persons employed on the open labour market (with or without job coaching) relative to them and the persons in open work activity at an ordinary workplace together.",
    },
    interpretation: {
      fi: `Mitä suurempi osuus, sitä useampi tavallisella työpaikalla toimiva saa palkkaa työstään. ${stockNote.fi}`,
      sv: `Ju större andel, desto fler av dem som verkar på en vanlig arbetsplats får lön för sitt arbete. ${stockNote.sv}`,
      en: `The higher the share, the more of those working at an ordinary workplace are paid for their work. ${stockNote.en}`,
    },
    limitations: groupsLimitation,
    source,
    numerator: { sum: ["palkkatyo"], over: "stock" },
    denominator: { sum: ["palkkatyo", "avotyotoiminta"], over: "stock" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  },
  {
    ...common,
    id: "vp-avotyo-per-10000",
    title: {
      fi: "Avotyötoiminnassa olevat / 10 000 asukasta (vuosi: viimeinen neljännes)",
      sv: "Personer i öppen arbetsverksamhet / 10 000 invånare (år: sista kvartalet)",
      en: "Persons in open work activity per 10 000 inhabitants (year: last quarter)",
    },
    description: {
      fi: "Palkatonta avotyötoimintaa tavallisella työpaikalla tekevät vammaiset henkilöt kymmentätuhatta asukasta kohden.",
      sv: "Personer med funktionsnedsättning i oavlönad öppen arbetsverksamhet på en vanlig arbetsplats per tiotusen invånare.",
      en: "Persons with disabilities in unpaid open work activity at an ordinary workplace per ten thousand inhabitants.",
    },
    interpretation: {
      fi: `Kuvaa avotyötoiminnan laajuutta; suuri luku voi kertoa sekä hyvästä tarjonnasta että siitä, ettei avotyö muutu palkkatyöksi (vrt. vp-palkkatyo-osuus). ${stockNote.fi}`,
      sv: `Beskriver omfattningen av öppen arbetsverksamhet; ett stort tal kan betyda både ett gott utbud och att öppen arbetsverksamhet inte blir lönearbete (jfr vp-palkkatyo-osuus). ${stockNote.sv}`,
      en: `Shows the volume of open work activity; a high figure may mean a good supply as well as open work activity not turning into paid work (see vp-palkkatyo-osuus). ${stockNote.en}`,
    },
    limitations: {
      fi: `Suhteutettu koko väestöön (vuoden lopun väestö; puuttuvan vuoden sijaan edellinen saatavilla oleva). ${groupsLimitation.fi}`,
      sv: `Relaterat till hela befolkningen (vid årets slut; saknas året används det senaste tidigare). ${groupsLimitation.sv}`,
      en: `Relative to the whole population (at the end of the year; for a missing year the latest earlier one). ${groupsLimitation.en}`,
    },
    source: {
      fi: `${source.fi}; väestö: Tilastokeskus, THL Sotkanet`,
      sv: `${source.sv}; befolkning: Statistikcentralen, THL Sotkanet`,
      en: `${source.en}; population: Statistics Finland, THL Sotkanet`,
    },
    numerator: { sum: ["avotyotoiminta"], over: "stock" },
    denominator: { population: "all" },
    unit: "per10000",
    decimals: 1,
    higherIsBetter: null,
  },
  {
    ...common,
    id: "vp-tyohonvalmennus",
    title: {
      fi: "Työhönvalmennusta saavat vammaiset henkilöt (vuosi: viimeinen neljännes)",
      sv: "Personer med funktionsnedsättning som får arbetscoachning (år: sista kvartalet)",
      en: "Persons with disabilities receiving job coaching (year: last quarter)",
    },
    description: {
      fi: "Työhönvalmennusta neljänneksen viimeisenä päivänä saavien vammaisten henkilöiden lukumäärä.",
      sv: "Antalet personer med funktionsnedsättning som får arbetscoachning på kvartalets sista dag.",
      en: "The number of persons with disabilities receiving job coaching on the last day of the quarter.",
    },
    interpretation: {
      fi: `Lukumäärä, ei suhdeluku: vertaa alueita vain samankokoisiin. ${stockNote.fi}`,
      sv: `Ett antal, inte ett relativt tal: jämför bara områden av samma storlek. ${stockNote.sv}`,
      en: `A count, not a rate: compare only areas of similar size. ${stockNote.en}`,
    },
    limitations: groupsLimitation,
    source,
    numerator: { sum: ["tyohonvalmennus"], over: "stock" },
    denominator: null,
    unit: "count",
    decimals: 0,
    higherIsBetter: null,
  },
]);
