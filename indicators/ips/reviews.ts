import type { Database, Queryable } from "../../core/db.ts";
import type { Localised } from "../../core/lang.ts";
import { IPS_CASELOAD_MAX, IPS_ITEMS } from "../../pipelines/datasets/ips.ts";

/**
 * The figures of the IPS fidelity reviews (dataset `ips`). A unit is not a person, so its scores are
 * published as they are; the one count of persons, its clients, is hidden when small, and is never
 * added up over units (so no sum can give a hidden one away: the primary rule is all it needs).
 */

/** Fidelity bands of the IPS-25 total (25–125 points), best first. */
export const IPS_BANDS = [
  { id: "erinomainen", min: 115, name: { fi: "erinomainen", sv: "utmärkt", en: "exemplary" } },
  { id: "hyva", min: 100, name: { fi: "hyvä", sv: "god", en: "good" } },
  { id: "kohtalainen", min: 74, name: { fi: "kohtalainen", sv: "måttlig", en: "fair" } },
  {
    id: "ei_ips",
    min: 25,
    name: { fi: "ei tuettua työllistymistä", sv: "inte stöd till arbete", en: "not supported employment" },
  },
] as const satisfies readonly { id: string; min: number; name: Localised }[];

export type IpsBand = (typeof IPS_BANDS)[number]["id"];

/** The band of a total: 115–125 exemplary, 100–114 good, 74–99 fair, 73 or less not supported employment. */
export function bandOf(total: number): IpsBand {
  return IPS_BANDS.find((b) => total >= b.min)?.id ?? "ei_ips";
}

/** The localised name of a band. */
export const bandName = (band: IpsBand): Localised =>
  (IPS_BANDS.find((b) => b.id === band) ?? IPS_BANDS[0]).name;

/** One review as published. */
export interface IpsReview {
  date: string;
  kind: "ulkoinen" | "itsearviointi";
  /** The 25 item scores in the scale's order. */
  items: number[];
  total: number;
  band: IpsBand;
  specialists: number | null;
  /** Clients at the review; null when not reported or hidden (hidden = true). */
  clients: number | null;
  clientsHidden: boolean;
  /** Clients per employment specialist; null when not computable or hidden. */
  caseload: number | null;
}

/** A unit with its reviews, oldest first. */
export interface IpsUnit {
  yksikko: string;
  name: string;
  kunta: string;
  kuntaName: Localised;
  county: string;
  countyName: Localised;
  reviews: IpsReview[];
}

const ITEM_COLUMNS = IPS_ITEMS.map((item) => item.id).join(", ");

/** The columns of a review as published, in release_ips's order (after release_id). */
export const PUBLISHED_IPS_COLUMNS = `yksikko, yksikon_nimi, kunta, arviointipaiva, arviointi, ${ITEM_COLUMNS},
  tyohonvalmentajat, asiakkaat, asiakkaat_hidden`;

/**
 * The reviews of the `ips` table as published (PUBLISHED_IPS_COLUMNS): a client count of 1 to
 * threshold − 1 is left out (NULL) with `asiakkaat_hidden`, so a release never keeps it.
 */
export function publishedIpsSql(threshold: number): string {
  const t = Math.trunc(threshold);
  return `SELECT yksikko, yksikon_nimi, kunta, arviointipaiva, arviointi, ${ITEM_COLUMNS}, tyohonvalmentajat,
      CASE WHEN asiakkaat > 0 AND asiakkaat < ${t} THEN NULL ELSE asiakkaat END AS asiakkaat,
      coalesce(asiakkaat > 0 AND asiakkaat < ${t}, FALSE) AS asiakkaat_hidden
    FROM ips`;
}

/** The reviews release `id` published (PUBLISHED_IPS_COLUMNS): those of the last release up to it that stored any. */
export function releaseIpsSql(id: number): string {
  return `SELECT ${PUBLISHED_IPS_COLUMNS} FROM release_ips
    WHERE release_id = (SELECT max(release_id) FROM release_ips_sets WHERE release_id <= ${Math.trunc(id)})`;
}

/** How many reviews as published now differ from those of release `id` − 1 (new, changed or gone). */
export async function ipsChangesSince(tx: Queryable, id: number, threshold: number): Promise<number> {
  const now = publishedIpsSql(threshold);
  const before = releaseIpsSql(id - 1);
  const differ = await tx.one<{ n: bigint }>(
    `SELECT (SELECT count(*) FROM (${now} EXCEPT ALL ${before})) + (SELECT count(*) FROM (${before} EXCEPT ALL ${now})) AS n`,
  );
  return Number(differ?.n ?? 0);
}

/** Keeps the reviews as published now with release `id` (inside the release's transaction). */
export async function storeReleaseIps(tx: Database, id: number, threshold: number): Promise<void> {
  await tx.run(`INSERT INTO release_ips_sets VALUES (${Math.trunc(id)})`);
  await tx.run(`INSERT INTO release_ips SELECT ${Math.trunc(id)}, * FROM (${publishedIpsSql(threshold)})`);
}

interface Row {
  yksikko: string;
  yksikon_nimi: string;
  kunta: string;
  d: string;
  arviointi: IpsReview["kind"];
  tyohonvalmentajat: number | null;
  asiakkaat: number | null;
  asiakkaat_hidden: boolean;
  kunta_fi: string | null;
  kunta_sv: string | null;
  kunta_en: string | null;
  hva: string | null;
  hva_fi: string | null;
  hva_sv: string | null;
  hva_en: string | null;
  [item: string]: unknown;
}

/** A review from its published row: total, band and caseload (none when the client count is hidden). */
export function reviewOf(row: Row): IpsReview {
  const items = IPS_ITEMS.map((item) => Number(row[item.id]));
  const total = items.reduce((a, b) => a + b, 0);
  const clients = row.asiakkaat;
  const clientsHidden = row.asiakkaat_hidden;
  const specialists = row.tyohonvalmentajat;
  return {
    date: row.d,
    kind: row.arviointi,
    items,
    total,
    band: bandOf(total),
    specialists,
    clients: clientsHidden ? null : clients,
    clientsHidden,
    caseload:
      clientsHidden || clients === null || !specialists
        ? null
        : Math.round((clients / specialists) * 10) / 10,
  };
}

/**
 * Every unit with its reviews (one per unit and date: a later load replaced an earlier row): as the
 * `ips` table holds them now, or with `release` as that release published them.
 */
export async function readIpsUnits(
  db: Queryable,
  threshold: number,
  release: number | null = null,
): Promise<IpsUnit[]> {
  const source = release === null ? publishedIpsSql(threshold) : releaseIpsSql(release);
  const rows = await db.all<Row>(
    `SELECT t.*, strftime(t.arviointipaiva, '%Y-%m-%d') AS d,
       k.nimi_fi AS kunta_fi, k.nimi_sv AS kunta_sv, k.nimi_en AS kunta_en,
       k.hyvinvointialue AS hva, h.nimi_fi AS hva_fi, h.nimi_sv AS hva_sv, h.nimi_en AS hva_en
     FROM (${source}) t
       LEFT JOIN ref_kunta k ON k.kunta = t.kunta
       LEFT JOIN ref_hyvinvointialue h ON h.hyvinvointialue = k.hyvinvointialue
     ORDER BY t.yksikko, t.arviointipaiva`,
  );
  const units = new Map<string, IpsUnit>();
  for (const row of rows) {
    let unit = units.get(row.yksikko);
    if (!unit) {
      unit = {
        yksikko: row.yksikko,
        name: row.yksikon_nimi,
        kunta: row.kunta,
        kuntaName: {
          fi: row.kunta_fi ?? row.kunta,
          sv: row.kunta_sv ?? row.kunta,
          en: row.kunta_en ?? row.kunta,
        },
        county: row.hva ?? "",
        countyName: { fi: row.hva_fi ?? "", sv: row.hva_sv ?? "", en: row.hva_en ?? "" },
        reviews: [],
      };
      units.set(row.yksikko, unit);
    }
    // the latest review's name and place stand for the unit
    unit.name = row.yksikon_nimi;
    unit.reviews.push(reviewOf(row));
  }
  return [...units.values()];
}

/** The latest review of a unit. */
export const latestReview = (unit: IpsUnit): IpsReview => unit.reviews[unit.reviews.length - 1] as IpsReview;

/** A unit's trend over its first and latest review, e.g. "kohtalainen → kohtalainen, +8". */
export function trendText(unit: IpsUnit, lang: keyof Localised): string {
  const first = unit.reviews[0] as IpsReview;
  const last = latestReview(unit);
  if (unit.reviews.length < 2) return `${bandName(last.band)[lang]}, ${last.total}`;
  const change = last.total - first.total;
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  return `${bandName(first.band)[lang]} → ${bandName(last.band)[lang]}, ${sign}${Math.abs(change)}`;
}

/** A review's items, lowest score first (ties in the scale's order): what to improve first. */
export function itemProfile(review: IpsReview): { index: number; id: string; score: number }[] {
  return IPS_ITEMS.map((item, index) => ({ index, id: item.id, score: review.items[index] as number })).sort(
    (a, b) => a.score - b.score || a.index - b.index,
  );
}

/** Whether a review's caseload per specialist meets the scale's limit (20 or fewer); null when unknown. */
export const caseloadOk = (review: IpsReview): boolean | null =>
  review.caseload === null ? null : review.caseload <= IPS_CASELOAD_MAX;

/** Per county: how many units have their latest review in each band. */
export function unitsByBand(
  units: IpsUnit[],
): { county: string; countyName: Localised; bands: Record<IpsBand, number> }[] {
  const byCounty = new Map<
    string,
    { county: string; countyName: Localised; bands: Record<IpsBand, number> }
  >();
  for (const unit of units) {
    let entry = byCounty.get(unit.county);
    if (!entry) {
      entry = {
        county: unit.county,
        countyName: unit.countyName,
        bands: Object.fromEntries(IPS_BANDS.map((b) => [b.id, 0])) as Record<IpsBand, number>,
      };
      byCounty.set(unit.county, entry);
    }
    entry.bands[latestReview(unit).band]++;
  }
  return [...byCounty.values()].sort((a, b) => a.county.localeCompare(b.county));
}
