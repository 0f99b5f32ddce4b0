import { recordAudit } from "../core/audit.ts";
import type { Database } from "../core/db.ts";
import { failpoint } from "../core/failpoint.ts";
import { sqlString } from "../core/sql.ts";
import { columnsOf, type DatasetDefinition } from "./datasets/dataset.ts";

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

/** A new load id. Taken ids are never given back, not even by a rollback. */
export async function nextLoadId(db: Database): Promise<number> {
  return Number((await db.one<{ id: bigint }>(`SELECT nextval('load_id_seq') AS id`))?.id);
}

/**
 * Replaces the file's keys wholesale with its typed rows (a table of them, as validation left it) and
 * records the load, all in one transaction: either everything is there afterwards or nothing changed.
 * `loadId`: one taken already (by loadIfClean), else a new one.
 */
export async function loadTypedRows(
  db: Database,
  dataset: DatasetDefinition,
  typedTable: string,
  record: LoadRecord,
  loadId?: number,
): Promise<{ loadId: number; keysReplaced: Record<string, string>[] }> {
  const columns = columnsOf(dataset).map((c) => c.name);
  return db.inTransaction(async (tx) =>
    replaceKeys(tx, dataset, record, loadId ?? (await nextLoadId(tx)), async (loadId) => {
      await tx.run(
        `INSERT INTO ${dataset.name} (load_id, vuosi, neljannes, ${columns.join(", ")})
         SELECT ${loadId}, vuosi, neljannes, ${columns.join(", ")} FROM ${typedTable}`,
      );
    }),
  );
}

/** Marks the failure that loadIfClean provokes on the first row with a problem. */
const NOT_CLEAN = "seuranta: the file has a problem row";
const notClean = new Error(NOT_CLEAN);

/**
 * Whether a row key repeats among the loaded rows, from the keys table where it tells: a row key that
 * is the replace key repeats when a group has more than one row, a row key that adds the implied zeros'
 * category when a group has more rows than categories; otherwise one hash per row (equal keys have
 * equal hashes: a collision only sends a clean file the usual way).
 */
async function keysRepeat(tx: Database, dataset: DatasetDefinition, keysTable: string, loaded: string) {
  const sameAs = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((k) => b.includes(k));
  const zeros = dataset.impliedZeros;
  const sql = sameAs(dataset.rowKey, dataset.replaceKey)
    ? `SELECT count(*)::INTEGER AS n FROM ${keysTable} WHERE rows_in_file > 1`
    : zeros && sameAs(dataset.rowKey, [...dataset.replaceKey, zeros.category])
      ? `SELECT count(*)::INTEGER AS n FROM ${keysTable} WHERE rows_in_file > bit_count(present)`
      : `SELECT (count(*) - count(DISTINCT hash(${dataset.rowKey.join(", ")})))::INTEGER AS n FROM ${loaded}`;
  return ((await tx.one<{ n: number }>(sql))?.n ?? 0) > 0;
}

/**
 * Loads a file straight from its typing view, for a file expected to be clean: the rows are typed once,
 * on their way into the table, instead of into a temp table first and then again out of it. The first
 * row with any problem (`any_problem`, errors and warnings alike) fails the insert, and a row key that
 * repeats is found among the inserted rows; either way the transaction is rolled back and null
 * returned, and the file takes the usual way (validateStaged, whose report names every problem),
 * with the same `loadId` (taken by the caller, so that a file that comes back leaves no gap).
 */
export async function loadIfClean(
  db: Database,
  dataset: DatasetDefinition,
  typedView: string,
  record: LoadRecord,
  loadId: number,
): Promise<{ loadId: number; keysReplaced: Record<string, string>[] } | null> {
  const columns = columnsOf(dataset).map((c) => c.name);
  const [last, ...others] = [...columns].reverse();
  const guarded = [...others.reverse(), `CASE WHEN any_problem THEN error('${NOT_CLEAN}') ELSE ${last} END`];
  try {
    return await db.inTransaction((tx) =>
      replaceKeys(
        tx,
        dataset,
        record,
        loadId,
        async () => {
          await tx.run(
            `INSERT INTO ${dataset.name} (load_id, vuosi, neljannes, ${columns.join(", ")})
             SELECT ${loadId}, vuosi, neljannes, ${guarded.join(", ")} FROM ${typedView}`,
          );
        },
        { abortOnRepeats: true },
      ),
    );
  } catch (error) {
    if (error === notClean || String((error as Error).message).includes(NOT_CLEAN)) return null;
    throw error;
  }
}

/**
 * Inside the load's transaction: inserts the file's rows under the load id (`insert`), deletes the
 * older rows of the file's keys, adds the implied zeros and records the load and its audit entry.
 * `abortOnRepeats`: throws notClean when a row key repeats among the inserted rows.
 */
async function replaceKeys(
  tx: Database,
  dataset: DatasetDefinition,
  record: LoadRecord,
  loadId: number,
  insert: (loadId: number) => Promise<void>,
  options: { abortOnRepeats?: boolean } = {},
): Promise<{ loadId: number; keysReplaced: Record<string, string>[] }> {
  const key = dataset.replaceKey;
  await insert(loadId);
  const loaded = `(SELECT * FROM ${dataset.name} WHERE load_id = ${loadId})`;
  const keysTable = `load_keys_${loadId}`;
  const on = key.map((k) => `t.${k} = k.${k}`).join(" AND ");
  // the file's keys, with how many rows each has and which categories (implied zeros need that); made
  // inside the transaction, so a rollback takes it away too
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE ${keysTable} AS SELECT ${key.join(", ")}, count(*) AS rows_in_file
       ${dataset.impliedZeros ? `, ${categoriesPresent(dataset.impliedZeros)}` : ""}
     FROM ${loaded} GROUP BY ALL`,
  );
  if (options.abortOnRepeats && (await keysRepeat(tx, dataset, keysTable, loaded))) throw notClean;
  const replaced = await tx.all<Record<string, string>>(
    `SELECT ${key.map((k) => `k.${k}::VARCHAR AS ${k}`).join(", ")} FROM ${keysTable} k
       WHERE EXISTS (SELECT 1 FROM ${dataset.name} t WHERE ${on} AND t.load_id <> ${loadId}) ORDER BY ALL`,
  );
  await tx.run(`DELETE FROM ${dataset.name} t USING ${keysTable} k WHERE ${on} AND t.load_id <> ${loadId}`);
  if (dataset.impliedZeros) await insertImpliedZeros(tx, dataset, keysTable, loadId);
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
  await tx.run(`DROP TABLE ${keysTable}`);
  return { loadId, keysReplaced: replaced };
}

type ImpliedZeros = NonNullable<DatasetDefinition["impliedZeros"]>;

/** Every category of the implied zeros, each with its bit in a group's `present` mask. */
function zeroCategories(zeros: ImpliedZeros): string[] {
  const all = [...new Set(Object.values(zeros.values).flat())];
  if (all.length > 64) throw new Error(`impliedZeros: at most 64 categories, not ${all.length}`);
  return all;
}

/**
 * Aggregates of a group's rows for its implied zeros: its year and quarter (the same on every row of a
 * group) and a mask of the categories it lists, bit n for the n-th of zeroCategories.
 */
function categoriesPresent(zeros: ImpliedZeros): string {
  // an ENUM of the categories numbers them by a hash lookup (list_position compared them one by one)
  const categories = `ENUM(${zeroCategories(zeros).map(sqlString).join(", ")})`;
  return `any_value(vuosi) AS vuosi, any_value(neljannes) AS neljannes,
    bit_or(1::UBIGINT << enum_code(TRY_CAST(${zeros.category} AS ${categories}))) AS present`;
}

/**
 * Stores 0 for the categories a reported group does not list (e.g. the `tiimi` categories), from the
 * keys table alone: the file's rows are not read again.
 */
async function insertImpliedZeros(
  db: Database,
  dataset: DatasetDefinition,
  keysTable: string,
  loadId: number,
) {
  const zeros = dataset.impliedZeros;
  if (!zeros) return;
  const columns = columnsOf(dataset);
  const bit = new Map(zeroCategories(zeros).map((c, i) => [c, i]));
  const values = Object.entries(zeros.values)
    .flatMap(([group, categories]) =>
      categories.map((c) => `(${sqlString(group)}, ${sqlString(c)}, ${bit.get(c)})`),
    )
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
  await db.run(
    `INSERT INTO ${dataset.name} (load_id, vuosi, neljannes, ${columns.map((c) => c.name).join(", ")})
     SELECT ${loadId}, g.vuosi, g.neljannes, ${selectCols.join(", ")}
     FROM ${keysTable} g JOIN (VALUES ${values}) v(grp, category, bit) ON v.grp = g.${zeros.groupedBy}
     WHERE g.rows_in_file < CASE g.${zeros.groupedBy} ${sizes} ELSE 0 END
       AND coalesce((g.present >> v.bit) & 1, 0) = 0`,
  );
}
