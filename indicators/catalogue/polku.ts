import type { Localised } from "../../core/lang.ts";
import {
  KYKYVIISARI_NIMET,
  KYKYVIISARI_OSA_ALUEET,
  muutosColumn,
  type POLKU_PALVELUT,
} from "../../pipelines/datasets/polku.ts";
import { defineIndicators, type IndicatorInput } from "../definition.ts";

// Client path follow-up (seed 003): Kykyviisari measured at the start, middle and end of a client's
// path in three services. Every column counts clients whose measurement (or feedback) fell in the
// quarter, so all are flows: a year is the sum of its quarters. The three services are summed and can
// be broken down.

const palveluLabels: Record<(typeof POLKU_PALVELUT)[number], Localised> = {
  kuntouttava_tyotoiminta: {
    fi: "Kuntouttava työtoiminta",
    sv: "Arbetsverksamhet i rehabiliteringssyfte",
    en: "Rehabilitative work activity",
  },
  tyohonvalmennus: { fi: "Työhönvalmennus", sv: "Arbetscoachning", en: "Job coaching" },
  tyotoiminta: { fi: "Työtoiminta", sv: "Arbetsverksamhet", en: "Work activity" },
};

const source = {
  fi: "Kuntien ja hyvinvointialueiden ilmoittamat asiakaspolun seurannan tiedot, Kykyviisari (Työterveyslaitos) (Seuranta, aineisto polku)",
  sv: "Uppgifter om uppföljningen av klientens väg enligt kommunerna och välfärdsområdena, Kykyviisari (Arbetshälsoinstitutet) (Seuranta, datamängden polku)",
  en: "Client path follow-up reported by municipalities and wellbeing services counties, Kykyviisari (Finnish Institute of Occupational Health) (Seuranta, dataset polku)",
};

const unbroken = {
  dataset: "polku",
  periods: ["quarter", "year", "rolling4q"],
  levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
  source,
} satisfies Partial<IndicatorInput>;

const common = {
  ...unbroken,
  breakdown: {
    by: "category",
    column: "palvelu",
    title: { fi: "Palvelu", sv: "Tjänst", en: "Service" },
    labels: palveluLabels,
  },
} satisfies Partial<IndicatorInput>;

const servicesNote = {
  fi: "Kokonaisluku lasketaan vain, kun kunta on ilmoittanut kaikki kolme palvelua (palvelu, jota ei ole, ilmoitetaan nollin); palvelukohtaiset luvut näkyvät erikseen.",
  sv: "Totalen räknas bara när kommunen har rapporterat alla tre tjänster (en tjänst som saknas rapporteras med nollor); tjänsterna visas också var för sig.",
  en: "The total is computed only when the municipality reported all three services (a service it does not have is reported as zeros); the services are also shown one by one.",
};

const selfAssessed = {
  fi: "Kykyviisari on asiakkaan oma arvio, ei mittaus ulkopuolisen silmin; mukana ovat vain ne, joilta on sekä alku- että loppumittaus, ja keskeyttäneiltä loppumittaus usein puuttuu, mikä voi kaunistaa tulosta.",
  sv: "Kykyviisari är klientens egen bedömning, inte en extern mätning; bara de som har både en start- och en slutmätning räknas, och för dem som avbryter saknas slutmätningen ofta, vilket kan försköna resultatet.",
  en: "Kykyviisari is the client's own assessment, not an external measurement; only clients with both a start and an end measurement count, and those who drop out often lack the end measurement, which can flatter the result.",
};

const domainIndicators = KYKYVIISARI_OSA_ALUEET.map((alue) => {
  const name = KYKYVIISARI_NIMET[alue];
  return {
    ...common,
    id: `polku-parani-${alue.replaceAll("_", "-")}`,
    title: {
      fi: `Kykyviisari: ${name.fi.toLowerCase()} parani, % alussa ja lopussa mitatuista`,
      sv: `Kykyviisari: ${name.sv.toLowerCase()} förbättrades, % av dem som mätts i början och slutet`,
      en: `Kykyviisari: ${name.en.toLowerCase()} improved, % of clients measured at start and end`,
    },
    description: {
      fi: `Asiakkaat, joiden oma arvio osa-alueesta ${name.fi.toLowerCase()} parani alkumittauksesta loppumittaukseen, suhteessa asiakkaisiin, joilta on molemmat mittaukset.`,
      sv: `Klienter vars egen bedömning av området ${name.sv.toLowerCase()} förbättrades från start- till slutmätningen, i förhållande till klienterna med båda mätningarna.`,
      en: `Clients whose own rating of ${name.en.toLowerCase()} improved from the start to the end measurement, relative to the clients with both measurements.`,
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä useampi koki osa-alueensa parantuneen palvelun aikana. Ennallaan pysyneet ja heikentyneet ovat loput (jos osa-alueen vastaus puuttuu, asiakas ei ole kummassakaan).",
      sv: "Ju större andel, desto fler upplevde att området förbättrades under tjänsten. Oförändrade och försämrade utgör resten (saknas svaret för området räknas klienten i ingendera).",
      en: "The higher the share, the more clients felt the domain improved during the service. Unchanged and declined are the rest (a client without an answer for the domain is in neither).",
    },
    limitations: {
      fi: `${selfAssessed.fi} Muutoksen raja sovitaan alueella. ${servicesNote.fi}`,
      sv: `${selfAssessed.sv} Gränsen för en förändring avtalas inom området. ${servicesNote.sv}`,
      en: `${selfAssessed.en} What counts as a change is agreed within the region. ${servicesNote.en}`,
    },
    numerator: { sum: [muutosColumn(alue, "parani")], over: "flow" },
    denominator: { sum: ["mitattu_molemmat"], over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  } satisfies IndicatorInput;
});

export default defineIndicators([
  ...domainIndicators,
  {
    ...common,
    id: "polku-tyossa-lopussa",
    title: {
      fi: "Työssä asiakaspolun lopussa, % loppumittauksen saaneista",
      sv: "I arbete i slutet av klientens väg, % av dem som fått en slutmätning",
      en: "Employed at the end of the client path, % of clients measured at the end",
    },
    description: {
      fi: "Loppumittauksen saaneista ne, jotka olivat palvelun päättyessä palkkatyössä.",
      sv: "Av dem som fått en slutmätning de som var i lönearbete när tjänsten upphörde.",
      en: "Of the clients measured at the end, those in paid work when the service ended.",
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä useampi siirtyi palvelusta työhön. Palveluiden tavoitteet eroavat: työhönvalmennuksen osuuden kuuluu olla suurempi kuin kuntouttavan työtoiminnan.",
      sv: "Ju större andel, desto fler gick från tjänsten till arbete. Tjänsternas mål skiljer sig: andelen för arbetscoachning bör vara större än för arbetsverksamhet i rehabiliteringssyfte.",
      en: "The higher the share, the more clients moved from the service into work. The services' aims differ: job coaching should show a higher share than rehabilitative work activity.",
    },
    limitations: {
      fi: `Tilanne palvelun lopussa, ei pysyvyys. Ilman loppumittausta päättyneet eivät ole mukana (ks. polku-kattavuus). ${servicesNote.fi}`,
      sv: `Läget när tjänsten upphör, inte varaktigheten. De som slutat utan slutmätning ingår inte (se polku-kattavuus). ${servicesNote.sv}`,
      en: `The situation at the end of the service, not whether the job lasted. Clients who ended without an end measurement are not included (see polku-kattavuus). ${servicesNote.en}`,
    },
    numerator: { sum: ["tyollistyi"], over: "flow" },
    denominator: { sum: ["mitattu_lopussa"], over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  },
  {
    ...common,
    id: "polku-palaute-myonteinen",
    title: {
      fi: "Myönteinen asiakaspalaute, % annetuista palautteista",
      sv: "Positiv klientrespons, % av given respons",
      en: "Positive client feedback, % of feedback given",
    },
    description: {
      fi: "Myönteisten palautteiden osuus kaikista asiakkaiden antamista palautteista.",
      sv: "Andelen positiv respons av all respons som klienterna gett.",
      en: "The share of positive feedback of all feedback the clients gave.",
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä tyytyväisempiä palautteen antaneet olivat palveluun.",
      sv: "Ju större andel, desto nöjdare var de som gav respons med tjänsten.",
      en: "The higher the share, the more satisfied with the service those who gave feedback were.",
    },
    limitations: {
      fi: `Palautteen antavat eivät edusta kaikkia asiakkaita, ja ”myönteisen” raja riippuu kyselystä. ${servicesNote.fi}`,
      sv: `De som ger respons representerar inte alla klienter, och gränsen för ”positiv” beror på enkäten. ${servicesNote.sv}`,
      en: `Those who give feedback do not represent all clients, and where "positive" begins depends on the questionnaire. ${servicesNote.en}`,
    },
    numerator: { sum: ["palaute_myonteinen"], over: "flow" },
    denominator: { sum: ["palaute_annettu"], over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  },
  {
    ...unbroken,
    id: "polku-kattavuus",
    title: {
      fi: "Kykyviisarin kattavuus kuntouttavassa työtoiminnassa, loppumittaukset % päättyneistä jaksoista",
      sv: "Kykyviisaris täckning inom arbetsverksamhet i rehabiliteringssyfte, slutmätningar i % av avslutade perioder",
      en: "Kykyviisari coverage in rehabilitative work activity, end measurements as % of ended periods",
    },
    description: {
      fi: "Kuntouttavan työtoiminnan asiakkaat, joilta saatiin loppumittaus (aineisto polku), suhteessa neljänneksen aikana päättyneisiin kuntouttavan työtoiminnan jaksoihin (aineisto kuntouttava).",
      sv: "Klienter i arbetsverksamhet i rehabiliteringssyfte med en slutmätning (datamängden polku) i förhållande till perioderna av arbetsverksamhet i rehabiliteringssyfte som avslutades under kvartalet (datamängden kuntouttava).",
      en: "Clients of rehabilitative work activity measured at the end (dataset polku) relative to the periods of rehabilitative work activity that ended in the quarter (dataset kuntouttava).",
    },
    interpretation: {
      fi: "Mitä lähempänä 100 %, sitä useampi päättynyt jakso sai loppumittauksen, ja sitä paremmin muut polku-luvut kuvaavat kaikkia asiakkaita.",
      sv: "Ju närmare 100 %, desto fler avslutade perioder fick en slutmätning och desto bättre beskriver de övriga polku-talen alla klienter.",
      en: "The closer to 100 %, the more ended periods got an end measurement, and the better the other polku figures describe all clients.",
    },
    limitations: {
      fi: "Osoittaja ja nimittäjä tulevat eri aineistoista: luku lasketaan vain neljänneksille, jotka kunta on ilmoittanut molempiin. Asiakas voi päättää useita jaksoja ja loppumittaus voi osua eri neljännekselle kuin jakson päättyminen, joten osuus voi ylittää 100 %. Vain kuntouttava työtoiminta; työhönvalmennuksen ja työtoiminnan päättyneitä jaksoja ei kerätä.",
      sv: "Täljaren och nämnaren kommer från olika datamängder: talet räknas bara för kvartal som kommunen har rapporterat till båda. En klient kan avsluta flera perioder och slutmätningen kan falla på ett annat kvartal än periodens slut, så andelen kan överstiga 100 %. Bara arbetsverksamhet i rehabiliteringssyfte; avslutade perioder av arbetscoachning och arbetsverksamhet samlas inte in.",
      en: "The numerator and denominator come from different datasets: the figure is computed only for quarters the municipality reported to both. A client may end several periods and the end measurement may fall in another quarter than the period's end, so the share can exceed 100 %. Rehabilitative work activity only; ended periods of job coaching and work activity are not collected.",
    },
    numerator: { sum: ["mitattu_lopussa"], where: { palvelu: ["kuntouttava_tyotoiminta"] }, over: "flow" },
    denominator: { dataset: "kuntouttava", sum: ["paattyneet"], over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  },
]);
