import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { type Quarter, quarterIndex } from "../../core/quarter.ts";

/** A municipality as the demo needs it: who it is, how big, and which quarters it existed for. */
export interface DemoMunicipality {
  kunta: string;
  nimi: string;
  hyvinvointialue: string;
  /** Population used to size the counts (31.12.2024; for a merged-away municipality, its last known year). */
  population: number;
  /** Last quarter index it reports for (a municipality that merged away); absent = always. */
  untilQuarter?: number;
  /**
   * For a successor of a merger: quarter index from which it includes the merged municipality, and
   * the population it had before (so pre-merger counts are not double counted).
   */
  grewAt?: { quarter: number; populationBefore: number };
}

const readCsv = (file: string) =>
  parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];

const quarterOfDate = (date: string): Quarter => ({
  year: Number(date.slice(0, 4)),
  quarter: Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1,
});

/**
 * The municipalities of the committed reference data (current division, 2024 population), plus the
 * municipalities that merged away, which reported under their own code until the merger.
 */
export function demoMunicipalities(referenceDir: string): DemoMunicipality[] {
  const kunnat = readCsv(path.join(referenceDir, "kunnat_2026.csv"));
  const population = new Map(
    readCsv(path.join(referenceDir, "vaesto_kunnat_2024.csv")).map((r) => [
      r.kunta as string,
      Number(r.vaesto_2024_12_31),
    ]),
  );
  // The latest population each old municipality had on its own (the 2024 file is in the new division).
  const history = new Map<string, number>();
  for (const r of readCsv(path.join(referenceDir, "vaesto_kunnat_sotkanet127_2000_2022.csv")))
    history.set(r.kunta as string, Number(r.vaesto_31_12));

  const result: DemoMunicipality[] = kunnat.map((r) => {
    const kunta = r.kunta as string;
    const pop = population.get(kunta);
    if (pop === undefined) throw new Error(`no 2024 population for municipality ${kunta}`);
    return {
      kunta,
      nimi: r.nimi_fi as string,
      hyvinvointialue: r.hyvinvointialue as string,
      population: pop,
    };
  });
  for (const merger of readCsv(path.join(referenceDir, "kuntaliitokset.csv"))) {
    const successor = result.find((m) => m.kunta === merger.uusi_kunta);
    const oldPopulation = history.get(merger.vanha_kunta as string);
    if (!successor || oldPopulation === undefined) continue;
    const mergedAt = quarterIndex(quarterOfDate(merger.voimassa as string));
    successor.grewAt = { quarter: mergedAt, populationBefore: successor.population - oldPopulation };
    result.push({
      kunta: merger.vanha_kunta as string,
      nimi: merger.vanha_nimi_fi as string,
      hyvinvointialue: successor.hyvinvointialue,
      population: oldPopulation,
      untilQuarter: mergedAt - 1,
    });
  }
  return result.sort((a, b) => a.kunta.localeCompare(b.kunta));
}

/** The population a municipality's counts are sized by in a quarter (before a merger, the smaller one). */
export function populationIn(m: DemoMunicipality, quarter: number): number {
  return m.grewAt && quarter < m.grewAt.quarter ? m.grewAt.populationBefore : m.population;
}

/** Whether the municipality existed (and so reported under its code) in the quarter. */
export function existsIn(m: DemoMunicipality, quarter: number): boolean {
  return m.untilQuarter === undefined || quarter <= m.untilQuarter;
}
