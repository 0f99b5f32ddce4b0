import type { Unit } from "../../indicators/definition.ts";
import { formatValue, UNIT_TEXT } from "../../indicators/format.ts";
import type { Lang } from "../i18n.ts";
import type { ChartValue } from "./types.ts";

/**
 * The words of the charts' text alternatives: the chart kinds, the summary's words, and the sentence
 * that says how many values are not shown and why. Values, changes and periods are written by
 * indicators/format.ts, as on the pages.
 */

/** A value that may be drawn. Anything with a symbol is hidden even if a number came with it. */
export function shownValue(v: ChartValue): number | null {
  if (v.symbol !== null && v.symbol !== undefined) return null;
  return v.value !== null && Number.isFinite(v.value) ? v.value : null;
}

/** The symbol written in place of a hidden value (`..` when none was given). */
export function hiddenSymbol(v: ChartValue): string {
  return v.symbol ?? "..";
}

const REASONS: Record<string, Record<Lang, string>> = {
  "..": {
    fi: "suojattu pienten lukujen vuoksi",
    sv: "skyddade på grund av små tal",
    en: "suppressed to protect small numbers",
  },
  ".": { fi: "ei raportoitu", sv: "inte rapporterade", en: "not reported" },
  "–": { fi: "ei laskettavissa", sv: "kan inte beräknas", en: "not computable" },
};

/** Legend notes for the symbols that appear in a chart: `.. suojattu pienten lukujen vuoksi`. */
export function symbolNotes(symbols: Iterable<string>, lang: Lang): string[] {
  return [...new Set(symbols)].sort().map((s) => `${s} ${reasonOf(s, lang)}`);
}

/** Texts of the charts in each language. */
export const T = {
  fi: {
    unit: "yksikkö",
    timeSeries: "Viivakaavio",
    bars: "Pylväskaavio",
    map: "Kartta",
    series: (n: number) => (n === 1 ? "1 aikasarja" : `${n} aikasarjaa`),
    latest: "viimeisin",
    highest: "korkein",
    lowest: "matalin",
    first: "ensimmäinen",
    changeYear: "muutos vuodentakaisesta",
    changePrev: "muutos edellisestä",
    noValues: "ei näytettäviä arvoja",
    range: "vaihteluväli",
    municipalities: (n: number) => (n === 1 ? "1 kunta" : `${n} kuntaa`),
    areas: (n: number) => (n === 1 ? "1 alue" : `${n} aluetta`),
    sortedBy: "järjestetty arvon mukaan suurimmasta pienimpään",
    mapOf: "kuntien arvot värisävyinä, tummempi on suurempi",
    notShownValues: (n: number) => (n === 1 ? "1 arvo ei näy" : `${n} arvoa ei näy`),
    notShownGrey: "harmaalla",
    legendHidden: "ei näytetä",
    highlighted: "korostettu",
    rank: (n: number, of: number) => `sijalla ${n}/${of}`,
  },
  sv: {
    unit: "enhet",
    timeSeries: "Linjediagram",
    bars: "Stapeldiagram",
    map: "Karta",
    series: (n: number) => (n === 1 ? "1 tidsserie" : `${n} tidsserier`),
    latest: "senaste",
    highest: "högsta",
    lowest: "lägsta",
    first: "första",
    changeYear: "förändring från året innan",
    changePrev: "förändring från föregående",
    noValues: "inga värden att visa",
    range: "variationsbredd",
    municipalities: (n: number) => (n === 1 ? "1 kommun" : `${n} kommuner`),
    areas: (n: number) => (n === 1 ? "1 område" : `${n} områden`),
    sortedBy: "sorterade efter värde från störst till minst",
    mapOf: "kommunernas värden som färgnyanser, mörkare är större",
    notShownValues: (n: number) => (n === 1 ? "1 värde visas inte" : `${n} värden visas inte`),
    notShownGrey: "i grått",
    legendHidden: "visas inte",
    highlighted: "markerad",
    rank: (n: number, of: number) => `plats ${n} av ${of}`,
  },
  en: {
    unit: "unit",
    timeSeries: "Line chart",
    bars: "Bar chart",
    map: "Map",
    series: (n: number) => (n === 1 ? "1 series" : `${n} series`),
    latest: "latest",
    highest: "highest",
    lowest: "lowest",
    first: "first",
    changeYear: "change from a year earlier",
    changePrev: "change from the previous period",
    noValues: "no values to show",
    range: "range",
    municipalities: (n: number) => (n === 1 ? "1 municipality" : `${n} municipalities`),
    areas: (n: number) => (n === 1 ? "1 area" : `${n} areas`),
    sortedBy: "sorted by value from highest to lowest",
    mapOf: "municipalities' values as shades, darker is higher",
    notShownValues: (n: number) => (n === 1 ? "1 value is not shown" : `${n} values are not shown`),
    notShownGrey: "in grey",
    legendHidden: "not shown",
    highlighted: "highlighted",
    rank: (n: number, of: number) => `rank ${n} of ${of}`,
  },
} as const;

/** The unit as named in the opening sentence. */
export function unitName(unit: Unit, lang: Lang): string {
  return `${T[lang].unit} ${UNIT_TEXT[unit][lang]}`;
}

/** The name of a reason for a symbol (`..` → "suppressed to protect small numbers"). */
export function reasonOf(symbol: string, lang: Lang): string {
  return (REASONS[symbol] ?? REASONS[".."])?.[lang] ?? symbol;
}

/**
 * "3 values are not shown: 2 suppressed to protect small numbers (Area 2024 Q1, …), 1 not reported (…)."
 * `names` are listed when there are at most `maxNames` of a reason; otherwise only the count.
 */
export function hiddenSentence(
  hidden: { symbol: string; name: string }[],
  lang: Lang,
  opts: { maxNames?: number; suffix?: string } = {},
): string {
  if (hidden.length === 0) return "";
  const maxNames = opts.maxNames ?? 12;
  const bySymbol = new Map<string, string[]>();
  for (const h of hidden) {
    const list = bySymbol.get(h.symbol) ?? [];
    list.push(h.name);
    bySymbol.set(h.symbol, list);
  }
  const parts = [...bySymbol.entries()].map(([symbol, names]) => {
    const listed = names.length <= maxNames ? ` (${names.join(", ")})` : "";
    return `${names.length} ${reasonOf(symbol, lang)}, ${symbol}${listed}`;
  });
  const suffix = opts.suffix ? ` ${opts.suffix}` : "";
  return `${T[lang].notShownValues(hidden.length)}${suffix}: ${parts.join("; ")}.`;
}

/** Ends a sentence with a full stop unless it already ends with one (`1 000 as.`). */
export function fullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Capitalises the first letter (sentences built from lower-case pieces). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The summary's sentence on the highest and lowest shown value, or that nothing is shown. */
export function extremesSentence(
  sorted: { name: string; value: number | null }[],
  decimals: number,
  unit: Unit,
  lang: Lang,
): string {
  const t = T[lang];
  const top = sorted[0];
  const bottom = sorted[sorted.length - 1];
  if (!top || !bottom) return `${sentence(t.noValues)}.`;
  const value = (v: number | null) => formatValue(v ?? 0, decimals, unit, lang);
  return fullStop(
    `${sentence(t.highest)} ${top.name} ${value(top.value)}, ${t.lowest} ${bottom.name} ${value(bottom.value)}`,
  );
}
