import { LABELS } from "../../indicators/format.ts";
import type { Publication } from "../../indicators/release/publication.ts";
import type { FileReport } from "../../pipelines/report.ts";
import type { Principal } from "../auth/principal.ts";
import { type Lang, pathIn } from "../i18n.ts";
import type { LoadEntry } from "../loads/history.ts";
import type { KeySummary } from "../upload/summary.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";
import { publicationBox } from "./publication.ts";
import { reportHtml } from "./report.ts";

const T = {
  title: { fi: "Lataushistoria", sv: "Laddningshistorik", en: "Load history" },
  own: {
    fi: "Omat lähetyksesi, uusin ensin.",
    sv: "Dina egna filer, de senaste först.",
    en: "The files you sent, newest first.",
  },
  all: {
    fi: "Kaikki lataukset (lomake, saapuneet-kansio, komentorivi), uusin ensin.",
    sv: "Alla laddningar (formulär, inkorg, kommandorad), de senaste först.",
    en: "Every load (upload, inbox, command line), newest first.",
  },
  none: { fi: "Ei latauksia vielä.", sv: "Inga laddningar ännu.", en: "No loads yet." },
  signIn: {
    fi: "Lataushistoria näkyy kirjautuneelle käyttäjälle.",
    sv: "Laddningshistoriken visas för inloggade användare.",
    en: "The load history is shown to signed-in users.",
  },
  signInLink: { fi: "Kirjaudu sisään", sv: "Logga in", en: "Sign in" },
  when: { fi: "Vastaanotettu (UTC)", sv: "Mottagen (UTC)", en: "Received (UTC)" },
  file: { fi: "Tiedosto", sv: "Fil", en: "File" },
  dataset: { fi: "Aineisto", sv: "Datamängd", en: "Dataset" },
  status: LABELS.status,
  rows: { fi: "Rivejä", sv: "Rader", en: "Rows" },
  replaced: { fi: "Korvatut avaimet", sv: "Ersatta nycklar", en: "Keys replaced" },
  problems: { fi: "Virheitä / varoituksia", sv: "Fel / varningar", en: "Errors / warnings" },
  sender: { fi: "Lähettäjä", sv: "Avsändare", en: "Sender" },
  report: { fi: "Raportti", sv: "Rapport", en: "Report" },
  open: { fi: "avaa", sv: "öppna", en: "open" },
  loaded: { fi: "ladattu", sv: "laddad", en: "loaded" },
  rejected: { fi: "hylätty", sv: "avvisad", en: "rejected" },
  reportTitle: { fi: "Latauksen raportti", sv: "Laddningens rapport", en: "Report of load" },
  back: { fi: "Takaisin lataushistoriaan", sv: "Tillbaka till historiken", en: "Back to the load history" },
  sentBy: { fi: "Lähetti", sv: "Skickad av", en: "Sent by" },
  via: { fi: "kautta", sv: "via", en: "via" },
  notFound: {
    fi: "Tällaista latausta ei ole, tai sen on lähettänyt joku muu.",
    sv: "Det finns ingen sådan laddning, eller så skickades den av någon annan.",
    en: "There is no such load, or someone else sent it.",
  },
  adminTitle: {
    fi: "Viimeisimmät tiedostot (ylläpitäjälle)",
    sv: "Senaste filerna (för administratören)",
    en: "Latest files (administrators only)",
  },
  adminNote: {
    fi: "Tiedostojen nimet, lähettäjät ja virheet näkyvät vain ylläpitäjälle.",
    sv: "Filnamn, avsändare och fel visas endast för administratören.",
    en: "File names, senders and errors are shown to administrators only.",
  },
  newer: { fi: "Uudemmat", sv: "Nyare", en: "Newer" },
  older: { fi: "Vanhemmat", sv: "Äldre", en: "Older" },
} as const;

const SOURCE: Record<string, Record<Lang, string>> = {
  upload: { fi: "lomake", sv: "formulär", en: "upload" },
  inbox: { fi: "saapuneet-kansio", sv: "inkorg", en: "inbox" },
  cli: { fi: "komentorivi", sv: "kommandorad", en: "command line" },
  demo: { fi: "esittelyaineisto", sv: "demo", en: "demo" },
};

/** The page for someone not signed in. */
export function loadsSignInPage(lang: Lang, path: string): string {
  return layout({
    title: T.title[lang],
    lang,
    path,
    body: `<h1>${T.title[lang]}</h1><p class="notice">${T.signIn[lang]} <a href="${pathIn(lang, "/kirjaudu")}?next=${encodeURIComponent(pathIn(lang, path))}">${T.signInLink[lang]}</a></p>`,
  });
}

/** The answer for a load that does not exist or belongs to someone else (the two are not told apart). */
export function loadNotFoundPage(lang: Lang, loadId: number): string {
  return layout({
    title: T.reportTitle[lang],
    lang,
    path: `/lataukset/${loadId}`,
    body: `<h1>${T.reportTitle[lang]} ${loadId}</h1><p class="notice">${T.notFound[lang]}</p><p><a href="${pathIn(lang, "/lataukset")}">${T.back[lang]}</a></p>`,
  });
}

/** The table of loads (with the sender for admins) linking to each load's report. */
export function loadsTable(lang: Lang, principal: Principal, loads: LoadEntry[], caption?: string): string {
  const admin = principal.role === "admin";
  if (loads.length === 0) return `<p>${T.none[lang]}</p>`;
  const rows = loads
    .map((l) => {
      const keys = l.keys_replaced.map((k) => Object.values(k).join(" ")).join("; ");
      return `<tr><td>${escapeHtml(l.received_at.replace("T", " ").replace("Z", ""))}</td><td>${escapeHtml(l.file)}</td><td>${escapeHtml(l.dataset ?? "–")}</td><td>${l.status === "loaded" ? T.loaded[lang] : `<strong>${T.rejected[lang]}</strong>`}</td><td class="num">${formatCount(l.rows)}</td><td>${escapeHtml(keys || "–")}</td><td class="num">${formatCount(l.errors)} / ${formatCount(l.warnings)}</td>${admin ? `<td>${escapeHtml(l.sender)} (${escapeHtml(SOURCE[l.source]?.[lang] ?? l.source)})</td>` : ""}<td><a href="${pathIn(lang, `/lataukset/${l.load_id}`)}">${T.open[lang]}<span class="visually-hidden"> ${escapeHtml(l.file)}</span></a></td></tr>`;
    })
    .join("\n");
  return `<table><caption>${caption ?? (admin ? T.all[lang] : T.own[lang])}</caption>
<thead><tr><th scope="col">${T.when[lang]}</th><th scope="col">${T.file[lang]}</th><th scope="col">${T.dataset[lang]}</th><th scope="col">${T.status[lang]}</th><th scope="col" class="num">${T.rows[lang]}</th><th scope="col">${T.replaced[lang]}</th><th scope="col" class="num">${T.problems[lang]}</th>${admin ? `<th scope="col">${T.sender[lang]}</th>` : ""}<th scope="col">${T.report[lang]}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** The load history: own loads for an analyst, every load (with the sender) for an admin. */
export function loadsPage(
  lang: Lang,
  principal: Principal,
  history: { total: number; loads: LoadEntry[] },
  page: { limit: number; offset: number },
): string {
  const base = pathIn(lang, "/lataukset");
  const links = [
    page.offset > 0
      ? `<a href="${base}?offset=${Math.max(0, page.offset - page.limit)}">${T.newer[lang]}</a>`
      : "",
    page.offset + page.limit < history.total
      ? `<a href="${base}?offset=${page.offset + page.limit}">${T.older[lang]}</a>`
      : "",
  ].filter(Boolean);
  return layout({
    title: T.title[lang],
    lang,
    path: "/lataukset",
    body: `<h1>${T.title[lang]}</h1>\n${loadsTable(lang, principal, history.loads)}\n${links.length ? `<nav aria-label="${T.title[lang]}"><p>${links.join(" · ")}</p></nav>` : ""}`,
  });
}

/** The status page's part for admins only: the latest files by name, with their senders and reports. */
export function adminLoadsSection(lang: Lang, principal: Principal, loads: LoadEntry[]): string {
  return `<section aria-labelledby="admin-loads"><h2 id="admin-loads">${T.adminTitle[lang]}</h2>
<p>${T.adminNote[lang]}</p>
${loadsTable(lang, principal, loads, T.adminTitle[lang])}
<p><a href="${pathIn(lang, "/lataukset")}">${T.title[lang]}</a></p></section>`;
}

/** An earlier load's report, opened again from the history. */
export function loadReportPage(
  lang: Lang,
  loadId: number,
  entry: { received_at: string; sender: string; source: string },
  report: FileReport,
  summary: KeySummary[],
  publication: Publication | null,
): string {
  return layout({
    title: `${T.reportTitle[lang]} ${loadId}: ${report.file}`,
    lang,
    path: `/lataukset/${loadId}`,
    body: `<h1>${T.reportTitle[lang]} ${loadId}</h1>
<p>${escapeHtml(entry.received_at.replace("T", " ").replace("Z", " UTC"))} · ${T.sentBy[lang]}: ${escapeHtml(entry.sender)} (${escapeHtml(SOURCE[entry.source]?.[lang] ?? entry.source)})</p>
${reportHtml(report, summary, lang)}
${publication ? publicationBox(publication, lang, null) : ""}
<p><a href="${pathIn(lang, "/lataukset")}">${T.back[lang]}</a></p>`,
  });
}
