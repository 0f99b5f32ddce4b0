import type { Config } from "../../core/config.ts";
import { todayOf } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import {
  FIRST_QUARTER,
  lastEndedQuarter,
  quarterIndex,
  quarterLabel,
  quarterOfIndex,
} from "../../core/quarter.ts";
import { FORMAT_NAMES, type FormatName } from "../../exports/formats/index.ts";
import type { Lang } from "../i18n.ts";
import { escapeHtml, layout } from "./html.ts";

const T = {
  unsuppressed: {
    fi: "Ilman pienten lukujen peittoa (vain ylläpitäjälle, ei julkaistavaksi)",
    sv: "Utan döljning av små tal (endast administratör, inte för publicering)",
    en: "Without small-number suppression (administrators only, not for publication)",
  },
  title: { fi: "Raportit", sv: "Rapporter", en: "Reports" },
  intro: {
    fi: "Kaikki indikaattorit hyvinvointialueittain (ja halutessa kunnittain) sekä koko maa, vuodelta tai neljännesväliltä. Pienet luvut on peitetty. Jokainen tiedosto kertoo, milloin aineisto on viimeksi ladattu, määritelmien version, tietosuojarajan ja mitkä kunnat eivät ilmoittaneet tietojaan.",
    sv: "Alla indikatorer per välfärdsområde (och vid behov per kommun) samt hela landet, för ett år eller en rad kvartal. Små tal har dolts. Varje fil anger när data senast laddades, definitionernas version, dataskyddsgränsen och vilka kommuner som inte rapporterat.",
    en: "Every indicator by wellbeing services county (and, if you like, by municipality) and for the whole country, for a year or a range of quarters. Small numbers are hidden. Every file says when data was last loaded, the definitions' version, the suppression threshold and which municipalities did not report.",
  },
  byYear: { fi: "Vuosiraportti", sv: "Årsrapport", en: "Yearly report" },
  byQuarter: { fi: "Neljännesvuosiraportti", sv: "Kvartalsrapport", en: "Quarterly report" },
  year: { fi: "Vuosi", sv: "År", en: "Year" },
  from: { fi: "Alkaen", sv: "Från", en: "From" },
  to: { fi: "Päättyen", sv: "Till", en: "To" },
  level: { fi: "Alueet", sv: "Områden", en: "Areas" },
  format: { fi: "Muoto", sv: "Format", en: "Format" },
  download: { fi: "Lataa", sv: "Ladda ner", en: "Download" },
  api: {
    fi: "Sama rajapinnasta: GET /api/v1/exports?format=xlsx&level=hyvinvointialue&year=2024 (komentorivillä seuranta export).",
    sv: "Samma via gränssnittet: GET /api/v1/exports?format=xlsx&level=hyvinvointialue&year=2024 (på kommandoraden seuranta export).",
    en: "The same through the API: GET /api/v1/exports?format=xlsx&level=hyvinvointialue&year=2024 (on the command line: seuranta export).",
  },
} as const;

const LEVEL_CHOICES: { value: string; text: Record<Lang, string> }[] = [
  {
    value: "hyvinvointialue",
    text: {
      fi: "Hyvinvointialueet ja koko maa",
      sv: "Välfärdsområden och hela landet",
      en: "Counties and the whole country",
    },
  },
  {
    value: "hyvinvointialue,kunta",
    text: {
      fi: "Hyvinvointialueet, kunnat ja koko maa",
      sv: "Välfärdsområden, kommuner och hela landet",
      en: "Counties, municipalities and the whole country",
    },
  },
  {
    value: "kunta",
    text: {
      fi: "Kunnat ja koko maa",
      sv: "Kommuner och hela landet",
      en: "Municipalities and the whole country",
    },
  },
  {
    value: "tyollisyysalue",
    text: {
      fi: "Työllisyysalueet ja koko maa",
      sv: "Sysselsättningsområden och hela landet",
      en: "Employment areas and the whole country",
    },
  },
];

const FORMAT_TEXT: Record<FormatName, Record<Lang, string>> = {
  "csv-excel": { fi: "CSV Exceliin (;)", sv: "CSV för Excel (;)", en: "CSV for Excel (;)" },
  csv: { fi: "CSV koneluettavana (,)", sv: "CSV maskinläsbar (,)", en: "CSV for machines (,)" },
  xlsx: { fi: "Excel-työkirja (XLSX)", sv: "Excel-arbetsbok (XLSX)", en: "Excel workbook (XLSX)" },
  jsonstat: { fi: "JSON-stat 2.0", sv: "JSON-stat 2.0", en: "JSON-stat 2.0" },
  arrow: { fi: "Apache Arrow", sv: "Apache Arrow", en: "Apache Arrow" },
  parquet: { fi: "Parquet", sv: "Parquet", en: "Parquet" },
};

function options(items: { value: string; text: string }[], selected?: string): string {
  return items
    .map(
      (o) =>
        `<option value="${escapeHtml(o.value)}"${o.value === selected ? " selected" : ""}>${escapeHtml(o.text)}</option>`,
    )
    .join("");
}

/** The years whose values have been computed, newest first (empty before the first computation). */
async function computedYears(db: Queryable): Promise<string[]> {
  const table = await db.one(
    `SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'indicator_periods'`,
  );
  if (!table) return [];
  const rows = await db.all<{ period: string }>(
    `SELECT DISTINCT period FROM indicator_periods WHERE period_type = 'year' ORDER BY period DESC`,
  );
  return rows.map((r) => r.period);
}

/**
 * The reports page: two plain GET forms (a year, or a range of quarters) that download the export
 * from /api/v1/exports; works without JavaScript.
 */
export async function exportsPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  viewer: { admin?: boolean } = {},
): Promise<string> {
  const last = lastEndedQuarter(todayOf(config));
  const lastYear = Math.floor((quarterIndex(last) + 1) / 4) - 1;
  const years = (await computedYears(db)).filter((y) => Number(y) <= lastYear);
  if (years.length === 0) years.push(String(lastYear));
  const quarters: string[] = [];
  for (
    let qi = quarterIndex(last);
    qi >= Math.max(quarterIndex(last) - 39, quarterIndex(FIRST_QUARTER));
    qi--
  )
    quarters.push(quarterLabel(quarterOfIndex(qi)));
  const levelSelect = (id: string) =>
    `<span class="field"><label for="${id}">${escapeHtml(T.level[lang])}</label> <select id="${id}" name="level">${options(LEVEL_CHOICES.map((l) => ({ value: l.value, text: l.text[lang] })))}</select></span>`;
  const formatSelect = (id: string) =>
    `<span class="field"><label for="${id}">${escapeHtml(T.format[lang])}</label> <select id="${id}" name="format">${options(
      FORMAT_NAMES.map((f) => ({ value: f, text: FORMAT_TEXT[f][lang] })),
      "xlsx",
    )}</select></span>`;
  const quarterSelect = (id: string, name: string, label: string, selected: string) =>
    `<span class="field"><label for="${id}">${escapeHtml(label)}</label> <select id="${id}" name="${name}">${options(
      quarters.map((q) => ({ value: q, text: q })),
      selected,
    )}</select></span>`;
  // only an admin's page offers raw figures (the API refuses them to anyone else anyway)
  const rawChoice = (id: string) =>
    viewer.admin
      ? `<p class="checkbox"><input type="checkbox" id="${id}" name="suppression" value="none"> <label for="${id}">${escapeHtml(T.unsuppressed[lang])}</label></p>`
      : "";
  const lastYearQ1 = quarterLabel({ year: last.year, quarter: 1 });
  const body = `<h1>${escapeHtml(T.title[lang])}</h1>
<p>${escapeHtml(T.intro[lang])}</p>
<section aria-labelledby="by-year">
<h2 id="by-year">${escapeHtml(T.byYear[lang])}</h2>
<form method="get" action="/api/v1/exports">
  <input type="hidden" name="lang" value="${lang}">
  ${levelSelect("year-level")}
  <span class="field"><label for="year">${escapeHtml(T.year[lang])}</label> <select id="year" name="year">${options(years.map((y) => ({ value: y, text: y })))}</select></span>
  ${formatSelect("year-format")}
  ${rawChoice("year-raw")}
  <button type="submit" class="primary">${escapeHtml(T.download[lang])}</button>
</form>
</section>
<section aria-labelledby="by-quarter">
<h2 id="by-quarter">${escapeHtml(T.byQuarter[lang])}</h2>
<form method="get" action="/api/v1/exports">
  <input type="hidden" name="lang" value="${lang}">
  ${levelSelect("quarter-level")}
  ${quarterSelect("from", "from", T.from[lang], lastYearQ1)}
  ${quarterSelect("to", "to", T.to[lang], quarterLabel(last))}
  ${formatSelect("quarter-format")}
  ${rawChoice("quarter-raw")}
  <button type="submit" class="primary">${escapeHtml(T.download[lang])}</button>
</form>
</section>
<p>${escapeHtml(T.api[lang])}</p>`;
  return layout({ title: T.title[lang], lang, path: "/raportit", body });
}
