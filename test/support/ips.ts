import { IPS_ITEMS } from "../../pipelines/datasets/ips.ts";

/** The header of an `ips` file: unit, name, municipality, date, kind, the 25 items, specialists, clients. */
export const IPS_HEADER = [
  "yksikko",
  "yksikon_nimi",
  "kunta",
  "arviointipaiva",
  "arviointi",
  ...IPS_ITEMS.map((i) => i.id),
  "tyohonvalmentajat",
  "asiakkaat",
].join(";");

/** Scores adding up to `total`: the first items get a point more. */
export function ipsScores(total: number): number[] {
  const base = Math.floor(total / 25);
  return IPS_ITEMS.map((_, i) => base + (i < total - base * 25 ? 1 : 0));
}

/** One external review row with item scores adding up to `total`, `s` specialists and `c` clients. */
export const ipsRow = (
  unit: string,
  name: string,
  kunta: string,
  date: string,
  total: number,
  s: number,
  c: number,
) => [unit, name, kunta, date, "ulkoinen", ...ipsScores(total), s, c].join(";");
