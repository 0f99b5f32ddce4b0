import type { DatasetDefinition } from "./dataset.ts";
import { ips } from "./ips.ts";
import { kuntouttava } from "./kuntouttava.ts";
import { polku } from "./polku.ts";
import { tiimi } from "./tiimi.ts";
import { vammaispalvelut } from "./vammaispalvelut.ts";

/** Every input dataset of CSV contract version 1, in the order templates and reports list them. */
export const DATASETS: readonly DatasetDefinition[] = [kuntouttava, vammaispalvelut, tiimi, polku, ips];

/** Looks a dataset up by name. */
export function datasetByName(name: string): DatasetDefinition | undefined {
  return DATASETS.find((d) => d.name === name);
}

export { ips, kuntouttava, polku, tiimi, vammaispalvelut };
