import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { formatPeriod, LABELS, UNIT_TEXT } from "../../indicators/format.ts";
import { LEVELS } from "../../indicators/levels.ts";
import { PERIOD_TYPES } from "../../indicators/periods.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import { chartImages } from "../charts/render.ts";
import type { Chart } from "../charts/types.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { compareQuery } from "./compare-data.ts";
import { escapeHtml, layout } from "./html.ts";
import { type IndicatorData, indicatorData, type Query } from "./indicator-data.ts";
import { oembedHref } from "./oembed.ts";
import { pinnedBanner, pinnedField } from "./pinned.ts";
import {
  type Area,
  annotationNotes,
  areaPath,
  Footnotes,
  PERIOD_TYPE_TEXT,
  VALUE_CSS,
  valueCell,
} from "./values.ts";

const T = {
  indicator: { fi: "Indikaattori", sv: "Indikator", en: "Indicator" },
  definition: { fi: "Määritelmä", sv: "Definition", en: "Definition" },
  description: { fi: "Mitä lasketaan", sv: "Vad räknas", en: "What is counted" },
  interpretation: { fi: "Tulkinta", sv: "Tolkning", en: "Interpretation" },
  limitations: { fi: "Rajoitukset", sv: "Begränsningar", en: "Limitations" },
  source: { fi: "Lähde", sv: "Källa", en: "Source" },
  unit: LABELS.unit,
  choose: { fi: "Valitse tiedot", sv: "Välj uppgifter", en: "Choose the figures" },
  level: { fi: "Aluetaso", sv: "Områdesnivå", en: "Level" },
  area: LABELS.area,
  periodType: { fi: "Jaksotyyppi", sv: "Periodtyp", en: "Period type" },
  period: LABELS.period,
  show: { fi: "Näytä", sv: "Visa", en: "Show" },
  trend: { fi: "Kehitys", sv: "Utveckling", en: "Trend" },
  trendCaption: {
    fi: "{title}: {areas} jaksoittain",
    sv: "{title}: {areas} per period",
    en: "{title}: {areas} by period",
  },
  compare: { fi: "Alueiden vertailu", sv: "Jämförelse mellan områden", en: "Areas compared" },
  compareLink: {
    fi: "Vertaile valitsemiasi alueita aikasarjana",
    sv: "Jämför områden du väljer som tidsserie",
    en: "Compare areas of your choice over time",
  },
  mapWord: { fi: "kartta", sv: "karta", en: "map" },
  breakdown: { fi: "Jakauma", sv: "Fördelning", en: "Breakdown" },
  breakdownCaption: {
    fi: "Jakauma luokittain: {area}, {period}",
    sv: "Fördelning per kategori: {area}, {period}",
    en: "Breakdown by category: {area}, {period}",
  },
  category: { fi: "Luokka", sv: "Kategori", en: "Category" },
  compareCaption: {
    fi: "{title}: {of}, {period}, suurimmasta pienimpään",
    sv: "{title}: {of}, {period}, från störst till minst",
    en: "{title}: {of}, {period}, largest first",
  },
  municipality: LABELS.municipality,
  county: { fi: "Hyvinvointialue", sv: "Välfärdsområde", en: "Wellbeing services county" },
  value: LABELS.value,
  completeness: { fi: "Tietojen kattavuus", sv: "Uppgifternas täckning", en: "Completeness" },
  reportedCol: { fi: "Ilmoittaneet kunnat", sv: "Kommuner som rapporterat", en: "Municipalities reporting" },
  missingCol: { fi: "Ei ilmoittaneet", sv: "Har inte rapporterat", en: "Not reported" },
  allReported: { fi: "kaikki ilmoittivat", sv: "alla rapporterade", en: "all reported" },
  completenessCaption: {
    fi: "Ilmoittaneet kunnat, {period}",
    sv: "Kommuner som rapporterat, {period}",
    en: "Municipalities reporting, {period}",
  },
  noData: {
    fi: "Tälle alueelle ja jaksotyypille ei ole vielä tietoja.",
    sv: "Det finns inga uppgifter ännu för detta område och denna periodtyp.",
    en: "There are no figures yet for this area and period type.",
  },
  download: { fi: "Lataa tiedot", sv: "Ladda ner uppgifterna", en: "Download the data" },
  csv: {
    fi: "Sivun luvut CSV-tiedostona (Excel, puolipiste)",
    sv: "Sidans tal som CSV-fil (Excel, semikolon)",
    en: "The figures of this page as a CSV file (Excel, semicolon)",
  },
  xlsx: {
    fi: "Excel (XLSX): sivun luvut, määritelmä ja huomautukset",
    sv: "Excel (XLSX): sidans tal, definitionen och anmärkningarna",
    en: "Excel (XLSX): the figures of this page, the definition and the notes",
  },
  chartDownload: { fi: "Lataa kuva", sv: "Ladda ner bilden", en: "Download the image" },
  embed: { fi: "Upota", sv: "Bädda in", en: "Embed" },
  embedText: {
    fi: "Kehityskaavion voi upottaa omalle verkkosivulle tällä koodilla. Kaavio päivittyy, kun tiedot päivittyvät. Upotus toimii sivustoilla, jotka ylläpitäjä on sallinut.",
    sv: "Utvecklingsdiagrammet kan bäddas in på en egen webbsida med den här koden. Diagrammet uppdateras när uppgifterna uppdateras. Inbäddningen fungerar på webbplatser som administratören har tillåtit.",
    en: "The trend chart can be embedded in your own web page with this code. The chart is updated when the data are. Embedding works on the sites the administrator has allowed.",
  },
  embedCode: { fi: "HTML-koodi", sv: "HTML-kod", en: "HTML code" },
  embedPreview: { fi: "Upotettava sivu", sv: "Sidan som bäddas in", en: "The embedded page" },
  areaPage: {
    fi: "Kaikki indikaattorit alueelle",
    sv: "Alla indikatorer för området",
    en: "All indicators for",
  },
} as const;

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
}

/** The query string of the page for the given choices (for links and the CSV download). */
export function pageQuery(
  d: Pick<IndicatorData, "level" | "area" | "periodType" | "period"> & Partial<Pick<IndicatorData, "pinned">>,
): string {
  const q = new URLSearchParams({ taso: d.level, alue: d.area.code, jaksotyyppi: d.periodType });
  if (d.period) q.set("jakso", d.period);
  if (d.pinned) q.set("julkaisu", String(d.pinned.pin.id));
  return q.toString();
}

function hidden(name: string, value: string | null): string {
  return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

function switches(d: IndicatorData, lang: Lang): string {
  const def = d.definition;
  const action = pathIn(lang, `/indikaattori/${def.id}`);
  const levelOptions = LEVELS.filter((l) => def.levels.includes(l.name))
    .map(
      (l) =>
        `<option value="${l.name}"${l.name === d.level ? " selected" : ""}>${escapeHtml(l.title[lang])}</option>`,
    )
    .join("");
  const areaOptions = d.areas
    .list(d.level, lang)
    .map(
      (a) =>
        `<option value="${escapeHtml(a.code)}"${a.code === d.area.code ? " selected" : ""}>${escapeHtml(a.name[lang])}</option>`,
    )
    .join("");
  const typeOptions = PERIOD_TYPES.filter((t) => def.periods.includes(t))
    .map(
      (t) =>
        `<option value="${t}"${t === d.periodType ? " selected" : ""}>${escapeHtml(PERIOD_TYPE_TEXT[t][lang])}</option>`,
    )
    .join("");
  const periods = [...new Set(d.series[0]?.values.map((v) => v.period) ?? [])].reverse();
  const periodOptions = periods
    .map(
      (p) =>
        `<option value="${escapeHtml(p)}"${p === d.period ? " selected" : ""}>${escapeHtml(formatPeriod(p))}</option>`,
    )
    .join("");
  // one GET form for every choice; the hidden fields say what the area code and period belong to, so a
  // changed level maps the area and a changed period type drops a period that no longer fits
  return `<h2>${T.choose[lang]}</h2>
<form method="get" action="${action}" class="switch">${pinnedField(d.pinned)}
<input type="hidden" name="lomake" value="1">${hidden("mista", d.level)}
<label>${T.level[lang]} <select name="taso">${levelOptions}</select></label>
<label>${T.area[lang]} <select name="alue">${areaOptions}</select></label>
<label>${T.periodType[lang]} <select name="jaksotyyppi">${typeOptions}</select></label>
${periodOptions ? `<label>${T.period[lang]} <select name="jakso">${periodOptions}</select></label>` : ""}
<button type="submit">${T.show[lang]}</button>
</form>`;
}

/** Charts the page can show: filled in by the route from the committed chart modules. */
export interface PageCharts {
  timeSeries?: (d: IndicatorData, lang: Lang) => Chart | null;
  bars?: (d: IndicatorData, lang: Lang) => Chart | null;
  map?: (d: IndicatorData, lang: Lang) => Chart | null;
}

/** The charts as downloads: `/indikaattori/:id/kaavio/<name>.svg` (and `.png`). */
export const CHART_FILES = {
  kehitys: "timeSeries",
  vertailu: "bars",
  kartta: "map",
} as const satisfies Record<string, keyof PageCharts>;
export type ChartFile = keyof typeof CHART_FILES;

/** The URL of a chart's download with the page's parameters. */
export function chartUrl(d: IndicatorData, lang: Lang, chart: ChartFile, format: "svg" | "png"): string {
  return `${pathIn(lang, `/indikaattori/${d.definition.id}/kaavio/${chart}.${format}`)}?${pageQuery(d)}`;
}

function figure(
  chart: Chart | null | undefined,
  caption: string,
  download: { d: IndicatorData; lang: Lang; chart: ChartFile },
): string {
  if (!chart) return "";
  const { d, lang } = download;
  const link = (format: "svg" | "png") =>
    `<a href="${escapeHtml(chartUrl(d, lang, download.chart, format))}" download>${format.toUpperCase()}</a>`;
  const wide = download.chart === "kehitys" ? ' class="wide"' : "";
  return `<figure${wide} role="group" aria-label="${escapeHtml(caption)}">${chartImages(chart)}<figcaption>${escapeHtml(caption)}. ${escapeHtml(chart.alt)}</figcaption></figure>
<p class="chart-download">${T.chartDownload[lang]}: ${link("svg")}, ${link("png")}</p>`;
}

/** Sorts compared members by shown value, largest first; hidden and missing values last, by name. */
export function sortedMembers(
  d: IndicatorData,
  lang: Lang,
): { area: Area; value: ReaderValue | undefined }[] {
  if (!d.comparison) return [];
  const values = d.comparison.values;
  return d.comparison.members
    .map((area) => ({ area, value: values.get(area.code) }))
    .sort(
      (a, b) =>
        (b.value?.value ?? Number.NEGATIVE_INFINITY) - (a.value?.value ?? Number.NEGATIVE_INFINITY) ||
        a.area.name[lang].localeCompare(b.area.name[lang], lang),
    );
}

/** The indicator page: definition, time series, comparison, completeness, downloads. */
export async function indicatorPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  id: string,
  query: Query,
  charts: PageCharts = {},
): Promise<string> {
  const d = await indicatorData(db, config, id, query);
  const def = d.definition;
  const notes = new Footnotes(lang, config.suppressionThreshold);
  const title = def.title[lang];
  const unit = UNIT_TEXT[def.unit][lang];
  const latestQuery = pageQuery({ ...d, pinned: null });
  const parts: string[] = [
    pinnedBanner(d.pinned, lang, `${pathIn(lang, `/indikaattori/${def.id}`)}?${latestQuery}`),
    `<h1>${escapeHtml(title)}</h1>`,
  ];
  parts.push(`<p>${escapeHtml(def.description[lang])}</p>`);
  parts.push(switches(d, lang));

  // time series
  const areaValues = d.series[0]?.values ?? [];
  parts.push(`<h2>${T.trend[lang]}: ${escapeHtml(d.area.name[lang])}</h2>`);
  if (areaValues.length === 0) parts.push(`<p class="notice">${T.noData[lang]}</p>`);
  else {
    const caption = fill(T.trendCaption[lang], {
      title,
      areas: d.series.map((s) => s.area.name[lang]).join(", "),
    });
    parts.push(figure(charts.timeSeries?.(d, lang), caption, { d, lang, chart: "kehitys" }));
    const periods = areaValues.map((v) => v.period);
    const byArea = d.series.map((s) => new Map(s.values.map((v) => [v.period, v])));
    parts.push(`<table><caption>${escapeHtml(caption)} (${escapeHtml(unit)})</caption>
<thead><tr><th scope="col">${T.period[lang]}</th>${d.series
      .map((s) => `<th scope="col" class="num">${escapeHtml(s.area.name[lang])}</th>`)
      .join("")}</tr></thead><tbody>
${periods
  .map(
    (p) =>
      `<tr><th scope="row">${escapeHtml(formatPeriod(p))}</th>${byArea
        .map((m) => `<td class="num">${valueCell(m.get(p), def.decimals, lang, notes)}</td>`)
        .join("")}</tr>`,
  )
  .join("\n")}
</tbody></table>`);
    parts.push(annotationNotes(d.annotations, lang));
    const compare = compareQuery({
      indicator: def.id,
      chosen: d.series.map((s) => s.area),
      periodType: d.periodType,
      pinned: d.pinned,
    });
    parts.push(
      `<p><a href="${escapeHtml(`${pathIn(lang, "/vertailu")}?${compare}`)}">${T.compareLink[lang]}</a></p>`,
    );
  }

  // comparison of municipalities (or counties)
  if (d.comparison && d.period) {
    const c = d.comparison;
    const memberTitle = c.level === "kunta" ? T.municipality[lang] : T.county[lang];
    const caption = fill(T.compareCaption[lang], {
      title,
      of: c.of.name[lang],
      period: formatPeriod(d.period),
    });
    parts.push(
      `<h2>${T.compare[lang]}: ${escapeHtml(c.of.name[lang])}, ${escapeHtml(formatPeriod(d.period))}</h2>`,
    );
    parts.push(figure(charts.bars?.(d, lang), caption, { d, lang, chart: "vertailu" }));
    parts.push(
      figure(charts.map?.(d, lang), `${caption} (${T.mapWord[lang]})`, { d, lang, chart: "kartta" }),
    );
    const rows = sortedMembers(d, lang);
    parts.push(`<table><caption>${escapeHtml(caption)} (${escapeHtml(unit)})</caption>
<thead><tr><th scope="col">${memberTitle}</th><th scope="col" class="num">${T.value[lang]}</th></tr></thead><tbody>
${rows
  .map(
    (r) =>
      `<tr${r.area.code === d.area.code ? ' class="current"' : ""}><th scope="row"><a href="${pathIn(lang, `/indikaattori/${def.id}`)}?${escapeHtml(
        pageQuery({
          level: c.level,
          area: r.area,
          periodType: d.periodType,
          period: d.period,
          pinned: d.pinned,
        }),
      )}">${escapeHtml(r.area.name[lang])}</a></th><td class="num">${valueCell(r.value, def.decimals, lang, notes)}</td></tr>`,
  )
  .join("\n")}
</tbody></table>`);
  }

  // the categories of an indicator with a breakdown (its total is the sum of the categories)
  if (d.breakdown.length > 0 && d.period) {
    const caption = fill(T.breakdownCaption[lang], {
      area: d.area.name[lang],
      period: formatPeriod(d.period),
    });
    parts.push(
      `<h2>${T.breakdown[lang]}: ${escapeHtml(d.area.name[lang])}, ${escapeHtml(formatPeriod(d.period))}</h2>`,
    );
    parts.push(`<table><caption>${escapeHtml(caption)} (${escapeHtml(unit)})</caption>
<thead><tr><th scope="col">${T.category[lang]}</th><th scope="col" class="num">${T.value[lang]}</th></tr></thead><tbody>
${d.breakdown
  .map(
    (v) =>
      `<tr><th scope="row">${escapeHtml(v.categoryLabel?.[lang] ?? v.category ?? "")}</th><td class="num">${valueCell(v, def.decimals, lang, notes)}</td></tr>`,
  )
  .join("\n")}
</tbody></table>`);
  }

  // completeness of the chosen period
  const shown = d.period ? d.series.map((s) => s.values.find((v) => v.period === d.period)) : [];
  if (d.period && shown.some((v) => v !== undefined)) {
    parts.push(`<h2>${T.completeness[lang]}</h2>`);
    parts.push(`<table><caption>${escapeHtml(fill(T.completenessCaption[lang], { period: formatPeriod(d.period) }))}</caption>
<thead><tr><th scope="col">${T.area[lang]}</th><th scope="col" class="num">${T.reportedCol[lang]}</th><th scope="col">${T.missingCol[lang]}</th></tr></thead><tbody>
${d.series
  .map((s, i) => {
    const v = shown[i];
    if (!v) return "";
    const missing = v.missingKunnat
      .map((k) => d.areas.get("kunta", k)?.name[lang] ?? k)
      .sort((a, b) => a.localeCompare(b, lang));
    return `<tr><th scope="row">${escapeHtml(s.area.name[lang])}</th><td class="num">${v.reported}/${v.members}</td><td>${
      missing.length === 0 ? T.allReported[lang] : escapeHtml(missing.join(", "))
    }</td></tr>`;
  })
  .join("\n")}
</tbody></table>`);
  }

  // definition
  parts.push(`<h2>${T.definition[lang]}</h2>
<dl class="definition">
<dt>${T.description[lang]}</dt><dd>${escapeHtml(def.description[lang])}</dd>
<dt>${T.unit[lang]}</dt><dd>${escapeHtml(unit)}</dd>
<dt>${T.interpretation[lang]}</dt><dd>${escapeHtml(def.interpretation[lang])}</dd>
<dt>${T.limitations[lang]}</dt><dd>${escapeHtml(def.limitations[lang])}</dd>
<dt>${T.source[lang]}</dt><dd>${escapeHtml(def.source[lang])}</dd>
</dl>`);

  parts.push(`<h2>${T.download[lang]}</h2>
<ul><li><a href="${pathIn(lang, `/indikaattori/${def.id}.csv`)}?${escapeHtml(pageQuery(d))}" download>${T.csv[lang]}</a></li>
<li><a href="${pathIn(lang, `/indikaattori/${def.id}.xlsx`)}?${escapeHtml(pageQuery(d))}" download>${T.xlsx[lang]}</a></li>${`<li><a href="${escapeHtml(pathIn(lang, areaPath(d.area)))}">${T.areaPage[lang]}: ${escapeHtml(d.area.name[lang])}</a></li>`}</ul>`);
  const embedPath = pathIn(lang, `/upotus/indikaattori/${def.id}/kehitys?${pageQuery(d)}`);
  if (areaValues.length > 0) {
    const snippet = `<iframe src="${escapeHtml(`${config.publicUrl}${embedPath}`)}" width="800" height="640" title="${escapeHtml(`${title}: ${d.area.name[lang]}`)}" loading="lazy"></iframe>`;
    parts.push(`<h2>${T.embed[lang]}</h2>
<p>${T.embedText[lang]}</p>
<label for="embed-code">${T.embedCode[lang]}</label>
<textarea id="embed-code" class="embed-code" readonly rows="4">${escapeHtml(snippet)}</textarea>
<p><a href="${escapeHtml(embedPath)}">${T.embedPreview[lang]}</a></p>`);
  }
  parts.push(notes.html());
  const discovery = `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(
    oembedHref(config, pathIn(lang, `/indikaattori/${def.id}?${pageQuery(d)}`)),
  )}" title="${escapeHtml(`${title}: ${d.area.name[lang]}`)}">`;
  return layout({
    title: `${title}: ${d.area.name[lang]}`,
    lang,
    path: `/indikaattori/${def.id}?${pageQuery(d)}`,
    body: parts.join("\n"),
    head: `${VALUE_CSS}${areaValues.length > 0 ? discovery : ""}`,
  });
}
