import fs from "node:fs";
import path from "node:path";
import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { writeFileAtomic } from "../archive.ts";
import { columnsOf } from "../datasets/dataset.ts";
import { datasetByName } from "../datasets/index.ts";
import { type CsvFormat, csvText, EXCEL_CSV_UTF8, encodeCsv } from "./csv.ts";
import { ipsRows } from "./ips.ts";
import { type Cells, kuntouttavaCorrection, kuntouttavaRows } from "./kuntouttava.ts";
import { demoMunicipalities } from "./municipalities.ts";
import { type DemoDataset, type DemoPlan, planDemo } from "./plan.ts";
import { polkuRows } from "./polku.ts";
import { tiimiRows } from "./tiimi.ts";
import { vammaispalvelutRows } from "./vammaispalvelut.ts";

/** The seed of the demo data everyone sees; tests may pass another. */
export const DEMO_SEED = "seuranta-demo-v1";

export interface DemoOptions {
  /** Folder of the reference data (municipalities, population, mergers). */
  referenceDir: string;
  /** YYYY-MM-DD: the demo covers the 12 quarters ending with the last quarter ended by then. */
  today: string;
  seed?: string;
}

/** One demo file, in memory. */
export interface DemoFile {
  fileName: string;
  dataset: DemoDataset;
  /** The quarter the file reports, e.g. "2025Q3". */
  quarter: string;
  rows: number;
  format: CsvFormat;
  bytes: Uint8Array;
}

/** A demo file on disk. */
export interface WrittenDemoFile extends Omit<DemoFile, "bytes"> {
  path: string;
  bytes: number;
}

const DATASET_ORDER: readonly DemoDataset[] = ["kuntouttava", "vammaispalvelut", "tiimi", "polku", "ips"];

/**
 * The other ways files are saved, each used for one file (by dataset and the quarter's position in
 * the 12), so the demo runs the reader through them; every other file is Excel's CSV UTF-8.
 */
function formatOf(dataset: DemoDataset, step: number, quarter: string): { format: CsvFormat; ext: string } {
  if (dataset === "kuntouttava" && step === 3) {
    return {
      format: {
        encoding: "windows-1252",
        delimiter: ";",
        eol: "\r\n",
        typedHeaders: true,
        label: "Excel, CSV (erotinmerkein eroteltu), Windows-1252",
      },
      ext: "csv",
    };
  }
  if (dataset === "kuntouttava" && step === 8) {
    return {
      format: { ...EXCEL_CSV_UTF8, totalRow: true, label: "Excel, CSV UTF-8, summarivi lopussa" },
      ext: "csv",
    };
  }
  if (dataset === "vammaispalvelut" && step === 5) {
    return {
      format: {
        encoding: "utf-16le",
        delimiter: "\t",
        eol: "\r\n",
        typedHeaders: true,
        label: "Excel, Unicode-teksti (UTF-16, sarkaimin eroteltu)",
      },
      ext: "txt",
    };
  }
  if (dataset === "vammaispalvelut" && step === 9) {
    return {
      format: {
        ...EXCEL_CSV_UTF8,
        title: `Vammaisten henkilöiden työtoiminta ja työllistyminen ${quarter}`,
        label: "Excel, CSV UTF-8, otsikkorivi otsakerivin yllä",
      },
      ext: "csv",
    };
  }
  if (dataset === "tiimi" && step === 7) {
    return {
      format: {
        encoding: "utf-8",
        delimiter: ",",
        eol: "\n",
        label: "asiakastietojärjestelmän raportti, UTF-8, pilkuin eroteltu",
      },
      ext: "csv",
    };
  }
  return { format: EXCEL_CSV_UTF8, ext: "csv" };
}

function makeFile(
  dataset: DemoDataset,
  quarter: string,
  name: string,
  rows: Cells[],
  format: CsvFormat,
): DemoFile {
  const definition = datasetByName(dataset);
  if (!definition) throw new Error(`unknown dataset ${dataset}`);
  const columns = columnsOf(definition).map((c) => c.name);
  return {
    fileName: name,
    dataset,
    quarter,
    rows: rows.length,
    format,
    bytes: encodeCsv(csvText(columns, rows, format), format),
  };
}

/** Builds the whole demo in memory: the plan of who reports what, and the files in loading order. */
export function buildDemo(options: DemoOptions): { plan: DemoPlan; files: DemoFile[] } {
  const plan = planDemo(options.seed ?? DEMO_SEED, options.today, demoMunicipalities(options.referenceDir));
  const rows: Record<DemoDataset, Map<number, Cells[]>> = {
    kuntouttava: kuntouttavaRows(plan),
    vammaispalvelut: vammaispalvelutRows(plan),
    tiimi: tiimiRows(plan),
    polku: polkuRows(plan),
    ips: ipsRows(plan),
  };
  const files: DemoFile[] = [];
  plan.quarters.forEach((q, step) => {
    const quarter = quarterLabel(quarterOfIndex(q));
    for (const dataset of DATASET_ORDER) {
      const quarterRows = rows[dataset].get(q) ?? [];
      if (quarterRows.length === 0) continue;
      const { format, ext } = formatOf(dataset, step, quarter);
      files.push(makeFile(dataset, quarter, `${dataset}_${quarter}.${ext}`, quarterRows, format));
    }
  });
  // An analyst who first left the outcomes out sends them later: the new file replaces that key.
  const { kunta, quarter: q } = plan.correction;
  const quarter = quarterLabel(quarterOfIndex(q));
  files.push(
    makeFile(
      "kuntouttava",
      quarter,
      `kuntouttava_${quarter}_korjaus_${kunta}.csv`,
      [kuntouttavaCorrection(plan)],
      {
        ...EXCEL_CSV_UTF8,
        label: "Excel, CSV UTF-8, korjaus yhden kunnan tietoihin",
      },
    ),
  );
  return { plan, files };
}

/**
 * Writes the demo files into `outDir` (files of an earlier run with the same names are overwritten;
 * same seed and date give the same bytes) and returns them in the order they are to be loaded.
 */
export function generateDemo(options: DemoOptions & { outDir: string }): WrittenDemoFile[] {
  fs.mkdirSync(options.outDir, { recursive: true });
  return buildDemo(options).files.map(({ bytes, ...file }) => {
    const target = path.join(options.outDir, file.fileName);
    writeFileAtomic(target, bytes);
    return { ...file, path: target, bytes: bytes.length };
  });
}
