import type { Localised } from "../pipelines/datasets/dataset.ts";
import type { Unit } from "./definition.ts";
import type { PublishedValue } from "./suppress/publish.ts";

type Lang = keyof Localised;

const LOCALES: Record<Lang, string> = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };

/** A number as written in the language (8,8 in Finnish and Swedish, 8.8 in English). */
export function formatNumber(value: number, decimals: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: true,
  }).format(value);
}

/** A published value as a table cell: the rounded number, or its symbol (`..`, `.`, `–`). */
export function formatPublished(v: Pick<PublishedValue, "value" | "symbol">, decimals: number, lang: Lang) {
  if (v.value === null) return v.symbol ?? "";
  return formatNumber(v.value, decimals, lang);
}

/** The unit written after a value in text. */
export const UNIT_TEXT: Record<Unit, Localised> = {
  percent: { fi: "%", sv: "%", en: "%" },
  per1000: { fi: "/ 1 000 as.", sv: "/ 1 000 inv.", en: "per 1,000" },
  per10000: { fi: "/ 10 000 as.", sv: "/ 10 000 inv.", en: "per 10,000" },
  count: { fi: "lkm", sv: "antal", en: "count" },
};
