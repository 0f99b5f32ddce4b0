/** The languages of Seuranta: Finnish first, then Swedish and English. */
export const LANGS = ["fi", "sv", "en"] as const;

/** One of the languages. */
export type Lang = (typeof LANGS)[number];

/** A text in every language. */
export type Localised = Record<Lang, string>;
