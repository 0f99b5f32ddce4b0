import type { Queryable } from "../core/db.ts";
import type { Lang, Localised } from "../core/lang.ts";
import { quarterIndex } from "../core/quarter.ts";
import { bandName, IPS_BANDS, type IpsUnit, readIpsUnits, unitsByBand } from "../indicators/ips/reviews.ts";
import { IPS_ITEMS } from "../pipelines/datasets/ips.ts";
import type { ExportSelection } from "./report.ts";

/**
 * The IPS fidelity reviews in a report (dataset `ips`, indicators/ips/reviews.ts): every unit's reviews
 * whose date falls in the selection's quarters, as the release the report is pinned to published them
 * (or as loaded). A unit is not a person, so its scores are exported as they are; its client count is
 * hidden when small, and the clients per specialist with it. Units are never summed over clients.
 */

/** The ids the reviews carry in an export's indicator column (see ipsRows). */
export const IPS_EXPORT_IDS = {
  total: "ips-pisteet",
  caseload: "ips-asiakkaita-per-valmentaja",
  units: "ips-yksikot",
} as const;

/** The selection's quarters as an inclusive range of quarter indexes. */
function quarterRange(selection: ExportSelection): [number, number] {
  const p = selection.period;
  if (p.kind === "year") return [p.year * 4, p.year * 4 + 3];
  const qi = (text: string) =>
    quarterIndex({ year: Number(text.slice(0, 4)), quarter: Number(text.slice(5)) });
  return [qi(p.from), qi(p.to)];
}

/**
 * The units with their reviews in the selection's quarters (units without one left out). `threshold`
 * 0 hides nothing (an admin's unsuppressed export); `release` reads the reviews a release published.
 */
export async function collectIps(
  db: Queryable,
  selection: ExportSelection,
  options: { threshold: number; release: number | null },
): Promise<IpsUnit[]> {
  const [from, to] = quarterRange(selection);
  const inRange = (date: string) => {
    const qi = Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3);
    return qi >= from && qi <= to;
  };
  return (await readIpsUnits(db, options.threshold, options.release))
    .map((u) => ({ ...u, reviews: u.reviews.filter((r) => inRange(r.date)) }))
    .filter((u) => u.reviews.length > 0);
}

/** One figure of the reviews in the shape of an export's table row (exports/table.ts TableRow). */
export interface IpsFigure {
  indicator: string;
  category: string;
  level: "yksikko" | "hyvinvointialue";
  area: string;
  areaName: string;
  periodType: "review" | "year" | "quarters";
  period: string;
  value: number | null;
  unit: "points" | "per_specialist" | "count";
  numerator: number | null;
  denominator: number | null;
  hidden: boolean;
  note: string;
}

const REVIEW_KIND: Record<string, Localised> = {
  ulkoinen: { fi: "ulkoinen arviointi", sv: "extern bedömning", en: "external review" },
  itsearviointi: { fi: "itsearviointi", sv: "självbedömning", en: "self-review" },
};

/**
 * The figures of the reviews: per review its total (category "") and item scores (category `k01`…),
 * its clients per specialist (numerator the clients, denominator the specialists: hidden when the
 * client count is small); per county the units by the band of their latest review in the selection.
 */
export function ipsFigures(units: IpsUnit[], lang: Lang, periodLabel: string, year: boolean): IpsFigure[] {
  const out: IpsFigure[] = [];
  for (const unit of units) {
    const base = {
      level: "yksikko" as const,
      area: unit.yksikko,
      areaName: `${unit.name} (${unit.kuntaName[lang]})`,
      periodType: "review" as const,
    };
    for (const r of unit.reviews) {
      const note = `${bandName(r.band)[lang]}; ${REVIEW_KIND[r.kind]?.[lang] ?? r.kind}`;
      const score = { ...base, indicator: IPS_EXPORT_IDS.total, period: r.date, unit: "points" as const };
      out.push({
        ...score,
        category: "",
        value: r.total,
        numerator: null,
        denominator: null,
        hidden: false,
        note,
      });
      IPS_ITEMS.forEach((item, i) => {
        const value = r.items[i] ?? null;
        out.push({
          ...score,
          category: item.id,
          value,
          numerator: null,
          denominator: null,
          hidden: false,
          note: "",
        });
      });
      out.push({
        ...base,
        indicator: IPS_EXPORT_IDS.caseload,
        category: "",
        period: r.date,
        unit: "per_specialist",
        value: r.caseload,
        numerator: r.clients,
        denominator: r.specialists,
        hidden: r.clientsHidden,
        note: "",
      });
    }
  }
  for (const county of unitsByBand(units))
    for (const band of IPS_BANDS)
      out.push({
        indicator: IPS_EXPORT_IDS.units,
        category: band.id,
        level: "hyvinvointialue",
        area: county.county,
        areaName: county.countyName[lang],
        periodType: year ? "year" : "quarters",
        period: periodLabel,
        value: county.bands[band.id],
        unit: "count",
        numerator: county.bands[band.id],
        denominator: null,
        hidden: false,
        note: band.name[lang],
      });
  return out;
}
