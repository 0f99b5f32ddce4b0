import type { Lang, Localised } from "../core/lang.ts";
import type { Unit } from "./definition.ts";
import type { PublishedValue } from "./suppress/publish.ts";
import type { Status } from "./suppress/status.ts";

/**
 * How values are written for people, in one place: numbers, values with their unit, changes, periods,
 * statuses and the shared words (value, municipality, period, unit, status). Pages, charts' text
 * alternatives, the CLI and the export files all write through these, so a value reads the same
 * everywhere: `12,5 %` in Finnish, `12.5 %` in English, `12 lkm` for a count.
 */

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

/** The unit of a change of a percentage: percentage points. */
const PERCENTAGE_POINTS: Localised = { fi: "%-yks.", sv: "procentenheter", en: "percentage points" };

/**
 * A number with its unit after a no-break space: `12,5 %`, `12.5 %`, `3,1 / 1 000 as.`, `12 lkm`.
 * Without a unit, the number alone.
 */
export function formatValue(value: number, decimals: number, unit: Unit | undefined, lang: Lang): string {
  const n = formatNumber(value, decimals, lang);
  return unit === undefined ? n : `${n}\u00a0${UNIT_TEXT[unit][lang]}`;
}

/**
 * A change, signed and rounded as the values are, in the unit (percentage points for a percentage):
 * `+1,2 %-yks.`, `−0,4 / 1 000 as.`, `±0 lkm`. A change that rounds to zero is `±0`, never `−0,0`.
 */
export function formatChange(delta: number, decimals: number, unit: Unit | undefined, lang: Lang): string {
  const rounded = Number(delta.toFixed(decimals));
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
  const n = `${sign}${formatNumber(Math.abs(rounded), decimals, lang)}`;
  if (unit === undefined) return n;
  return `${n}\u00a0${unit === "percent" ? PERCENTAGE_POINTS[lang] : UNIT_TEXT[unit][lang]}`;
}

/** A period label as read: `2024Q1` → `2024 Q1`, `2023Q2-2024Q1` → `2023 Q2–2024 Q1`, `2024` → `2024`. */
export function formatPeriod(label: string): string {
  return label
    .trim()
    .toUpperCase()
    .replace(/(\d{4})\s*Q([1-4])/g, "$1 Q$2")
    .replace(/\s*-\s*/g, "–");
}

/** The same period a year earlier: `2024Q1` → `2023Q1`, `2024` → `2023`, `2023Q2-2024Q1` → `2022Q2-2023Q1`. */
export function yearEarlier(period: string): string {
  return period.replace(/\d{4}/g, (y) => String(Number(y) - 1));
}

/** How each status of a value is written for people. */
export const STATUS_TEXT: Record<Status, Localised> = {
  value: { fi: "arvo", sv: "värde", en: "value" },
  zero: { fi: "nolla", sv: "noll", en: "zero" },
  suppressed: { fi: "peitetty", sv: "dolt", en: "suppressed" },
  missing: { fi: "ei ilmoitettu", sv: "inte rapporterat", en: "not reported" },
  not_computable: { fi: "ei laskettavissa", sv: "kan inte beräknas", en: "not computable" },
};

/** The words every output shares: column headings of the files, labels of the pages. */
export const TERMS = {
  indicator: { fi: "indikaattori", sv: "indikator", en: "indicator" },
  level: { fi: "taso", sv: "nivå", en: "level" },
  areaCode: { fi: "aluekoodi", sv: "områdeskod", en: "area code" },
  area: { fi: "alue", sv: "område", en: "area" },
  period: { fi: "jakso", sv: "period", en: "period" },
  value: { fi: "arvo", sv: "värde", en: "value" },
  unit: { fi: "yksikkö", sv: "enhet", en: "unit" },
  status: { fi: "tila", sv: "status", en: "status" },
  municipalities: { fi: "kuntia", sv: "kommuner", en: "municipalities" },
  reportingMunicipalities: {
    fi: "ilmoittaneet kunnat",
    sv: "kommuner som rapporterat",
    en: "municipalities reporting",
  },
  note: { fi: "huomautus", sv: "anmärkning", en: "note" },
} as const satisfies Record<string, Localised>;

/** The same terms as headings and labels on the pages (capitalised). */
export const LABELS = {
  value: { fi: "Arvo", sv: "Värde", en: "Value" },
  municipality: { fi: "Kunta", sv: "Kommun", en: "Municipality" },
  period: { fi: "Jakso", sv: "Period", en: "Period" },
  unit: { fi: "Yksikkö", sv: "Enhet", en: "Unit" },
  status: { fi: "Tila", sv: "Status", en: "Status" },
  area: { fi: "Alue", sv: "Område", en: "Area" },
} as const satisfies Record<string, Localised>;
