import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { dataAsOf } from "../api/meta.ts";
import { chartImages } from "../charts/render.ts";
import type { Chart } from "../charts/types.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { compareChart } from "./compare.ts";
import { compareData, viewQuery } from "./compare-data.ts";
import { documentHead, escapeHtml } from "./html.ts";
import { CHART_FILES, type ChartFile, pageQuery } from "./indicator.ts";
import { INDICATOR_CHARTS } from "./indicator-charts.ts";
import { indicatorData, type Query } from "./indicator-data.ts";
import { oembedHref } from "./oembed.ts";
import { type PagePin, pinnedNote } from "./pinned.ts";

/**
 * Embed pages (/upotus/…): one chart without the site's navigation, for an <iframe> on another site —
 * the title, the chart, its text alternative, the data as of, the privacy note and a link back to the
 * full page. The values are those of the full page (readValues, suppressed); only these pages may be
 * framed, and only by the origins of SEURANTA_EMBED_ORIGINS (dashboard/security.ts).
 */

const T = {
  dataAsOf: { fi: "Tiedot päivitetty", sv: "Uppgifterna uppdaterade", en: "Data as of" },
  nothing: { fi: "ei ladattuja tietoja", sv: "inga laddade uppgifter", en: "nothing loaded" },
  privacy: {
    fi: "Pienet luvut ja luvut, joista pienen luvun voisi päätellä, on peitetty tietosuojan vuoksi (..).",
    sv: "Små tal och tal ur vilka ett litet tal kunde härledas har dolts av dataskyddsskäl (..).",
    en: "Small figures, and figures from which a small one could be worked out, are hidden to protect privacy (..).",
  },
  back: {
    fi: "Avaa koko sivu Seurannassa",
    sv: "Öppna hela sidan i Seuranta",
    en: "Open the full page in Seuranta",
  },
  unknownChart: {
    fi: "Tuntematon kaavio. Kaaviot: kehitys, vertailu ja kartta.",
    sv: "Okänt diagram. Diagrammen: kehitys, vertailu och kartta.",
    en: "Unknown chart. The charts: kehitys, vertailu and kartta.",
  },
  noChart: {
    fi: "Tätä kaaviota ei ole valituille tiedoille.",
    sv: "Det här diagrammet finns inte för de valda uppgifterna.",
    en: "This chart does not exist for the chosen figures.",
  },
} as const;

const EMBED_CSS = `
main.embed { padding: 0.5rem 0.75rem; max-width: none; }
main.embed h1 { font-size: 1.2rem; margin: 0 0 0.5rem; }
main.embed figure { margin: 0; }
main.embed svg { width: 100%; max-width: 60rem; height: auto; }
main.embed figcaption, main.embed p { font-size: 0.9rem; margin: 0.25rem 0; }
`;

/** What an embed page shows. */
export interface Embed {
  title: string;
  chart: Chart;
  /** The full page, a path without the language prefix and with its query. */
  fullPage: string;
  /** The embed page itself, the same way. */
  self: string;
  /** The release the figures are from (`julkaisu`), or null for the latest. */
  pinned: PagePin | null;
}

/** The embed page's HTML: no navigation, no user bar; the discovery link of its oEmbed in the head. */
export async function embedPage(db: Queryable, config: Config, lang: Lang, embed: Embed): Promise<string> {
  // a pinned embed says what its release was, nothing that changed after it
  const at = embed.pinned ? embed.pinned.release.dataAsOf : await dataAsOf(db);
  const asOf = at ? at.slice(0, 10) : T.nothing[lang];
  const release = embed.pinned ? ` ${escapeHtml(pinnedNote(embed.pinned, lang))}` : "";
  const self = pathIn(lang, embed.self);
  const head = `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembedHref(config, self))}" title="${escapeHtml(embed.title)}">
<style>${EMBED_CSS}</style>
`;
  return `${documentHead(lang, embed.title, head)}
<body>
<main id="main" class="embed">
<h1>${escapeHtml(embed.title)}</h1>
<figure role="group" aria-label="${escapeHtml(embed.title)}">${chartImages(embed.chart)}<figcaption>${escapeHtml(embed.chart.alt)}</figcaption></figure>
<p>${T.dataAsOf[lang]}: ${escapeHtml(asOf)}.${release} ${T.privacy[lang]}</p>
<p><a href="${escapeHtml(pathIn(lang, embed.fullPage))}" target="_blank" rel="noopener">${T.back[lang]}</a></p>
</main>
</body>
</html>
`;
}

/** The embed of a chart of the indicator page: /upotus/indikaattori/<id>/<kehitys|vertailu|kartta>. */
export async function indicatorEmbed(
  db: Queryable,
  config: Config,
  lang: Lang,
  id: string,
  chartName: string,
  query: Query,
): Promise<string> {
  if (!Object.hasOwn(CHART_FILES, chartName)) throw new HttpError(404, T.unknownChart);
  const d = await indicatorData(db, config, id, query);
  const chart = INDICATOR_CHARTS[CHART_FILES[chartName as ChartFile]]?.(d, lang);
  if (!chart) throw new HttpError(404, T.noChart);
  const q = pageQuery(d);
  return embedPage(db, config, lang, {
    title: `${d.definition.title[lang]}: ${d.area.name[lang]}`,
    chart,
    fullPage: `/indikaattori/${d.definition.id}?${q}`,
    self: `/upotus/indikaattori/${d.definition.id}/${chartName}?${q}`,
    pinned: d.pinned,
  });
}

/** The embed of the compare chart: /upotus/vertailu?… (the parameters of /vertailu). */
export async function compareEmbed(db: Queryable, config: Config, lang: Lang, query: Query): Promise<string> {
  const d = await compareData(db, query);
  const chart = compareChart(d, lang);
  if (d.chosen.length === 0 || !chart) throw new HttpError(404, T.noChart);
  const q = viewQuery(d);
  return embedPage(db, config, lang, {
    title: `${d.definition.title[lang]}: ${d.chosen.map((a) => a.name[lang]).join(", ")}`,
    chart,
    fullPage: `/vertailu?${q}`,
    self: `/upotus/vertailu?${q}`,
    pinned: d.pinned,
  });
}
