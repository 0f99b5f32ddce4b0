import { LANGS, type Lang, type Localised } from "../core/lang.ts";

// the pages' languages are core/lang.ts's: Finnish first (no prefix), Swedish under /sv, English under /en
export { LANGS, type Lang };

/** The URL of a page path in a language: `/indikaattorit` → `/sv/indikaattorit`. */
export function pathIn(lang: Lang, path: string): string {
  const clean = path.startsWith("/") ? path : `/${path}`;
  return lang === "fi" ? clean : `/${lang}${clean === "/" ? "" : clean}` || `/${lang}`;
}

/** The language of a page URL (its prefix). */
export function langOfUrl(url: string): Lang {
  const prefix = /^\/(sv|en)(?:[/?#]|$)/.exec(url)?.[1];
  return (LANGS as readonly string[]).includes(prefix ?? "") ? (prefix as Lang) : "fi";
}

/** The page's own path of a URL, without its language prefix and query: `/sv/alue/x?a=1` → `/alue/x`. */
export function pagePathOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? "/";
  const lang = langOfUrl(path);
  return lang === "fi" ? path : path.slice(lang.length + 1) || "/";
}

/** Registers a page route in every language: `/x`, `/sv/x`, `/en/x`. */
export function localisedPaths(path: string): { lang: Lang; url: string }[] {
  return LANGS.map((lang) => ({ lang, url: pathIn(lang, path) }));
}

/** Picks the text of a language. */
export function tr(text: Localised, lang: Lang): string {
  return text[lang];
}

/** Names of the languages as shown in the language switch (each in its own language). */
export const LANG_NAMES: Record<Lang, string> = { fi: "Suomeksi", sv: "På svenska", en: "In English" };
