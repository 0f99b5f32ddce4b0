import { recordAudit } from "../core/audit.ts";
import type { Database } from "../core/db.ts";
import { failpoint } from "../core/failpoint.ts";
import { columnsOf, type DatasetDefinition } from "./datasets/dataset.ts";
import { sqlString } from "./sql.ts";

export interface LoadRecord {
  fileName: string;
  sha256: string;
  sender: string;
  /** The token that sent the file (uploads); null for the CLI, the inbox and the demo. */
  senderId: string | null;
  source: string;
  receivedAt: Date;
  rows: number;
  warnings: number;
  /** Builds the stored report once the load id and replaced keys are known. */
  report: (loadId: number, keysReplaced: Record<string, string>[]) => unknown;
}

/**
 * Replaces the file's keys wholesale with its typed rows and records the load, all in one
 * transaction: either everything is there afterwards or nothing changed.
 */
export async function loadTypedRows(
  db: Database,
  dataset: DatasetDefinition,
  typedTable: string,
  record: LoadRecord,
): Promise<{ loadId: number; keysReplaced: Record<string, string>[] }> {
  const columns = columnsOf(dataset).map((c) => c.name);
  const key = dataset.replaceKey;
  const keysTable = `${typedTable}_keys`;
  const on = key.map((k) => `t.${k} = k.${k}`).join(" AND ");
  await db.run(
    // the file's keys, with how many rows each has (implied zeros need that)
    `CREATE OR REPLACE TEMP TABLE ${keysTable} AS SELECT ${key.join(", ")}, count(*) AS rows_in_file
     FROM ${typedTable} GROUP BY ALL`,
  );
  try {
    return await db.inTransaction(async (tx) => {
      const loadId = Number((await tx.one<{ id: bigint }>(`SELECT nextval('load_id_seq') AS id`))?.id);
      const replaced = await tx.all<Record<string, string>>(
        `SELECT ${key.map((k) => `k.${k}`).join(", ")} FROM ${keysTable} k
         WHERE EXISTS (SELECT 1 FROM ${dataset.name} t WHERE ${on}) ORDER BY ALL`,
      );
      await tx.run(`DELETE FROM ${dataset.name} t USING ${keysTable} k WHERE ${on}`);
      await tx.run(
        `INSERT INTO ${dataset.name} (load_id, vuosi, neljannes, ${columns.join(", ")})
         SELECT ${loadId}, vuosi, neljannes, ${columns.join(", ")} FROM ${typedTable}`,
      );
      if (dataset.impliedZeros) await insertImpliedZeros(tx, dataset, typedTable, keysTable, loadId);
      failpoint("load-before-commit");
      await tx.run(
        `INSERT INTO loads (load_id, file_name, sha256, dataset, status, sender, sender_id, source, received_at,
           rows, keys_replaced, warnings, errors, report)
         VALUES (?, ?, ?, ?, 'loaded', ?, ?, ?, ?::TIMESTAMPTZ, ?, ?::JSON, ?, 0, ?::JSON)`,
        [
          loadId,
          record.fileName,
          record.sha256,
          dataset.name,
          record.sender,
          record.senderId,
          record.source,
          record.receivedAt.toISOString(),
          record.rows,
          JSON.stringify(replaced),
          record.warnings,
          JSON.stringify(record.report(loadId, replaced)),
        ],
      );
      await recordAudit(tx, {
        action: "load",
        actor: record.senderId ?? record.source,
        actorName: record.sender,
        loadId,
        at: record.receivedAt,
        detail: {
          file: record.fileName,
          dataset: dataset.name,
          rows: record.rows,
          keys_replaced: replaced.length,
        },
      });
      return { loadId, keysReplaced: replaced };
    });
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${keysTable}`);
  }
}

/** Stores 0 for the categories a reported group does not list (e.g. the `tiimi` categories). */
async function insertImpliedZeros(
  db: Database,
  dataset: DatasetDefinition,
  typedTable: string,
  keysTable: string,
  loadId: number,
) {
  const zeros = dataset.impliedZeros;
  if (!zeros) return;
  const columns = columnsOf(dataset);
  const groupKey = dataset.replaceKey;
  const values = Object.entries(zeros.values)
    .flatMap(([group, categories]) => categories.map((c) => `(${sqlString(group)}, ${sqlString(c)})`))
    .join(", ");
  const selectCols = columns.map((c) =>
    c.name === zeros.category
      ? `v.category AS ${c.name}`
      : c.kind === "count"
        ? `0 AS ${c.name}`
        : `g.${c.name}`,
  );
  // Validation allows one row per category and only the categories of the row's group, so a group
  // with as many rows as its categories is complete; only the others get zeros.
  const sizes = Object.entries(zeros.values)
    .map(([group, categories]) => `WHEN ${sqlString(group)} THEN ${categories.length}`)
    .join(" ");
  const incomplete = `(SELECT ${groupKey.join(", ")} FROM ${keysTable}
    WHERE rows_in_file < CASE ${zeros.groupedBy} ${sizes} ELSE 0 END)`;
  await db.run(
    `INSERT INTO ${dataset.name} (load_id, vuosi, neljannes, ${columns.map((c) => c.name).join(", ")})
     SELECT ${loadId}, g.vuosi, g.neljannes, ${selectCols.join(", ")}
     FROM (SELECT DISTINCT t.vuosi, t.neljannes, ${groupKey.map((k) => `t.${k}`).join(", ")}
           FROM ${typedTable} t SEMI JOIN ${incomplete} i ON ${groupKey.map((k) => `t.${k} = i.${k}`).join(" AND ")}) g
     JOIN (VALUES ${values}) v(grp, category) ON v.grp = g.${zeros.groupedBy}
     WHERE NOT EXISTS (SELECT 1 FROM ${typedTable} t
       WHERE ${groupKey.map((k) => `t.${k} = g.${k}`).join(" AND ")} AND t.${zeros.category} = v.category)`,
  );
}
