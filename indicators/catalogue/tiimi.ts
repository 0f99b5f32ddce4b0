import { defineIndicators, type IndicatorInput } from "../definition.ts";

// Work-ability support teams (työkyvyn tuen tiimi): referrals into the team by source (`tulo`) and
// onward by destination (`lahto`). Flows: a year is the sum of its quarters.

const source = {
  fi: "Hyvinvointialueiden ilmoittamat työkyvyn tuen tiimien ohjautumiset (Seuranta, aineisto tiimi)",
  sv: "Hänvisningar till och från teamen för arbetsförmågestöd enligt välfärdsområdena (Seuranta, datamängden tiimi)",
  en: "Referrals into and out of work-ability support teams reported by the wellbeing services counties (Seuranta, dataset tiimi)",
};

const common = {
  dataset: "tiimi",
  periods: ["quarter", "year", "rolling4q"],
  levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
} satisfies Partial<IndicatorInput>;

const reportedNote = {
  fi: "Ohjautumissuunta (tulo tai lähtö) on ilmoitettu tai ei: ilmoitetun suunnan luokat, joita tiedostossa ei ole, ovat nollia.",
  sv: "En riktning (in eller ut) är antingen rapporterad eller inte: kategorier som saknas i en rapporterad riktning är noll.",
  en: "A direction (in or onward) is either reported or not: categories missing from a reported direction are zero.",
};

export default defineIndicators([
  {
    ...common,
    id: "tt-ohjautuneet-per-1000",
    title: {
      fi: "Työkyvyn tuen tiimiin ohjautuneet / 1 000 asukasta",
      sv: "Hänvisade till teamet för arbetsförmågestöd / 1 000 invånare",
      en: "Referrals into work-ability support teams per 1 000 inhabitants",
    },
    description: {
      fi: "Tiimiin ohjautuneet asiakkaat kaikista lähteistä tuhatta asukasta kohden.",
      sv: "Klienter som hänvisats till teamet från alla källor per tusen invånare.",
      en: "Clients referred into the team from all sources per thousand inhabitants.",
    },
    interpretation: {
      fi: "Kuvaa, kuinka hyvin palvelu tavoittaa väestön. Väestö on vuoden lopun väestö; puuttuvan vuoden sijaan käytetään edellistä saatavilla olevaa.",
      sv: "Visar hur väl tjänsten når befolkningen. Befolkningen är den vid årets slut; saknas året används det senaste tidigare.",
      en: "Shows how well the service reaches the population. Population is at the end of the year; for a missing year the latest earlier one is used.",
    },
    limitations: {
      fi: `Suhteutettu koko väestöön, ei työikäisiin. Sama asiakas voi ohjautua useasti. ${reportedNote.fi}`,
      sv: `Relaterat till hela befolkningen, inte till personer i arbetsför ålder. Samma klient kan hänvisas flera gånger. ${reportedNote.sv}`,
      en: `Relative to the whole population, not the working-age population. The same client may be referred more than once. ${reportedNote.en}`,
    },
    source: {
      fi: `${source.fi}; väestö: Tilastokeskus, THL Sotkanet`,
      sv: `${source.sv}; befolkning: Statistikcentralen, THL Sotkanet`,
      en: `${source.en}; population: Statistics Finland, THL Sotkanet`,
    },
    numerator: { sum: ["lukumaara"], where: { suunta: ["tulo"] }, over: "flow" },
    denominator: { population: "all" },
    unit: "per1000",
    decimals: 1,
    higherIsBetter: null,
  },
  {
    ...common,
    id: "tt-terveydenhuollosta",
    title: {
      fi: "Terveydenhuollosta työkyvyn tuen tiimiin ohjautuneet, % ohjautuneista",
      sv: "Hänvisade till teamet för arbetsförmågestöd från hälso- och sjukvården, % av de hänvisade",
      en: "Referrals into work-ability support teams from health care, % of referrals",
    },
    description: {
      fi: "Työterveyshuollosta, erikoissairaanhoidosta, perusterveydenhuollosta tai päivystyksestä ohjautuneiden osuus kaikista tiimiin ohjautuneista.",
      sv: "Andelen hänvisade från företagshälsovården, den specialiserade sjukvården, primärvården eller jouren av alla som hänvisats till teamet.",
      en: "The share referred by occupational health care, specialised care, primary care or emergency care of all referrals into the team.",
    },
    interpretation: {
      fi: "Kertoo, tunnistetaanko työkyvyn tuen tarve terveydenhuollossa. Ei hyvä eikä huono sellaisenaan: muut lähteet (työllisyyspalvelut, sosiaalihuolto) ovat yhtä tärkeitä.",
      sv: "Visar om behovet av arbetsförmågestöd upptäcks inom hälso- och sjukvården. Varken bra eller dåligt i sig: andra källor (sysselsättningstjänster, socialvården) är lika viktiga.",
      en: "Shows whether the need for work-ability support is recognised in health care. Neither good nor bad in itself: other sources (employment services, social welfare) matter as much.",
    },
    limitations: {
      fi: `Lähteet kirjataan tiimissä; sama asiakas voi tulla usealta taholta, mutta vain yksi kirjataan. ${reportedNote.fi}`,
      sv: `Källan registreras i teamet; en klient kan komma från flera håll men bara ett registreras. ${reportedNote.sv}`,
      en: `Sources are recorded by the team; a client may come from several places but only one is recorded. ${reportedNote.en}`,
    },
    source,
    numerator: {
      sum: ["lukumaara"],
      where: {
        suunta: ["tulo"],
        luokka: ["tyoterveyshuolto", "erikoissairaanhoito", "perusterveydenhuolto", "paivystys"],
      },
      over: "flow",
    },
    denominator: { sum: ["lukumaara"], where: { suunta: ["tulo"] }, over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: null,
  },
  {
    ...common,
    id: "tt-tyohon-kuntoutukseen",
    title: {
      fi: "Työkyvyn tuen tiimistä työhön, työkokeiluun, työhönvalmennukseen tai ammatilliseen kuntoutukseen, % jatko-ohjauksista",
      sv: "Från teamet för arbetsförmågestöd till arbete, arbetsprövning, arbetscoachning eller yrkesinriktad rehabilitering, % av hänvisningarna vidare",
      en: "Onward referrals from work-ability support teams to work, work trial, job coaching or vocational rehabilitation, % of onward referrals",
    },
    description: {
      fi: "Jatko-ohjauksista ne, jotka johtivat työhön, työkokeiluun, työhönvalmennukseen tai ammatilliseen kuntoutukseen. Jakajana ovat kaikki jatko-ohjaukset (myös muu ja ei tietoa).",
      sv: "Av hänvisningarna vidare de som ledde till arbete, arbetsprövning, arbetscoachning eller yrkesinriktad rehabilitering. Nämnaren är alla hänvisningar vidare (även annat och uppgift saknas).",
      en: "Of the onward referrals, those to work, a work trial, job coaching or vocational rehabilitation. The denominator is all onward referrals (other and unknown included).",
    },
    interpretation: {
      fi: "Mitä suurempi osuus, sitä useampi asiakas ohjautui kohti työtä.",
      sv: "Ju större andel, desto fler klienter styrdes mot arbete.",
      en: "The higher the share, the more clients were directed towards work.",
    },
    limitations: {
      fi: `Kertoo ohjauksesta, ei siitä, alkoiko palvelu tai työ. ${reportedNote.fi}`,
      sv: `Visar hänvisningen, inte om tjänsten eller arbetet började. ${reportedNote.sv}`,
      en: `Shows the referral, not whether the service or work started. ${reportedNote.en}`,
    },
    source,
    numerator: {
      sum: ["lukumaara"],
      where: {
        suunta: ["lahto"],
        luokka: ["tyo", "tyokokeilu", "tyohonvalmennus", "ammatillinen_kuntoutus"],
      },
      over: "flow",
    },
    denominator: { sum: ["lukumaara"], where: { suunta: ["lahto"] }, over: "flow" },
    unit: "percent",
    decimals: 1,
    higherIsBetter: true,
  },
]);
