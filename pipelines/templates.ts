import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../core/config.ts";
import { writeFileAtomic } from "./archive.ts";
import { type ColumnInfo, columnsOf, type DatasetDefinition } from "./datasets/dataset.ts";
import { DATASETS } from "./datasets/index.ts";
import { IPS_ITEMS } from "./datasets/ips.ts";
import { KUNTOUTTAVA_OUTCOMES } from "./datasets/kuntouttava.ts";
import { KYKYVIISARI_OSA_ALUEET } from "./datasets/polku.ts";
import { csvText, EXCEL_CSV_UTF8, encodeCsv } from "./demo/csv.ts";

/**
 * The CSV templates of `data/templates/`, generated from the dataset definitions so the headers,
 * the examples and the column descriptions have one source. Regenerate with
 * `node --import tsx pipelines/templates.ts`; a test checks that the committed files are current.
 */

export interface TemplateFile {
  /** File name inside the templates folder. */
  name: string;
  content: Uint8Array;
}

/** What the analyst may write in a column, in Finnish. */
function accepted(dataset: DatasetDefinition, column: ColumnInfo): string {
  switch (column.kind) {
    case "kunta":
      return "kolminumeroinen kuntanumero, esim. `091`; myös kunnan tarkka suomen- tai ruotsinkielinen nimi (varoituksen kera)";
    case "quarter":
      return "`2024Q1`; myös `2024-Q1`, `2024 Q1`, `2024/1`, `Q1/2024`";
    case "count":
      return "kokonaisluku ≥ 0; tyhjä = ei ilmoitettu";
    case "date":
      return "`2025-03-14` tai `14.3.2025`; ei tulevaa päivää";
    case "score":
      return `kokonaisluku ${column.range?.[0] ?? 1}–${column.range?.[1] ?? 5}; pakollinen`;
    case "text":
      return `teksti, enintään ${column.maxLength ?? 100} merkkiä; pakollinen`;
    case "category": {
      const zeros = dataset.impliedZeros;
      if (zeros && zeros.category === column.name) {
        return Object.entries(zeros.values)
          .map(
            ([group, values]) =>
              `${zeros.groupedBy} = \`${group}\`: ${values.map((v) => `\`${v}\``).join(", ")}`,
          )
          .join("<br>");
      }
      return (column.values ?? []).map((v) => `\`${v}\``).join(", ");
    }
  }
}

/** Rules of a dataset that are not about one column (the column texts come from the zod schema). */
const DATASET_NOTES: Record<string, string[]> = {
  kuntouttava: [
    "Yksi rivi kuntaa ja vuosineljännestä kohden. Luvut ovat neljänneksen aikana tapahtuneita, paitsi `asiakkaat`.",
    `Päättymissyyt (${KUNTOUTTAVA_OUTCOMES.map((o) => `\`${o}\``).join(", ")}) ilmoitetaan kaikki tai ei yhtään: merkitse 0, jos jaksoja ei ollut. Kun ne on ilmoitettu, \`paattyneet\` on niiden summa.`,
    "Päättymissyyt noudattavat Liedon vuoden 2020 seurannan luokitusta.",
  ],
  vammaispalvelut: [
    "Yksi rivi kuntaa, vuosineljännestä ja kohderyhmää kohden. Luvut ovat henkilömääriä neljänneksen viimeisenä päivänä.",
  ],
  polku: [
    "Yksi rivi kuntaa, vuosineljännestä ja palvelua kohden (`kuntouttava_tyotoiminta`, `tyohonvalmennus`, `tyotoiminta`). Luvut ovat asiakkaiden lukumääriä, ei henkilötietoja.",
    "Mittaukset (`mitattu_alussa`, `mitattu_valissa`, `mitattu_lopussa`) ovat neljänneksen aikana tehtyjä Kykyviisari-mittauksia. `mitattu_molemmat` ovat loppumittauksen saaneista ne, joilla on myös alkumittaus.",
    `Kykyviisarin viisi osa-aluetta (${KYKYVIISARI_OSA_ALUEET.map((a) => `\`${a}\``).join(", ")}): kullekin \`_parani\`, \`_ennallaan\` ja \`_heikkeni\` alussa ja lopussa mitatuista. Niiden summa saa olla enintään \`mitattu_molemmat\` (asiakkaalta voi puuttua jonkin osa-alueen vastaus). Muutoksen raja (esim. vähintään yksi asteikon porras) sovitaan alueella yhdenmukaiseksi.`,
    "`tyollistyi` on loppumittauksen saaneista lopussa palkkatyössä olevat (enintään `mitattu_lopussa`); `palaute_myonteinen` enintään `palaute_annettu`.",
  ],
  ips: [
    "Yksi rivi yksikön arviointia kohden: yksikön tunnus (sama joka arvioinnissa), nimi, kunta, jossa se toimii, arvioinnin päivämäärä, arvioinnin tyyppi, IPS-laatukriteerien 25 kriteerin pisteet (kukin kokonaisluku 1–5, kaikki pakollisia), työhönvalmentajien ja asiakkaiden määrä.",
    `Kriteerit sarakkeissa \`k01\`–\`k25\` laatukriteeristön järjestyksessä: ${IPS_ITEMS.map((item, i) => `${i + 1} ${item.name.fi}`).join("; ")}.`,
    "Uusi rivi samalle yksikölle ja päivämäärälle korvaa aiemman; eri päivämäärä on uusi arviointi. Pisteet julkaistaan yksiköittäin sellaisinaan (yksikkö ei ole henkilö), asiakasmäärä vain tietosuojakäsiteltynä.",
  ],
  tiimi: [
    "Pitkä muoto: yksi rivi kuntaa, vuosineljännestä, suuntaa ja luokkaa kohden.",
    "Kun suunnalle on ilmoitettu rivejä, luokat, joita ei ole lueteltu, tallentuvat nollina. Suunta, jolle ei ole yhtään riviä, on ”ei ilmoitettu”.",
  ],
};

const keyText = (columns: readonly string[]) => columns.map((c) => `\`${c}\``).join(", ");

function datasetSection(dataset: DatasetDefinition): string {
  const columns = columnsOf(dataset);
  const lines = [
    `## \`${dataset.name}\` — ${dataset.title.fi}`,
    "",
    `Pohja: \`${dataset.name}.csv\`, esimerkki: \`${dataset.name}_esimerkki.csv\`.`,
    "",
    ...(DATASET_NOTES[dataset.name] ?? []).map((note) => `- ${note}`),
    `- Uusi tiedosto korvaa aiemmin ladatut tiedot samalta avaimelta (${keyText(dataset.replaceKey)}).`,
    "",
    "| sarake | kuvaus | arvot | muut hyväksytyt otsikot |",
    "| --- | --- | --- | --- |",
    ...columns.map(
      (c) =>
        `| \`${c.name}\` | ${c.description} | ${accepted(dataset, c)} | ${(c.aliases ?? [])
          .filter((a) => a !== c.name)
          .map((a) => `\`${a}\``)
          .join(", ")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

const README_HEAD = `# Tiedostopohjat (CSV-sopimus, versio 1)

Tämä kansio on luotu ohjelmallisesti aineistojen määrittelyistä (\`pipelines/datasets/\`): älä muokkaa
tiedostoja käsin, vaan aja \`node --import tsx pipelines/templates.ts\`.

Jokaisesta aineistosta on kaksi pohjaa: \`<aineisto>.csv\` (pelkkä otsikkorivi) ja
\`<aineisto>_esimerkki.csv\` (täytetty esimerkki, kunta 529 Naantali). Pohjat ovat UTF-8-muotoisia
(BOM-merkillä, jotta Excel näyttää ä- ja ö-kirjaimet oikein), erottimena on puolipiste ja rivinvaihtona CRLF.

## Yleiset säännöt

- Tiedoston nimellä ei ole väliä: aineisto tunnistetaan otsikkorivistä. Otsikoissa isot ja pienet
  kirjaimet, välilyönnit ja ä/a-erot eivät haittaa.
- Lukumäärät ovat kokonaislukuja (0 tai suurempi), ilman desimaaleja ja tuhaterottimia.
  **Tyhjä solu tarkoittaa ”ei ilmoitettu”, ei nollaa**: merkitse 0, jos tapahtumia ei ollut.
- Vuosineljänneksen on oltava päättynyt; kesken olevaa tai tulevaa neljännestä ei voi ilmoittaa.
- Sama avain (esim. kunta ja vuosineljännes) saa esiintyä tiedostossa vain kerran.
- Tiedosto ladataan kokonaan tai ei lainkaan. Tarkistusraportti kertoo jokaisesta virheestä rivin,
  sarakkeen ja korjausohjeen.
- Viimeinen summarivi (”Yhteensä”, ”Summa”) ohitetaan varoituksella.
`;

const README_EXCEL = `## Tallentaminen Excelistä

1. Avaa pohja Excelissä (kaksoisnapsautus riittää) ja täytä rivit otsikkorivin alle. Älä muuta otsikkoriviä.
2. Muotoile \`kunta\`-sarake tekstiksi ennen kuntanumeroiden kirjoittamista, jotta etunollat säilyvät
   (\`091\`). Jos Excel ehtii muuttaa numeron muotoon \`91\`, se luetaan silti muodossa \`091\` varoituksen kera.
3. Valitse **Tiedosto → Tallenna nimellä** ja tiedostomuodoksi **CSV UTF-8** (englanninkielisessä
   Excelissä *CSV UTF-8 (Comma delimited)*). Suomalaisissa asetuksissa Excel käyttää erottimena puolipistettä.
4. Myös nämä kelpaavat: Excelin tavallinen CSV-muoto (Windows-1252-merkistö), **Unicode-teksti**
   (UTF-16, sarkaimin eroteltu, \`.txt\`) sekä pilkuin tai sarkaimin eroteltu UTF-8-tiedosto esimerkiksi
   LibreOfficesta tai asiakastietojärjestelmästä.
5. Älä lähetä Excel-työkirjaa (\`.xlsx\`): se hylätään ja sinua pyydetään tallentamaan CSV-muodossa.
6. Tarkista tiedosto ennen lähettämistä lataussivun tarkistustoiminnolla tai komennolla
   \`npx seuranta validate tiedosto.csv\`; mitään ei tallenneta ennen kuin kaikki virheet on korjattu.
`;

/** The Finnish guide to the templates: every dataset's columns, with the descriptions of the schemas. */
export function templatesReadme(): string {
  return [README_HEAD, ...DATASETS.map(datasetSection), README_EXCEL].join("\n");
}

/** Every file of the templates folder, as it should be. */
export function templateFiles(): TemplateFile[] {
  const files: TemplateFile[] = [];
  for (const dataset of DATASETS) {
    const columns = columnsOf(dataset).map((c) => c.name);
    const csv = (rows: readonly Record<string, string>[]) =>
      encodeCsv(csvText(columns, rows, EXCEL_CSV_UTF8), EXCEL_CSV_UTF8);
    files.push({ name: `${dataset.name}.csv`, content: csv([]) });
    files.push({ name: `${dataset.name}_esimerkki.csv`, content: csv(dataset.example) });
  }
  files.push({ name: "README.md", content: Buffer.from(templatesReadme(), "utf8") });
  return files;
}

/** Writes the templates into a folder and returns the paths written. */
export function writeTemplates(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return templateFiles().map((file) => {
    const target = path.join(dir, file.name);
    writeFileAtomic(target, file.content);
    return target;
  });
}

// Run as a script (Node 20 has no import.meta.main): regenerate the committed templates.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const written of writeTemplates(loadConfig().templatesDir)) console.log(written);
}
