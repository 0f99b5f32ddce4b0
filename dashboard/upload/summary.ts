import type { Queryable } from "../../core/db.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import type { FileReport } from "../../pipelines/report.ts";

/** What a load did to one municipality's quarter: how many rows, and whether it replaced earlier data. */
export interface KeySummary {
  kunta: string;
  nimi: string;
  vuosineljannes: string;
  rows: number;
  replaced: boolean;
}

/**
 * "2024Q2: Jyväskylä replaced, 14 rows": the keys a load wrote, read back from the dataset table by its
 * load id (so the summary shows what is really stored), per municipality and quarter.
 */
export async function loadSummary(db: Queryable, report: FileReport): Promise<KeySummary[]> {
  const dataset = DATASETS.find((d) => d.name === report.dataset);
  if (report.status !== "loaded" || report.load_id === null || !dataset) return [];
  const rows = await db.all<{
    kunta: string;
    nimi: string | null;
    vuosi: number;
    neljannes: number;
    n: number;
  }>(
    `SELECT t.kunta, coalesce(k.nimi_fi, l.vanha_nimi_fi) AS nimi, t.vuosi, t.neljannes, count(*)::INTEGER AS n
     FROM ${dataset.name} t
     LEFT JOIN ref_kunta k ON k.kunta = t.kunta
     LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = t.kunta
     WHERE t.load_id = ?
     GROUP BY ALL ORDER BY t.vuosi, t.neljannes, nimi`,
    [report.load_id],
  );
  const replaced = new Set(report.keys_replaced.map((k) => `${k.kunta}|${k.vuosineljannes}`));
  // a dataset keyed otherwise (ips: unit and date) replaced the rows now stored under those keys
  if (!dataset.replaceKey.includes("vuosineljannes")) {
    for (const key of report.keys_replaced) {
      const match = dataset.replaceKey.map((k) => `t.${k}::VARCHAR = ?`).join(" AND ");
      const found = await db.all<{ kunta: string; vuosi: number; neljannes: number }>(
        `SELECT DISTINCT t.kunta, t.vuosi, t.neljannes FROM ${dataset.name} t WHERE t.load_id = ? AND ${match}`,
        [report.load_id, ...dataset.replaceKey.map((k) => key[k] ?? "")],
      );
      for (const f of found) replaced.add(`${f.kunta}|${f.vuosi}Q${f.neljannes}`);
    }
  }
  return rows.map((r) => {
    const vuosineljannes = `${r.vuosi}Q${r.neljannes}`;
    return {
      kunta: r.kunta,
      nimi: r.nimi ?? r.kunta,
      vuosineljannes,
      rows: r.n,
      replaced: replaced.has(`${r.kunta}|${vuosineljannes}`),
    };
  });
}
