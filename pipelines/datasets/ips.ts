import { z } from "zod";
import type { Localised } from "../../core/lang.ts";
import { defineDataset } from "./dataset.ts";
import { categoryField, countField, dateField, kuntaField, scoreField, textField } from "./fields.ts";

/** The three sections of the IPS-25 fidelity scale. */
export type IpsSection = "henkilosto" | "organisaatio" | "palvelut";

export const IPS_SECTIONS: Record<IpsSection, Localised> = {
  henkilosto: { fi: "Henkilöstö", sv: "Personal", en: "Staffing" },
  organisaatio: { fi: "Organisaatio", sv: "Organisation", en: "Organisation" },
  palvelut: { fi: "Palvelut", sv: "Tjänster", en: "Services" },
};

/**
 * The 25 items of the IPS fidelity scale (IPS-25, the Supported Employment Fidelity Scale; Bond,
 * Peterson, Becker & Drake 2012, Psychiatric Services 63(8)), in the scale's order, which the Finnish
 * laatukriteerit (THL, IPS – Sijoita ja valmenna!) follow. Only short names are kept here, our own
 * wording; the anchors of each score belong to the scale's manual and are not reproduced.
 */
export const IPS_ITEMS: readonly { id: string; section: IpsSection; name: Localised }[] = [
  ["henkilosto", "Asiakasmäärä työhönvalmentajaa kohden", "Antal deltagare per coach", "Caseload size"],
  [
    "henkilosto",
    "Työhönvalmentajat tekevät vain työhönvalmennusta",
    "Coacherna arbetar bara med arbetsinriktat stöd",
    "Employment services staff",
  ],
  [
    "henkilosto",
    "Työhönvalmentaja hoitaa kaikki vaiheet",
    "Coachen sköter alla faser",
    "Vocational generalists",
  ],
  [
    "organisaatio",
    "Kuuluminen hoitotiimiin",
    "Tillhörighet i behandlingsteamet",
    "Integration through team assignment",
  ],
  [
    "organisaatio",
    "Tiivis yhteys hoitotiimiin",
    "Täta kontakter med behandlingsteamet",
    "Integration through frequent team contact",
  ],
  [
    "organisaatio",
    "Yhteistyö työllisyyspalvelujen kanssa",
    "Samarbete med arbetskraftsservicen",
    "Collaboration with vocational rehabilitation",
  ],
  ["organisaatio", "Työhönvalmennusyksikkö", "Enhet för arbetsinriktat stöd", "Vocational unit"],
  ["organisaatio", "Esihenkilön rooli", "Arbetsledarens roll", "Role of the employment supervisor"],
  ["organisaatio", "Ei poissulkukriteerejä", "Inga uteslutningskriterier", "Zero exclusion criteria"],
  [
    "organisaatio",
    "Painopiste avoimen työmarkkinan työssä",
    "Fokus på arbete på öppna arbetsmarknaden",
    "Agency focus on competitive employment",
  ],
  ["organisaatio", "Johdon tuki", "Ledningens stöd", "Executive team support"],
  ["palvelut", "Etuusneuvonta", "Förmånsrådgivning", "Work incentives planning"],
  ["palvelut", "Terveystiedoista kertominen", "Att berätta om sin hälsa", "Disclosure"],
  [
    "palvelut",
    "Jatkuva työssä tehtävä arviointi",
    "Fortlöpande arbetsbaserad bedömning",
    "Ongoing work-based assessment",
  ],
  ["palvelut", "Nopea työnhaku", "Snabbt jobbsökande", "Rapid search for a competitive job"],
  ["palvelut", "Yksilöllinen työnhaku", "Individuellt jobbsökande", "Individualised job search"],
  [
    "palvelut",
    "Työnantajakontaktien tiheys",
    "Täta arbetsgivarkontakter",
    "Job development: frequent employer contact",
  ],
  [
    "palvelut",
    "Työnantajakontaktien laatu",
    "Arbetsgivarkontakternas kvalitet",
    "Job development: quality of employer contact",
  ],
  ["palvelut", "Monenlaiset työtehtävät", "Olika slags arbetsuppgifter", "Diversity of job types"],
  ["palvelut", "Monenlaiset työnantajat", "Olika slags arbetsgivare", "Diversity of employers"],
  ["palvelut", "Työpaikat avoimilla työmarkkinoilla", "Arbete på öppna arbetsmarknaden", "Competitive jobs"],
  [
    "palvelut",
    "Yksilöllinen tuki työssä",
    "Individuellt stöd i arbetet",
    "Individualised follow-along supports",
  ],
  ["palvelut", "Ajallisesti rajaamaton tuki", "Tidsobegränsat stöd", "Time-unlimited follow-along supports"],
  ["palvelut", "Palvelu annetaan yhteisössä", "Stödet ges ute i samhället", "Community-based services"],
  ["palvelut", "Aktiivinen tavoittaminen", "Aktivt uppsökande", "Assertive engagement and outreach"],
].map(([section, fi, sv, en], i) => ({
  id: `k${String(i + 1).padStart(2, "0")}`,
  section: section as IpsSection,
  name: { fi: fi as string, sv: sv as string, en: en as string },
}));

/** The column of each item: k01 … k25. */
export type IpsItem = `k${string}`;

/** The most clients one full-time employment specialist should carry (item 1 of the scale). */
export const IPS_CASELOAD_MAX = 20;

const itemColumns = Object.fromEntries(
  IPS_ITEMS.map((item, i) => [
    item.id,
    scoreField(`Kriteeri ${i + 1}: ${item.name.fi} (pisteet 1–5)`, [1, 5]),
  ]),
) as Record<IpsItem, ReturnType<typeof scoreField>>;

export const ips = defineDataset({
  name: "ips",
  title: {
    fi: "Tuetun työllistymisen (IPS) laatuarvioinnit",
    sv: "Kvalitetsbedömningar av individanpassat stöd till arbete (IPS)",
    en: "Fidelity reviews of supported employment (IPS)",
  },
  row: z.object({
    yksikko: textField(
      "Yksikön tunnus, jonka hyvinvointialue valitsee (sama tunnus joka arvioinnissa), esim. KS-IPS-1",
      40,
      ["yksikon_tunnus", "tunnus"],
    ),
    yksikon_nimi: textField("Yksikön nimi, esim. Työvalmennuspalvelu Kätevä", 100, ["nimi"]),
    kunta: kuntaField("Kunta, jossa yksikkö toimii (kuntanumero, 3 numeroa), esim. 179"),
    arviointipaiva: dateField("Arvioinnin päivämäärä, esim. 2025-03-14", ["paivamaara", "pvm"]),
    arviointi: categoryField(
      ["ulkoinen", "itsearviointi"],
      "ulkoinen = ulkopuolinen arvioija, itsearviointi = yksikkö itse",
    ),
    ...itemColumns,
    tyohonvalmentajat: countField("Työhönvalmentajien määrä arviointihetkellä (henkilöä)", ["valmentajat"]),
    asiakkaat: countField("Asiakkaiden määrä arviointihetkellä (kaikkien työhönvalmentajien yhteensä)", [
      "asiakasmaara",
    ]),
  }),
  rowKey: ["yksikko", "arviointipaiva"],
  replaceKey: ["yksikko", "arviointipaiva"],
  rowChecks: [],
  example: [
    {
      yksikko: "VS-IPS-1",
      yksikon_nimi: "Naantalin työhönvalmennus",
      kunta: "529",
      arviointipaiva: "2024-03-14",
      arviointi: "ulkoinen",
      ...Object.fromEntries(IPS_ITEMS.map((item, i) => [item.id, String([3, 4, 3, 4][i % 4])])),
      tyohonvalmentajat: "3",
      asiakkaat: "58",
    } as Record<string, string>,
  ],
});
