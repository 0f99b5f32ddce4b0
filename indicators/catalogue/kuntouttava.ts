import { KUNTOUTTAVA_OUTCOMES } from "../../pipelines/datasets/kuntouttava.ts";
import { defineIndicators, type IndicatorInput } from "../definition.ts";

// Kuntouttava työtoiminta: outcomes of ended periods (the categories of Lieto's 2020 follow-up, seed 002)
// and the number of clients. The shares all divide by `paattyneet` (DESIGN.md, "Computing").

const source = {
  fi: "Kuntien ilmoittamat kuntouttavan työtoiminnan jaksot ja päättymissyyt (Seuranta, aineisto kuntouttava)",
  sv: "Perioder och avslutningsorsaker inom arbetsverksamhet i rehabiliteringssyfte enligt kommunerna (Seuranta, datamängden kuntouttava)",
  en: "Periods and outcomes of rehabilitative work activity reported by the municipalities (Seuranta, dataset kuntouttava)",
};

const common = {
  dataset: "kuntouttava",
  denominator: { sum: ["paattyneet"], over: "flow" },
  unit: "percent",
  decimals: 1,
  periods: ["quarter", "year", "rolling4q"],
  levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
  source,
} satisfies Partial<IndicatorInput>;

const outcomeLimitations = {
  fi:
    "Päättymissyy kirjataan jakson päättyessä, eikä sitä seurata myöhemmin: työhön päättynyt jakso ei kerro, " +
    "kestikö työ. Kunnat voivat kirjata luokkia eri tavoin. Pienissä kunnissa yksi asiakas muuttaa osuutta " +
    "paljon; alle viiden jakson luvut on peitetty.",
  sv:
    "Avslutningsorsaken registreras när perioden slutar och följs inte upp senare: en period som slutade i " +
    "arbete säger inte om arbetet varade. Kommunerna kan registrera kategorierna olika. I små kommuner ändrar " +
    "en klient andelen mycket; tal under fem perioder är dolda.",
  en:
    "The outcome is recorded when the period ends and is not followed up: a period ending in work does not " +
    "say whether the job lasted. Municipalities may record the categories differently. In small municipalities " +
    "one client moves the share a lot; figures under five periods are hidden.",
};

export default defineIndicators([
  {
    ...common,
    id: "kt-tyohon-opiskeluun",
    title: {
      fi: "Kuntouttavasta työtoiminnasta työhön tai opiskelemaan, % päättyneistä jaksoista",
      sv: "Från arbetsverksamhet i rehabiliteringssyfte till arbete eller studier, % av avslutade perioder",
      en: "Rehabilitative work activity ending in work or studies, % of ended periods",
    },
    description: {
      fi: "Päättyneistä kuntouttavan työtoiminnan jaksoista ne, jotka päättyivät työhön avoimille työmarkkinoille, palkkatuettuun työhön tai opiskelemaan.",
      sv: "Av de avslutade perioderna av arbetsverksamhet i rehabiliteringssyfte de som slutade i arbete på den öppna arbetsmarknaden, lönesubventionerat arbete eller studier.",
      en: "Of the ended periods of rehabilitative work activity, those that ended in work on the open labour market, pay-subsidised work or studies.",
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä useampi jakso johti työhön tai koulutukseen. Vuoden luku lasketaan neljännesten summista.",
      sv: "Ju större andel, desto fler perioder ledde till arbete eller utbildning. Årets tal räknas ur kvartalens summor.",
      en: "The higher the share, the more periods led to work or education. The year's figure is computed from the quarters' sums.",
    },
    limitations: outcomeLimitations,
    numerator: { sum: ["tyo", "palkkatuettu_tyo", "opiskelu"], over: "flow" },
    higherIsBetter: true,
  },
  {
    ...common,
    id: "kt-tyohon",
    title: {
      fi: "Kuntouttavasta työtoiminnasta työhön, % päättyneistä jaksoista",
      sv: "Från arbetsverksamhet i rehabiliteringssyfte till arbete, % av avslutade perioder",
      en: "Rehabilitative work activity ending in work, % of ended periods",
    },
    description: {
      fi: "Päättyneistä jaksoista ne, jotka päättyivät työhön avoimille työmarkkinoille tai palkkatuettuun työhön.",
      sv: "Av de avslutade perioderna de som slutade i arbete på den öppna arbetsmarknaden eller i lönesubventionerat arbete.",
      en: "Of the ended periods, those that ended in work on the open labour market or in pay-subsidised work.",
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä useampi jakso johti työhön. Palkkatuettu työ on mukana.",
      sv: "Ju större andel, desto fler perioder ledde till arbete. Lönesubventionerat arbete ingår.",
      en: "The higher the share, the more periods led to work. Pay-subsidised work is included.",
    },
    limitations: outcomeLimitations,
    numerator: { sum: ["tyo", "palkkatuettu_tyo"], over: "flow" },
    higherIsBetter: true,
  },
  {
    ...common,
    id: "kt-jatkaa",
    title: {
      fi: "Kuntouttava työtoiminta jatkuu uutena jaksona, % päättyneistä jaksoista",
      sv: "Arbetsverksamheten i rehabiliteringssyfte fortsätter med en ny period, % av avslutade perioder",
      en: "Rehabilitative work activity continuing in a new period, % of ended periods",
    },
    description: {
      fi: "Päättyneistä jaksoista ne, joiden jälkeen asiakas jatkoi kuntouttavassa työtoiminnassa uudella jaksolla.",
      sv: "Av de avslutade perioderna de efter vilka klienten fortsatte i arbetsverksamhet i rehabiliteringssyfte med en ny period.",
      en: "Of the ended periods, those after which the client continued in rehabilitative work activity in a new period.",
    },
    interpretation: {
      fi: "Suuri osuus kertoo kiertämisestä palvelussa ilman etenemistä, josta arvioinnit varoittavat. Jatkaminen voi silti olla asiakkaalle oikea ratkaisu.",
      sv: "En stor andel tyder på att klienter cirkulerar i tjänsten utan att gå vidare, vilket utvärderingarna varnar för. Att fortsätta kan ändå vara rätt för klienten.",
      en: "A large share points to clients circling in the service without moving on, which the evaluations warn about. Continuing may still be right for the client.",
    },
    limitations: outcomeLimitations,
    numerator: { sum: ["jatkaa"], over: "flow" },
    higherIsBetter: false,
  },
  {
    ...common,
    id: "kt-ei-tietoa",
    title: {
      fi: "Kuntouttavan työtoiminnan päättymissyy ei tiedossa, % päättyneistä jaksoista",
      sv: "Avslutningsorsaken för arbetsverksamhet i rehabiliteringssyfte okänd, % av avslutade perioder",
      en: "Rehabilitative work activity with unknown outcome, % of ended periods",
    },
    description: {
      fi: "Päättyneistä jaksoista ne, joiden päättymissyytä ei tiedetä.",
      sv: "Av de avslutade perioderna de vars avslutningsorsak inte är känd.",
      en: "Of the ended periods, those whose outcome is not known.",
    },
    interpretation: {
      fi: "Tiedon laadun mittari: mitä pienempi osuus, sitä paremmin muut päättymissyyt kuvaavat todellisuutta.",
      sv: "Ett mått på datakvaliteten: ju mindre andel, desto bättre beskriver de övriga orsakerna verkligheten.",
      en: "A data-quality measure: the smaller the share, the better the other outcomes describe what happened.",
    },
    limitations: outcomeLimitations,
    numerator: { sum: ["ei_tietoa"], over: "flow" },
    higherIsBetter: false,
  },
  {
    ...common,
    id: "kt-paattymissyyt",
    title: {
      fi: "Kuntouttavan työtoiminnan jaksot päättymissyyn mukaan, % päättyneistä jaksoista",
      sv: "Perioder av arbetsverksamhet i rehabiliteringssyfte efter avslutningsorsak, % av avslutade perioder",
      en: "Rehabilitative work activity periods by outcome, % of ended periods",
    },
    description: {
      fi: "Päättyneiden jaksojen jakauma päättymissyyn mukaan (Liedon vuoden 2020 seurannan luokat).",
      sv: "Fördelningen av avslutade perioder efter avslutningsorsak (kategorierna i Lundos uppföljning 2020).",
      en: "The distribution of ended periods by outcome (the categories of Lieto's 2020 follow-up).",
    },
    interpretation: {
      fi: "Osuudet ovat yhteensä 100 %. Vertaa jakaumaa kuntien välillä ja ajassa; yksittäisistä luvuista ks. muut kt-indikaattorit.",
      sv: "Andelarna är sammanlagt 100 %. Jämför fördelningen mellan kommuner och över tid; för enskilda tal se de övriga kt-indikatorerna.",
      en: "The shares add up to 100 %. Compare the distribution between municipalities and over time; for single figures see the other kt indicators.",
    },
    limitations: outcomeLimitations,
    numerator: { sum: [...KUNTOUTTAVA_OUTCOMES], over: "flow" },
    higherIsBetter: null,
    breakdown: {
      by: "numerator_columns",
      title: { fi: "Päättymissyy", sv: "Avslutningsorsak", en: "Outcome" },
      labels: {
        tyo: { fi: "Töihin", sv: "Till arbete", en: "To work" },
        palkkatuettu_tyo: {
          fi: "Palkkatuettuun työhön",
          sv: "Till lönesubventionerat arbete",
          en: "To pay-subsidised work",
        },
        opiskelu: { fi: "Opiskelu", sv: "Studier", en: "Studies" },
        te_palvelut: {
          fi: "TE-toimiston työllistäminen / työllisyyspalvelut",
          sv: "Sysselsättningstjänster",
          en: "Employment services",
        },
        tyoton: { fi: "Työtön", sv: "Arbetslös", en: "Unemployed" },
        jatkaa: { fi: "Jatkoi", sv: "Fortsatte", en: "Continued" },
        sote_palvelut: {
          fi: "Siirtyi sote-palveluihin",
          sv: "Till social- och hälsovårdstjänster",
          en: "To social or health services",
        },
        muu_toimeentulo: {
          fi: "Siirtyi muulle toimeentulolle",
          sv: "Till annan försörjning",
          en: "To other income",
        },
        muutto: { fi: "Muuttanut", sv: "Flyttat", en: "Moved away" },
        ei_tietoa: { fi: "Ei tietoa", sv: "Uppgift saknas", en: "Unknown" },
      },
    },
  },
  {
    id: "kt-asiakkaat-per-1000",
    title: {
      fi: "Kuntouttavan työtoiminnan asiakkaat / 1 000 asukasta (pidemmät jaksot: neljännesten keskiarvo)",
      sv: "Klienter i arbetsverksamhet i rehabiliteringssyfte / 1 000 invånare (längre perioder: kvartalens medeltal)",
      en: "Clients in rehabilitative work activity per 1 000 inhabitants (longer periods: mean of the quarters)",
    },
    description: {
      fi: "Neljänneksen aikana kuntouttavassa työtoiminnassa olleet asiakkaat tuhatta asukasta kohden. Vuodelle ja neljän neljänneksen jaksolle lasketaan ilmoitettujen neljännesten keskiarvo.",
      sv: "Klienter i arbetsverksamhet i rehabiliteringssyfte under kvartalet per tusen invånare. För året och fyra kvartal räknas medeltalet av de rapporterade kvartalen.",
      en: "Clients in rehabilitative work activity during the quarter per thousand inhabitants. For a year or four quarters, the mean of the quarters reported.",
    },
    interpretation: {
      fi: "Kuvaa palvelun laajuutta väestöön suhteutettuna; ei hyvä eikä huono sellaisenaan. Väestö on vuoden lopun väestö (kaikki ikäryhmät); puuttuvan vuoden sijaan käytetään edellistä saatavilla olevaa.",
      sv: "Beskriver tjänstens omfattning i förhållande till befolkningen; varken bra eller dåligt i sig. Befolkningen är den vid årets slut (alla åldrar); saknas året används det senaste tidigare.",
      en: "Shows the volume of the service relative to the population; neither good nor bad in itself. Population is at the end of the year (all ages); for a missing year the latest earlier one is used.",
    },
    limitations: {
      fi: "Suhteutettu koko väestöön, ei työikäisiin, kunnes ikäryhmittäinen väestö on ladattu. Sama asiakas voi olla mukana useana neljänneksenä.",
      sv: "Relaterat till hela befolkningen, inte till personer i arbetsför ålder, tills befolkningen efter ålder har laddats. Samma klient kan räknas flera kvartal.",
      en: "Relative to the whole population, not the working-age population, until population by age is loaded. The same client may be counted in several quarters.",
    },
    source: {
      fi: `${source.fi}; väestö: Tilastokeskus, THL Sotkanet`,
      sv: `${source.sv}; befolkning: Statistikcentralen, THL Sotkanet`,
      en: `${source.en}; population: Statistics Finland, THL Sotkanet`,
    },
    dataset: "kuntouttava",
    numerator: { sum: ["asiakkaat"], over: "mean" },
    denominator: { population: "all" },
    unit: "per1000",
    decimals: 1,
    higherIsBetter: null,
    periods: ["quarter", "year", "rolling4q"],
    levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
  },
]);
