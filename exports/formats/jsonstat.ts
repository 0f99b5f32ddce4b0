import type { Lang } from "../../core/lang.ts";
import { LABELS } from "../../indicators/format.ts";
import { exportTitle, metadataLines, UNSUPPRESSED_NOTICE } from "../metadata.ts";
import { periodsOf, type Report } from "../report.ts";
import { ipsTableRows, kuntaName, levelTitle, selectionText, unitText } from "../table.ts";

const D = {
  indicator: { fi: "Indikaattori", sv: "Indikator", en: "Indicator" },
  area: LABELS.area,
  period: LABELS.period,
} as const;

/** The id of an indicator cell in the indicator dimension: the id, or `id:category` for a breakdown cell. */
export function indicatorCellId(indicator: string, category: string | null): string {
  return category ? `${indicator}:${category}` : indicator;
}

/** The id of an area in the area dimension: `level:code` (county and employment area codes overlap). */
export function areaId(level: string, code: string): string {
  return `${level}:${code}`;
}

/**
 * The report as a JSON-stat 2.0 dataset (as Statistics Finland's PxWeb API answers): dimensions
 * indicator × area × period, `value` in row-major order with null where no number is shown and
 * `status` for those cells: `..` suppressed, `.` not reported, `–` not computable (a zero is the value
 * 0 with no status; a cell with no row at all is null with no status). Breakdown cells are their own
 * categories of the indicator dimension (`vp-tyohonvalmennus:kehitysvammaiset`). The metadata is in
 * `updated` (data as of), `note` (the lines people read) and `extension.seuranta` (for machines,
 * with each cell's reason code, numerator and denominator). The IPS fidelity reviews, whose units and
 * review dates are not areas and periods, are `extension.seuranta.ips`: the rows the tabular formats
 * write for them (exports/ips.ts).
 */
export async function jsonStat(report: Report, lang: Lang): Promise<Buffer> {
  const meta = report.metadata;
  const indicatorIds: string[] = [];
  const indicatorLabels: Record<string, string> = {};
  const units: Record<string, { label: string; decimals: number }> = {};
  for (const { definition: d } of report.definitions) {
    const cells: [string | null, string][] = [
      [null, d.title[lang]],
      ...Object.entries(d.breakdown?.labels ?? {}).map(
        ([code, label]) => [code, `${d.title[lang]}: ${label[lang]}`] as [string, string],
      ),
    ];
    for (const [category, label] of cells) {
      const id = indicatorCellId(d.id, category);
      indicatorIds.push(id);
      indicatorLabels[id] = label;
      units[id] = { label: unitText(d.unit, lang), decimals: d.decimals };
    }
  }
  const areaIds: string[] = [];
  const areaLabels: Record<string, string> = {};
  const areaLevels: Record<string, string> = {};
  for (const v of report.rows) {
    const id = areaId(v.level, v.area);
    if (id in areaLabels) continue;
    areaIds.push(id);
    areaLabels[id] = v.areaName[lang];
    areaLevels[id] = levelTitle(v.level, lang);
  }
  const periods = periodsOf(report.selection);
  const index = (ids: string[]) => Object.fromEntries(ids.map((id, i) => [id, i]));
  const iIndex = index(indicatorIds);
  const aIndex = index(areaIds);
  const pIndex = index(periods);
  const size = [indicatorIds.length, areaIds.length, periods.length];
  const n = size.reduce((a, b) => a * b, 1);
  const value: (number | null)[] = new Array(n).fill(null);
  const numerator: (number | null)[] = new Array(n).fill(null);
  const denominator: (number | null)[] = new Array(n).fill(null);
  const status: Record<string, string> = {};
  const reason: Record<string, string> = {};
  for (const v of report.rows) {
    const i = iIndex[indicatorCellId(v.indicator, v.category)];
    const a = aIndex[areaId(v.level, v.area)];
    const p = pIndex[v.period];
    if (i === undefined || a === undefined || p === undefined) continue;
    const at = (i * areaIds.length + a) * periods.length + p;
    value[at] = v.value;
    numerator[at] = v.numerator;
    denominator[at] = v.denominator;
    if (v.value === null && v.symbol) status[at] = v.symbol;
    if (v.reason) reason[at] = v.reason;
  }
  const title = `${exportTitle(lang)} – ${selectionText(report, lang)}`;
  const dataset = {
    version: "2.0",
    class: "dataset",
    label: meta.suppressionApplied ? title : `${UNSUPPRESSED_NOTICE}: ${title}`,
    source: "Seuranta",
    ...(meta.dataAsOf ? { updated: meta.dataAsOf } : {}),
    note: metadataLines(meta, lang, {
      selection: selectionText(report, lang),
      kuntaName: kuntaName(report, lang),
    }).map(([label, text]) => (text === "" ? label : `${label}: ${text}`)),
    id: ["indicator", "area", "period"],
    size,
    role: { time: ["period"], geo: ["area"], metric: ["indicator"] },
    dimension: {
      indicator: {
        label: D.indicator[lang],
        category: { index: iIndex, label: indicatorLabels, unit: units },
      },
      area: {
        label: D.area[lang],
        category: { index: aIndex, label: areaLabels },
        extension: { level: areaLevels },
      },
      period: {
        label: D.period[lang],
        category: { index: pIndex, label: Object.fromEntries(periods.map((p) => [p, p])) },
      },
    },
    value,
    status,
    extension: {
      seuranta: {
        data_as_of: meta.dataAsOf,
        definitions_version: meta.definitionsVersion,
        release: meta.release,
        definitions: meta.definitions,
        suppression_threshold: meta.suppressionThreshold,
        suppression_applied: meta.suppressionApplied,
        ...(meta.suppressionApplied ? {} : { notice: UNSUPPRESSED_NOTICE }),
        not_reported: meta.notReported,
        status_codes: { "..": "suppressed", ".": "missing", "–": "not_computable" },
        reason,
        numerator,
        denominator,
        ips: ipsTableRows(report, lang),
      },
    },
  };
  return Buffer.from(`${JSON.stringify(dataset)}\n`, "utf8");
}
