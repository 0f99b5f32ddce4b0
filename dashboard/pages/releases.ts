import type { Queryable } from "../../core/db.ts";
import { formatPeriod, formatPublished, LABELS } from "../../indicators/format.ts";
import type { LevelName } from "../../indicators/levels.ts";
import type { Catalogue } from "../../indicators/registry.ts";
import { type FigureChange, releaseChanges } from "../../indicators/release/changes.ts";
import { listReleases, type Release } from "../../indicators/release/figures.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";
import { type Areas, loadAreas } from "./values.ts";

/** The releases pages /julkaisut and /julkaisut/<id> (fi/sv/en): every release, and what one changed. */

const T = {
  title: { fi: "Julkaisut", sv: "Publiceringar", en: "Releases" },
  intro: {
    fi: "Jokainen uudelleenlaskenta, joka muuttaa julkaistuja lukuja, tekee uuden numeroidun julkaisun. Julkaisun luvut eivät muutu: niihin voi viitata julkaisun numerolla (sivuilla ?julkaisu=N, rajapinnassa release=N).",
    sv: "Varje omräkning som ändrar publicerade tal gör en ny numrerad publicering. Publiceringens tal ändras inte: man kan hänvisa till dem med publiceringens nummer (på sidorna ?julkaisu=N, i gränssnittet release=N).",
    en: "Every recompute that changes published figures makes a new numbered release. A release's figures never change: cite them by the release's number (pages ?julkaisu=N, API release=N).",
  },
  feed: {
    fi: "Tilaa julkaisut (Atom-syöte)",
    sv: "Prenumerera på publiceringarna (Atom)",
    en: "Subscribe to releases (Atom feed)",
  },
  none: { fi: "Julkaisuja ei ole vielä.", sv: "Inga publiceringar ännu.", en: "No releases yet." },
  release: { fi: "Julkaisu", sv: "Publicering", en: "Release" },
  made: { fi: "Julkaistu", sv: "Publicerad", en: "Published" },
  dataAsOf: { fi: "Aineisto ladattu viimeksi", sv: "Data senast laddade", en: "Data as of" },
  figures: { fi: "Lukuja", sv: "Tal", en: "Figures" },
  changed: { fi: "Muuttuneita", sv: "Ändrade", en: "Changed" },
  loads: { fi: "Uusia tiedostoja", sv: "Nya filer", en: "New files" },
  definitions: { fi: "Määritelmien versio", sv: "Definitionernas version", en: "Definitions' version" },
  latest: { fi: "uusin", sv: "senaste", en: "latest" },
  previous: { fi: "Verrattu julkaisuun", sv: "Jämförd med publicering", en: "Compared with release" },
  first: {
    fi: "Ensimmäinen julkaisu: kaikki luvut ovat uusia.",
    sv: "Första publiceringen: alla tal är nya.",
    en: "The first release: every figure is new.",
  },
  data: { fi: "Uudet ja korjatut tiedot", sv: "Nya och korrigerade uppgifter", en: "New and revised data" },
  noData: {
    fi: "Ei uusia tiedostoja (esimerkiksi määritelmä tai väestötieto muuttui).",
    sv: "Inga nya filer (t.ex. en definition eller befolkningsuppgift ändrades).",
    en: "No new files (a definition or the population data changed, for example).",
  },
  dataset: { fi: "Aineisto", sv: "Data", en: "Dataset" },
  kunta: LABELS.municipality,
  quarter: { fi: "Neljännes", sv: "Kvartal", en: "Quarter" },
  kind: { fi: "Muutos", sv: "Ändring", en: "Change" },
  new: { fi: "uusi", sv: "ny", en: "new" },
  revised: {
    fi: "korjattu (lähetetty uudelleen)",
    sv: "korrigerad (skickad på nytt)",
    en: "revised (sent again)",
  },
  moved: { fi: "Muuttuneet luvut", sv: "Ändrade tal", en: "Figures that moved" },
  hidden: { fi: "Nyt peitetyt luvut", sv: "Nu dolda tal", en: "Figures newly hidden" },
  shown: { fi: "Nyt näytetyt luvut", sv: "Nu visade tal", en: "Figures newly shown" },
  added: { fi: "Uudet luvut", sv: "Nya tal", en: "New figures" },
  addedText: {
    fi: "uutta lukua (uusi jakso tai alue)",
    sv: "nya tal (ny period eller nytt område)",
    en: "new figures (a new period or area)",
  },
  other: {
    fi: "Muita muutoksia (esimerkiksi ilmoittaneiden kuntien määrä):",
    sv: "Andra ändringar (t.ex. antalet kommuner som rapporterat):",
    en: "Other changes (the municipalities that reported, for example):",
  },
  nothing: { fi: "Ei yhtään.", sv: "Inga.", en: "None." },
  indicator: { fi: "Indikaattori", sv: "Indikator", en: "Indicator" },
  area: LABELS.area,
  period: LABELS.period,
  before: { fi: "Ennen", sv: "Före", en: "Before" },
  after: { fi: "Nyt", sv: "Nu", en: "Now" },
  more: {
    fi: "Lisäksi {n} muuta: kaikki rajapinnasta",
    sv: "Dessutom {n} till: alla i gränssnittet",
    en: "And {n} more: all of them in the API",
  },
  hiddenNote: {
    fi: ".. = peitetty tietosuojan vuoksi.",
    sv: ".. = dolt av dataskyddsskäl.",
    en: ".. = hidden to protect privacy.",
  },
  api: {
    fi: "Muutokset koneluettavina",
    sv: "Ändringarna maskinläsbart",
    en: "The changes, machine-readable",
  },
  unknown: {
    fi: "Julkaisua {id} ei ole.",
    sv: "Publiceringen {id} finns inte.",
    en: "There is no release {id}.",
  },
} as const;

/** At most this many rows per table on the page; the API gives them all. */
const MAX_ROWS = 300;

const LOCALE: Record<Lang, string> = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };

/** A time as people read it in Finland. */
export function timeText(iso: string | null, lang: Lang): string {
  if (iso === null) return "–";
  return new Intl.DateTimeFormat(LOCALE[lang], {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Helsinki",
  }).format(new Date(iso));
}

/** The path of a release's page. */
export const releasePath = (lang: Lang, id: number) => pathIn(lang, `/julkaisut/${id}`);

const FEED_LINK = `<link rel="alternate" type="application/atom+xml" title="Seuranta" href="/julkaisut.atom">`;

/** /julkaisut: every release, newest first, with the feed. */
export async function releasesPage(db: Queryable, lang: Lang): Promise<string> {
  const releases = await listReleases(db);
  const rows = releases
    .map(
      (
        r,
        i,
      ) => `<tr><th scope="row"><a href="${escapeHtml(releasePath(lang, r.id))}">${r.id}</a>${i === 0 ? ` (${T.latest[lang]})` : ""}</th>
<td>${escapeHtml(timeText(r.createdAt, lang))}</td><td>${escapeHtml(timeText(r.dataAsOf, lang))}</td>
<td class="num">${formatCount(r.changed)}</td><td class="num">${formatCount(r.figures)}</td><td class="num">${formatCount(r.loadIds.length)}</td></tr>`,
    )
    .join("\n");
  const table =
    releases.length === 0
      ? `<p>${T.none[lang]}</p>`
      : `<table><caption>${T.title[lang]}</caption>
<thead><tr><th scope="col">${T.release[lang]}</th><th scope="col">${T.made[lang]}</th><th scope="col">${T.dataAsOf[lang]}</th>
<th scope="col">${T.changed[lang]}</th><th scope="col">${T.figures[lang]}</th><th scope="col">${T.loads[lang]}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
  const body = `<h1>${T.title[lang]}</h1>
<p>${T.intro[lang]}</p>
<p><a href="/julkaisut.atom" type="application/atom+xml">${T.feed[lang]}</a></p>
${table}`;
  return layout({ title: T.title[lang], lang, path: "/julkaisut", body, head: FEED_LINK });
}

function areaText(areas: Areas, level: LevelName, code: string, lang: Lang): string {
  return `${areas.get(level, code)?.name[lang] ?? code} (${code})`;
}

function changesTable(
  caption: string,
  changes: FigureChange[],
  ctx: { lang: Lang; areas: Areas; catalogue: Catalogue; apiPath: string },
): string {
  const { lang, areas, catalogue } = ctx;
  if (changes.length === 0) return `<h2>${escapeHtml(caption)}</h2><p>${T.nothing[lang]}</p>`;
  const rows = changes.slice(0, MAX_ROWS).map((c) => {
    const def = catalogue.byId(c.indicator)?.definition;
    const decimals = def?.decimals ?? 1;
    const cell = (f: FigureChange["before"]) =>
      f === null ? "" : escapeHtml(formatPublished(f, decimals, lang));
    const category =
      c.category === null ? "" : ` · ${escapeHtml(def?.breakdown?.labels[c.category]?.[lang] ?? c.category)}`;
    return `<tr><td>${escapeHtml(def?.title[lang] ?? c.indicator)}${category}</td><td>${escapeHtml(areaText(areas, c.level, c.area, lang))}</td>
<td>${escapeHtml(formatPeriod(c.period))}</td><td class="num">${cell(c.before)}</td><td class="num">${cell(c.after)}</td></tr>`;
  });
  const more =
    changes.length > MAX_ROWS
      ? `<p>${escapeHtml(T.more[lang].replace("{n}", formatCount(changes.length - MAX_ROWS)))}: <a href="${escapeHtml(ctx.apiPath)}">${escapeHtml(ctx.apiPath)}</a></p>`
      : "";
  return `<h2>${escapeHtml(caption)}</h2>
<table><caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">${T.indicator[lang]}</th><th scope="col">${T.area[lang]}</th><th scope="col">${T.period[lang]}</th>
<th scope="col">${T.before[lang]}</th><th scope="col">${T.after[lang]}</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>${more}`;
}

/** /julkaisut/<id>: a release and what changed from the one before (published figures only). */
export async function releasePage(
  db: Queryable,
  lang: Lang,
  id: number,
  catalogue: Catalogue,
): Promise<string> {
  const changes = Number.isInteger(id) && id > 0 ? await releaseChanges(db, id, catalogue) : null;
  if (!changes)
    throw new HttpError(404, {
      fi: T.unknown.fi.replace("{id}", String(id)),
      sv: T.unknown.sv.replace("{id}", String(id)),
      en: T.unknown.en.replace("{id}", String(id)),
    });
  const r: Release = changes.release;
  const areas = await loadAreas(db);
  const apiPath = `/api/v1/releases/${id}/changes`;
  const ctx = { lang, areas, catalogue, apiPath };
  const kunnat = areas.byLevel.get("kunta");
  const dataRows = changes.data
    .map(
      (
        d,
      ) => `<tr><td>${escapeHtml(d.dataset)}</td><td>${escapeHtml(kunnat?.get(d.kunta)?.name[lang] ?? d.kunta)} (${escapeHtml(d.kunta)})</td>
<td>${escapeHtml(formatPeriod(d.quarter))}</td><td>${T[d.kind][lang]}</td></tr>`,
    )
    .join("\n");
  const data =
    changes.previous === null
      ? `<p>${T.first[lang]}</p>`
      : changes.data.length === 0
        ? `<p>${T.noData[lang]}</p>`
        : `<table><caption>${T.data[lang]}</caption><thead><tr><th scope="col">${T.dataset[lang]}</th><th scope="col">${T.kunta[lang]}</th>
<th scope="col">${T.quarter[lang]}</th><th scope="col">${T.kind[lang]}</th></tr></thead><tbody>${dataRows}</tbody></table>`;
  const added = Object.entries(changes.added);
  const addedList =
    added.length === 0
      ? `<p>${T.nothing[lang]}</p>`
      : `<ul>${added.map(([ind, n]) => `<li>${escapeHtml(catalogue.byId(ind)?.definition.title[lang] ?? ind)}: ${formatCount(n)} ${T.addedText[lang]}</li>`).join("")}</ul>`;
  const previous =
    changes.previous === null
      ? ""
      : `<dt>${T.previous[lang]}</dt><dd><a href="${escapeHtml(releasePath(lang, changes.previous))}">${changes.previous}</a></dd>`;
  const body = `<h1>${T.release[lang]} ${r.id}</h1>
<p><a href="${escapeHtml(pathIn(lang, "/julkaisut"))}">${T.title[lang]}</a></p>
<dl class="definition">
<dt>${T.made[lang]}</dt><dd>${escapeHtml(timeText(r.createdAt, lang))}</dd>
<dt>${T.dataAsOf[lang]}</dt><dd>${escapeHtml(timeText(r.dataAsOf, lang))}</dd>
<dt>${T.definitions[lang]}</dt><dd><code>${escapeHtml(r.definitionsVersion)}</code></dd>
<dt>${T.figures[lang]}</dt><dd>${formatCount(r.figures)} (${T.changed[lang].toLowerCase()} ${formatCount(r.changed)})</dd>
${previous}
</dl>
<h2>${T.data[lang]}</h2>
${data}
${changesTable(T.moved[lang], changes.moved, ctx)}
${changesTable(T.hidden[lang], changes.newlyHidden, ctx)}
${changesTable(T.shown[lang], changes.newlyShown, ctx)}
<h2>${T.added[lang]}</h2>
${addedList}
<p>${T.other[lang]} ${formatCount(changes.other)}</p>
<p class="notes">${T.hiddenNote[lang]}</p>
<p><a href="${escapeHtml(apiPath)}">${T.api[lang]}</a></p>`;
  return layout({
    title: `${T.release[lang]} ${r.id}`,
    lang,
    path: `/julkaisut/${id}`,
    body,
    head: FEED_LINK,
  });
}
