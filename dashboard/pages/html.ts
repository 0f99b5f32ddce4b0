import { LANG_NAMES, LANGS, type Lang, pathIn } from "../i18n.ts";
import { BASE_CSS } from "../theme.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const GROUP = new Intl.NumberFormat("fi-FI", { maximumFractionDigits: 0 });

/** A whole number in Finnish format (no-break space as the thousands separator). */
export function formatCount(n: number | bigint): string {
  return GROUP.format(n);
}

const NAV: { path: string; text: Record<Lang, string> }[] = [
  { path: "/", text: { fi: "Etusivu", sv: "Startsida", en: "Home" } },
  { path: "/ips", text: { fi: "IPS-arvioinnit", sv: "IPS-bedömningar", en: "IPS reviews" } },
  { path: "/tila", text: { fi: "Tietojen tila", sv: "Datastatus", en: "Data status" } },
  { path: "/raportit", text: { fi: "Raportit", sv: "Rapporter", en: "Reports" } },
  { path: "/julkaisut", text: { fi: "Julkaisut", sv: "Publiceringar", en: "Releases" } },
  { path: "/api", text: { fi: "API", sv: "API", en: "API" } },
];

const UI = {
  skip: { fi: "Siirry sisältöön", sv: "Gå till innehållet", en: "Skip to content" },
  tagline: {
    fi: "osatyökykyisten palvelujen seurantaindikaattorit",
    sv: "uppföljningsindikatorer för tjänster för partiellt arbetsföra",
    en: "follow-up indicators of services for people with partial work ability",
  },
  nav: { fi: "Päävalikko", sv: "Huvudmeny", en: "Main menu" },
  langs: { fi: "Kieli", sv: "Språk", en: "Language" },
  sources: {
    fi: "Lähde: Tilastokeskus (kuntaluokitus, väestö); THL, Sotkanet (väestö 2000–2022). Aineistot: kuntien ilmoittamat neljännesvuositiedot.",
    sv: "Källa: Statistikcentralen (kommunindelning, befolkning); THL, Sotkanet (befolkning 2000–2022). Data: kvartalsuppgifter från kommunerna.",
    en: "Source: Statistics Finland (municipalities, population); THL, Sotkanet (population 2000–2022). Data: quarterly figures reported by the municipalities.",
  },
} as const;

/**
 * The pages' one optional script (dashboard/static/seuranta.js, served by routes/script.ts): auto-submit
 * of the choice forms and tooltips on chart marks. The CSP allows it as `script-src 'self'`; every page
 * works without it.
 */
export const SCRIPT_PATH = "/seuranta.js";
export const SCRIPT_TAG = `<script src="${SCRIPT_PATH}" defer></script>`;

/**
 * Where the signed-in user's bar and the demo-mode banner go. Pages are pure functions of the URL and
 * the data (so they can be cached); dashboard/auth/userbar.ts fills these slots per request.
 */
export const SESSION_SLOT = "<!--seuranta:session-->";
export const BANNER_SLOT = "<!--seuranta:banner-->";

export interface Page {
  title: string;
  lang: Lang;
  /** The page's path without the language prefix, for the language switch. */
  path: string;
  body: string;
  /** Extra markup for <head> (a page's own style sheet). */
  head?: string;
}

/**
 * Every table in a box that scrolls sideways on a narrow screen (the page itself does not); the box
 * takes the keyboard focus so that it can be scrolled without a mouse.
 */
function scrollableTables(body: string): string {
  return body
    .replace(/<table(?=[\s>])/g, '<div class="table-scroll" tabindex="0"><table')
    .replaceAll("</table>", "</table></div>");
}

/** A document's start up to </head>: language, title, the base style sheet, the script, and `head`. */
export function documentHead(lang: Lang, title: string, head: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} – Seuranta</title>
<style>${BASE_CSS}</style>
${SCRIPT_TAG}
${head}</head>`;
}

/** The frame of every page: language, skip link, header with navigation and language switch, footer. */
export function layout(page: Page): string {
  const { lang } = page;
  const nav = NAV.map(
    (n) => `<li><a href="${escapeHtml(pathIn(lang, n.path))}">${escapeHtml(n.text[lang])}</a></li>`,
  ).join("");
  const langs = LANGS.map(
    (l) =>
      `<li><a href="${escapeHtml(pathIn(l, page.path))}" lang="${l}" hreflang="${l}"${l === lang ? ' aria-current="true"' : ""}>${escapeHtml(LANG_NAMES[l])}</a></li>`,
  ).join("");
  return `${documentHead(lang, page.title, page.head ?? "")}
<body>
<a class="skip" href="#main">${escapeHtml(UI.skip[lang])}</a>
<header class="site">
  <div><strong><a href="${escapeHtml(pathIn(lang, "/"))}">Seuranta</a></strong> · ${escapeHtml(UI.tagline[lang])}</div>
  <nav aria-label="${escapeHtml(UI.nav[lang])}"><ul>${nav}</ul></nav>
  <nav aria-label="${escapeHtml(UI.langs[lang])}" class="lang-switch"><ul>${langs}</ul></nav>
  ${SESSION_SLOT}
</header>
${BANNER_SLOT}
<main id="main">
${scrollableTables(page.body)}
</main>
<footer class="site">${escapeHtml(UI.sources[lang])}</footer>
</body>
</html>
`;
}
