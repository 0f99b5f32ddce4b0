import type { Queryable } from "../../core/db.ts";
import { formatPeriod, formatPublished, LABELS, UNIT_TEXT } from "../../indicators/format.ts";
import { KOKO_MAA } from "../../indicators/levels.ts";
import { PERIOD_TYPES } from "../../indicators/periods.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import { compareLinesChart } from "../charts/lines.ts";
import { chartImages } from "../charts/render.ts";
import type { Chart } from "../charts/types.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { areaRef, type CompareData, compareData, MAX_AREAS, viewQuery } from "./compare-data.ts";
import { escapeHtml, layout } from "./html.ts";
import { chartAnnotations } from "./indicator-charts.ts";
import type { Query } from "./indicator-data.ts";
import { pinnedBanner, pinnedField, pinnedQuery } from "./pinned.ts";
import { type Area, annotationNotes, areaPath, PERIOD_TYPE_TEXT, V, VALUE_CSS } from "./values.ts";

const T = {
  title: { fi: "Alueiden vertailu", sv: "Jämförelse mellan områden", en: "Compare areas" },
  intro: {
    fi: "Valitse indikaattori ja enintään {max} aluetta: kuntia, työllisyysalueita, hyvinvointialueita tai koko maa. Sivun osoite tallentaa valinnat, joten sen voi jakaa tai tallentaa kirjanmerkiksi.",
    sv: "Välj en indikator och högst {max} områden: kommuner, sysselsättningsområden, välfärdsområden eller hela landet. Sidans adress sparar valen, så den kan delas eller sparas som bokmärke.",
    en: "Choose an indicator and up to {max} areas: municipalities, employment areas, wellbeing services counties or the whole country. The page's address keeps the choices, so it can be shared or bookmarked.",
  },
  indicator: { fi: "Indikaattori", sv: "Indikator", en: "Indicator" },
  periodType: { fi: "Jaksotyyppi", sv: "Periodtyp", en: "Period type" },
  areas: {
    fi: "Alueet (enintään {max}), hyvinvointialueittain",
    sv: "Områden (högst {max}), per välfärdsområde",
    en: "Areas (up to {max}), by wellbeing services county",
  },
  chosenCount: { fi: "valittu {n}", sv: "{n} valda", en: "{n} chosen" },
  employment: { fi: "Työllisyysalueet", sv: "Sysselsättningsområden", en: "Employment areas" },
  municipalities: { fi: "Kunnat", sv: "Kommuner", en: "Municipalities" },
  show: { fi: "Näytä", sv: "Visa", en: "Show" },
  choose: { fi: "Muuta valintoja", sv: "Ändra valen", en: "Change the choices" },
  chooseFirst: {
    fi: "Valitse vähintään yksi alue ja paina Näytä.",
    sv: "Välj minst ett område och tryck på Visa.",
    en: "Choose at least one area and press Show.",
  },
  caption: {
    fi: "{title}: {areas} jaksoittain",
    sv: "{title}: {areas} per period",
    en: "{title}: {areas} by period",
  },
  period: LABELS.period,
  area: LABELS.area,
  completeness: { fi: "Tietojen kattavuus", sv: "Uppgifternas täckning", en: "Completeness" },
  completenessCaption: {
    fi: "Ilmoittaneet kunnat kunkin alueen viimeisimmällä jaksolla",
    sv: "Kommuner som rapporterat under varje områdes senaste period",
    en: "Municipalities reporting in each area's latest period",
  },
  reportedCol: { fi: "Ilmoittaneet kunnat", sv: "Kommuner som rapporterat", en: "Municipalities reporting" },
  missingCol: { fi: "Ei ilmoittaneet", sv: "Har inte rapporterat", en: "Not reported" },
  allReported: { fi: "kaikki ilmoittivat", sv: "alla rapporterade", en: "all reported" },
  noData: { fi: "ei tietoja", sv: "inga uppgifter", en: "no figures" },
  download: { fi: "Lataa", sv: "Ladda ner", en: "Download" },
  csv: { fi: "CSV (Excel, puolipiste)", sv: "CSV (Excel, semikolon)", en: "CSV (Excel, semicolon)" },
  xlsx: { fi: "Excel (XLSX)", sv: "Excel (XLSX)", en: "Excel (XLSX)" },
  image: { fi: "kuva", sv: "bild", en: "image" },
  indicatorPage: { fi: "Indikaattorin sivu", sv: "Indikatorns sida", en: "The indicator's page" },
  areaPages: { fi: "Alueiden sivut", sv: "Områdenas sidor", en: "The areas' pages" },
} as const;

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
}

/** The compare chart of the data (null when no area is chosen or nothing has values). */
export function compareChart(d: CompareData, lang: Lang): Chart | null {
  if (d.series.every((s) => s.values.length === 0)) return null;
  return compareLinesChart({
    lang,
    title: d.definition.title[lang],
    unit: d.definition.unit,
    decimals: d.definition.decimals,
    annotations: chartAnnotations(d.annotations, lang),
    series: d.series.map((s) => ({
      label: s.area.name[lang],
      points: s.values.map((v) => ({
        period: v.period,
        value: v.value === null ? null : v.value,
        symbol: v.value === null ? (v.symbol ?? ".") : null,
      })),
    })),
  });
}

/** A table cell: the published value, or its symbol (`..`, `.`, `–`) and never why. */
function cell(v: ReaderValue | undefined, decimals: number, lang: Lang): string {
  if (!v) return `<span title="${V.notReported[lang]}">.</span>`;
  return escapeHtml(formatPublished(v, decimals, lang));
}

function checkbox(a: Area, chosen: Set<string>, lang: Lang, idPrefix: string): string {
  const ref = areaRef(a);
  const id = `a-${idPrefix}-${ref.replace(":", "-")}`;
  return `<li><input type="checkbox" name="alue" value="${escapeHtml(ref)}" id="${escapeHtml(id)}"${chosen.has(ref) ? " checked" : ""}><label for="${escapeHtml(id)}">${escapeHtml(a.name[lang])}</label></li>`;
}

/** The area choice: the whole country, then per county its own box, employment areas and municipalities. */
function areaChoice(d: CompareData, lang: Lang): string {
  const levels = new Set(d.definition.levels);
  const chosen = new Set(d.chosen.map(areaRef));
  const country = d.areas.get("koko_maa", KOKO_MAA);
  const groups = d.areas.list("hyvinvointialue", lang).map((county) => {
    const members = new Set(county.members);
    const employment = levels.has("tyollisyysalue")
      ? d.areas.list("tyollisyysalue", lang).filter((a) => a.members.some((m) => members.has(m)))
      : [];
    const kunnat = levels.has("kunta")
      ? county.members
          .map((k) => d.areas.get("kunta", k))
          .filter((a): a is Area => a !== undefined)
          .sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang))
      : [];
    const inside = [county, ...employment, ...kunnat].filter((a) => chosen.has(areaRef(a))).length;
    const prefix = county.code;
    const list = (title: string, areas: Area[]) =>
      areas.length === 0
        ? ""
        : `<p class="group">${title}</p><ul class="choices">${areas.map((a) => checkbox(a, chosen, lang, prefix)).join("")}</ul>`;
    return `<details${inside > 0 ? " open" : ""}><summary>${escapeHtml(county.name[lang])}${
      inside > 0 ? ` (${fill(T.chosenCount[lang], { n: String(inside) })})` : ""
    }</summary>
${levels.has("hyvinvointialue") ? `<ul class="choices">${checkbox(county, chosen, lang, prefix)}</ul>` : ""}
${list(T.employment[lang], employment)}${list(T.municipalities[lang], kunnat)}</details>`;
  });
  return `<fieldset class="areas"><legend>${fill(T.areas[lang], { max: String(MAX_AREAS) })}</legend>
${country && levels.has("koko_maa") ? `<ul class="choices">${checkbox(country, chosen, lang, "sss")}</ul>` : ""}
${groups.join("\n")}
</fieldset>`;
}

/** The one GET form of the page: indicator, period type and areas. */
function choiceForm(d: CompareData, lang: Lang): string {
  const indicators = d.catalogue.entries
    .map(
      ({ definition: def }) =>
        `<option value="${escapeHtml(def.id)}"${def.id === d.definition.id ? " selected" : ""}>${escapeHtml(def.title[lang])}</option>`,
    )
    .join("");
  const types = PERIOD_TYPES.filter((t) => d.definition.periods.includes(t))
    .map(
      (t) =>
        `<option value="${t}"${t === d.periodType ? " selected" : ""}>${escapeHtml(PERIOD_TYPE_TEXT[t][lang])}</option>`,
    )
    .join("");
  return `<form method="get" action="${pathIn(lang, "/vertailu")}" class="compare-form">${pinnedField(d.pinned)}
<div class="switch">
<label>${T.indicator[lang]} <select name="indikaattori">${indicators}</select></label>
<label>${T.periodType[lang]} <select name="jaksotyyppi">${types}</select></label>
</div>
${areaChoice(d, lang)}
<button type="submit">${T.show[lang]}</button>
</form>`;
}

/** The URL of one of the page's downloads (`.csv`, `.xlsx`, `/kaavio.svg`, `/kaavio.png`). */
export function compareFileUrl(d: CompareData, lang: Lang, file: string): string {
  return `${pathIn(lang, `/vertailu${file}`)}?${viewQuery(d)}`;
}

/** The compare page: the choices, one line per chosen area, its table, completeness and downloads. */
export async function comparePage(db: Queryable, lang: Lang, query: Query): Promise<string> {
  const d = await compareData(db, query);
  const def = d.definition;
  const title = def.title[lang];
  const unit = UNIT_TEXT[def.unit][lang];
  const latestPath = `${pathIn(lang, "/vertailu")}?${viewQuery({ ...d, pinned: null })}`;
  const parts = [
    pinnedBanner(d.pinned, lang, latestPath),
    `<h1>${T.title[lang]}: ${escapeHtml(title)}</h1>`,
    `<p>${fill(T.intro[lang], { max: String(MAX_AREAS) })}</p>`,
  ];
  // the figures first (a shared link opens on them), the choices after them
  if (d.chosen.length === 0) parts.push(`<p class="notice">${T.chooseFirst[lang]}</p>`, choiceForm(d, lang));
  else {
    const names = d.chosen.map((a) => a.name[lang]).join(", ");
    const caption = fill(T.caption[lang], { title, areas: names });
    const chart = compareChart(d, lang);
    parts.push(`<h2>${escapeHtml(names)}</h2>`);
    if (chart)
      parts.push(`<figure class="wide" role="group" aria-label="${escapeHtml(caption)}">${chartImages(chart)}<figcaption>${escapeHtml(caption)}. ${escapeHtml(chart.alt)}</figcaption></figure>
<p class="chart-download">${T.download[lang]} ${T.image[lang]}: <a href="${escapeHtml(compareFileUrl(d, lang, "/kaavio.svg"))}" download>SVG</a>, <a href="${escapeHtml(compareFileUrl(d, lang, "/kaavio.png"))}" download>PNG</a></p>`);
    const byArea = d.series.map((s) => new Map(s.values.map((v) => [v.period, v])));
    parts.push(`<table><caption>${escapeHtml(caption)} (${escapeHtml(unit)})</caption>
<thead><tr><th scope="col">${T.period[lang]}</th>${d.chosen
      .map((a) => `<th scope="col" class="num">${escapeHtml(a.name[lang])}</th>`)
      .join("")}</tr></thead><tbody>
${d.periods
  .map(
    (p) =>
      `<tr><th scope="row">${escapeHtml(formatPeriod(p))}</th>${byArea
        .map((m) => `<td class="num">${cell(m.get(p), def.decimals, lang)}</td>`)
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>`);
    parts.push(annotationNotes(d.annotations, lang));
    parts.push(`<h2>${T.completeness[lang]}</h2>
<table><caption>${T.completenessCaption[lang]}</caption>
<thead><tr><th scope="col">${T.area[lang]}</th><th scope="col">${T.period[lang]}</th><th scope="col" class="num">${T.reportedCol[lang]}</th><th scope="col">${T.missingCol[lang]}</th></tr></thead><tbody>
${d.series
  .map((s) => {
    const v = [...s.values].sort((a, b) => a.lastQuarter.localeCompare(b.lastQuarter)).at(-1);
    if (!v)
      return `<tr><th scope="row">${escapeHtml(s.area.name[lang])}</th><td></td><td class="num"></td><td>${T.noData[lang]}</td></tr>`;
    const missing = v.missingKunnat
      .map((k) => d.areas.get("kunta", k)?.name[lang] ?? k)
      .sort((a, b) => a.localeCompare(b, lang));
    return `<tr><th scope="row">${escapeHtml(s.area.name[lang])}</th><td>${escapeHtml(formatPeriod(v.period))}</td><td class="num">${v.reported}/${v.members}</td><td>${
      missing.length === 0 ? T.allReported[lang] : escapeHtml(missing.join(", "))
    }</td></tr>`;
  })
  .join("\n")}
</tbody></table>`);
    parts.push(`<h2>${T.download[lang]}</h2>
<ul><li><a href="${escapeHtml(compareFileUrl(d, lang, ".csv"))}" download>${T.csv[lang]}</a></li>
<li><a href="${escapeHtml(compareFileUrl(d, lang, ".xlsx"))}" download>${T.xlsx[lang]}</a></li></ul>`);
    const pin = pinnedQuery(d.pinned);
    parts.push(`<p><a href="${escapeHtml(`${pathIn(lang, `/indikaattori/${def.id}`)}${pin}`)}">${T.indicatorPage[lang]}: ${escapeHtml(title)}</a></p>
<p>${T.areaPages[lang]}: ${d.chosen
      .map(
        (a) =>
          `<a href="${escapeHtml(`${pathIn(lang, areaPath(a))}${pin}`)}">${escapeHtml(a.name[lang])}</a>`,
      )
      .join(", ")}</p>`);
    parts.push(`<h2>${T.choose[lang]}</h2>`, choiceForm(d, lang));
  }
  parts.push(`<section class="notes"><h2>${V.notes[lang]}</h2><p>${V.symbols[lang]}</p></section>`);
  return layout({
    title: `${T.title[lang]}: ${title}`,
    lang,
    path: `/vertailu?${viewQuery(d)}`,
    body: parts.join("\n"),
    head: `${VALUE_CSS}<style>${COMPARE_CSS}</style>`,
  });
}

/** Styles of the area choice (checkbox groups per county). */
const COMPARE_CSS = `
.compare-form details { border-bottom: 1px solid var(--border); padding: 0.25rem 0; }
.compare-form summary { cursor: pointer; font-weight: 600; }
.compare-form fieldset.areas { border: 1px solid var(--border); margin: 0.75rem 0; padding: 0.5rem 1rem; min-width: 0; }
.compare-form legend { font-weight: 700; }
ul.choices { list-style: none; padding: 0; margin: 0.25rem 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(min(14rem, 100%), 1fr)); gap: 0 1rem; }
ul.choices label { display: inline; font-weight: 400; margin: 0 0 0 0.35rem; }
.compare-form p.group { margin: 0.5rem 0 0; font-weight: 600; color: var(--text-secondary); }
`;
