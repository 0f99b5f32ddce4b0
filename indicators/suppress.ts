import type { Database } from "../core/db.ts";
import type { Localised } from "../pipelines/datasets/dataset.ts";

/**
 * Small-number protection (DESIGN.md, "Privacy: small numbers" and "Contract details"). The rules live
 * here and nowhere else: `primarySql` and `applySuppression` mark every value once, when values are
 * computed, and `publish` is what every output (pages, charts, API, exports, CLI) calls to turn a
 * stored value into what a reader may see.
 */

/** What a value is: shown, hidden, not reported, 0/0, or zero (kept apart as JSON-stat does). */
export const STATUSES = ["value", "zero", "suppressed", "missing", "not_computable"] as const;
export type Status = (typeof STATUSES)[number];

/** Why a value is not shown; stable codes that pages and exports explain with `REASONS`. */
export const REASONS = {
  small_count: {
    fi: "Luku on pienempi kuin {threshold}, joten se on peitetty tietosuojan vuoksi.",
    sv: "Talet är mindre än {threshold} och har dolts av dataskyddsskäl.",
    en: "The count is below {threshold} and is hidden to protect privacy.",
  },
  small_numerator: {
    fi: "Osoittaja on pienempi kuin {threshold}, joten arvo on peitetty tietosuojan vuoksi.",
    sv: "Täljaren är mindre än {threshold} och värdet har dolts av dataskyddsskäl.",
    en: "The numerator is below {threshold}, so the value is hidden to protect privacy.",
  },
  small_denominator: {
    fi: "Nimittäjä on pienempi kuin {threshold}, joten arvo on peitetty tietosuojan vuoksi.",
    sv: "Nämnaren är mindre än {threshold} och värdet har dolts av dataskyddsskäl.",
    en: "The denominator is below {threshold}, so the value is hidden to protect privacy.",
  },
  secondary_area: {
    fi: "Peitetty, jotta toisen kunnan peitettyä lukua ei voi laskea alueen luvusta.",
    sv: "Dolt så att en annan kommuns dolda tal inte kan räknas ut ur områdets tal.",
    en: "Hidden so that another municipality's hidden figure cannot be worked out from the area's total.",
  },
  secondary_period: {
    fi: "Peitetty, jotta toisen neljänneksen peitettyä lukua ei voi laskea vuoden luvusta.",
    sv: "Dolt så att ett annat kvartals dolda tal inte kan räknas ut ur årets tal.",
    en: "Hidden so that another quarter's hidden figure cannot be worked out from the year's figure.",
  },
  secondary_breakdown: {
    fi: "Peitetty, jotta toisen luokan peitettyä lukua ei voi laskea yhteissummasta.",
    sv: "Dolt så att en annan kategoris dolda tal inte kan räknas ut ur totalen.",
    en: "Hidden so that another category's hidden figure cannot be worked out from the total.",
  },
  not_reported: {
    fi: "Tietoa ei ole ilmoitettu.",
    sv: "Uppgiften har inte rapporterats.",
    en: "Not reported.",
  },
  zero_denominator: {
    fi: "Ei laskettavissa: nimittäjä on nolla.",
    sv: "Kan inte beräknas: nämnaren är noll.",
    en: "Cannot be computed: the denominator is zero.",
  },
} as const satisfies Record<string, Localised>;
export type Reason = keyof typeof REASONS;
/** Reason codes as stored (the index of each reason). */
export const REASON_CODES = Object.keys(REASONS) as Reason[];

const statusCode = (s: Status) => STATUSES.indexOf(s);
const reasonCode = (r: Reason) => REASON_CODES.indexOf(r);

/** How each status is written in tables (Statistics Finland's symbols; `..` = confidential). */
export const SYMBOLS: Record<Status, string | null> = {
  value: null,
  zero: null,
  suppressed: "..",
  missing: ".",
  not_computable: "–",
};

/**
 * SQL of the primary status and reason codes (indexes into STATUSES and REASON_CODES) of a value
 * from its numerator, denominator, number of
 * reporting municipalities and kind of denominator ('measure' | 'population' | 'none'), with the
 * threshold as the bound parameter $threshold. Counts and numerators or denominators above 0 and
 * below the threshold are hidden (means of quarterly counts may be fractional, so "1–4" is "> 0 and
 * < 5"); 0/0 is not computable; a shown 0 is `zero`.
 */
export function primarySql(c: { numerator: string; denominator: string; reported: string; denKind: string }) {
  const small = (col: string) => `(${col} > 0 AND ${col} < $threshold)`;
  const st = statusCode;
  const re = reasonCode;
  return {
    status: `(CASE
      WHEN ${c.reported} = 0 THEN ${st("missing")}
      WHEN ${c.denKind} = 'none' THEN CASE WHEN ${c.numerator} = 0 THEN ${st("zero")}
        WHEN ${small(c.numerator)} THEN ${st("suppressed")} ELSE ${st("value")} END
      WHEN ${c.denominator} = 0 THEN ${st("not_computable")}
      WHEN ${small(c.numerator)} OR ${small(c.denominator)} THEN ${st("suppressed")}
      WHEN ${c.numerator} = 0 THEN ${st("zero")}
      ELSE ${st("value")} END)::TINYINT`,
    reason: `(CASE
      WHEN ${c.reported} = 0 THEN ${re("not_reported")}
      WHEN ${c.denKind} = 'none' THEN CASE WHEN ${small(c.numerator)} THEN ${re("small_count")} END
      WHEN ${c.denominator} = 0 THEN ${re("zero_denominator")}
      WHEN ${small(c.numerator)} THEN ${re("small_numerator")}
      WHEN ${small(c.denominator)} THEN ${re("small_denominator")} END)::TINYINT`,
  };
}

/** Kinds of group a hidden cell could be recovered from, and the reason a second cell is hidden. */
export const GROUP_KINDS = ["area", "period", "breakdown"] as const;
const SECONDARY_REASON = ["secondary_area", "secondary_period", "secondary_breakdown"] as const;

/**
 * Values as arrays (row i of every array is one value). Areas are numbered; `areaParents[a]` lists the
 * areas (at other levels) a municipality area a belongs to and `areaMembers[p]` the municipality areas
 * of an area p. `lastQi` is the period's last quarter index.
 */
export interface SuppressionInput {
  ind: Int32Array;
  cell: Int32Array;
  area: Int32Array;
  ptype: Int32Array;
  lastQi: Int32Array;
  /** Index into STATUSES; hidden rows are set to `suppressed` in place. */
  status: Int32Array;
  numerator: Float64Array;
  /** The denominator, or the numerator for counts (what "smallest" means). */
  size: Float64Array;
  /** Per indicator: number of cells (1 + breakdown values) and whether years add up quarters. */
  cells: number[];
  timeAdditive: boolean[];
  areaParents: number[][];
  areaMembers: number[][];
  quarterType: number;
  yearType: number;
}

/**
 * Secondary suppression (DESIGN.md, "Contract details"): where a shown total could give away a hidden
 * cell because exactly one of its members is hidden, the smallest other shown member is hidden too —
 * a non-zero one if any (hiding a zero protects less), then by size, then the first in code order.
 * Groups: an area and its member municipalities (same indicator, cell and period); a year and its
 * quarters (indicators whose year adds up its quarters); a total and its breakdown cells. Hiding a
 * cell re-checks every group it belongs to, until nothing changes. Returns the rows hidden, with the
 * kind of group (index into GROUP_KINDS) that hid each. Deterministic: groups are visited in key order.
 */
export function secondarySuppression(input: SuppressionInput): { rows: number[]; kinds: number[] } {
  const n = input.ind.length;
  const SUPPRESSED = statusCode("suppressed");
  const VALUE = statusCode("value");
  const ZERO = statusCode("zero");
  const shown = (r: number) => input.status[r] === VALUE || input.status[r] === ZERO;
  let qiMin = Number.POSITIVE_INFINITY;
  let qiMax = Number.NEGATIVE_INFINITY;
  let nArea = 0;
  let nPtype = 0;
  for (let r = 0; r < n; r++) {
    const q = input.lastQi[r] ?? 0;
    if (q < qiMin) qiMin = q;
    if (q > qiMax) qiMax = q;
    nArea = Math.max(nArea, (input.area[r] ?? 0) + 1);
    nPtype = Math.max(nPtype, (input.ptype[r] ?? 0) + 1);
  }
  const nInd = input.cells.length;
  const nCell = Math.max(1, ...input.cells);
  const nQ = n === 0 ? 0 : qiMax - qiMin + 1;
  // A dense index of rows by key (indicator, cell, area, period type, last quarter): a few million
  // Int32 slots, far cheaper to build and probe than a Map of a million keys.
  const index = new Int32Array(nInd * nCell * nArea * nPtype * nQ).fill(-1);
  const key = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    (((ind * nCell + cell) * nArea + area) * nPtype + ptype) * nQ + (qi - qiMin);
  const rowAt = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    qi < qiMin || qi > qiMax ? -1 : (index[key(ind, cell, area, ptype, qi)] ?? -1);
  for (let r = 0; r < n; r++)
    index[
      key(
        input.ind[r] ?? 0,
        input.cell[r] ?? 0,
        input.area[r] ?? 0,
        input.ptype[r] ?? 0,
        input.lastQi[r] ?? 0,
      )
    ] = r;

  // A group is named by its total's row and its kind; `queued` keeps a group in the queue once.
  const queued = new Uint8Array(n);
  const queue: number[] = [];
  const enqueue = (total: number, kind: number) => {
    const flags = queued[total] ?? 0;
    if (total < 0 || flags & (1 << kind)) return;
    queued[total] = flags | (1 << kind);
    queue.push(total * 4 + kind);
  };
  /** Every group row r is a member of. */
  const groupsOf = (r: number) => {
    const ind = input.ind[r] ?? 0;
    const cell = input.cell[r] ?? 0;
    const area = input.area[r] ?? 0;
    const ptype = input.ptype[r] ?? 0;
    const qi = input.lastQi[r] ?? 0;
    for (const parent of input.areaParents[area] ?? []) enqueue(rowAt(ind, cell, parent, ptype, qi), 0);
    if (ptype === input.quarterType && input.timeAdditive[ind])
      enqueue(rowAt(ind, cell, area, input.yearType, Math.floor(qi / 4) * 4 + 3), 1);
    if (cell > 0) enqueue(rowAt(ind, 0, area, ptype, qi), 2);
  };
  // The member rows of a group (in code order; -1 where a member has no row), written into `members`
  // (reused: groups are checked millions of times) and counted.
  let maxMembers = Math.max(4, nCell);
  for (const m of input.areaMembers) maxMembers = Math.max(maxMembers, m?.length ?? 0); // sparse: no map()
  const members = new Int32Array(maxMembers);
  const membersOf = (total: number, kind: number): number => {
    const ind = input.ind[total] ?? 0;
    const cell = input.cell[total] ?? 0;
    const area = input.area[total] ?? 0;
    const ptype = input.ptype[total] ?? 0;
    const qi = input.lastQi[total] ?? 0;
    let count = 0;
    if (kind === 0)
      for (const m of input.areaMembers[area] ?? []) members[count++] = rowAt(ind, cell, m, ptype, qi);
    else if (kind === 1)
      for (let q = qi - 3; q <= qi; q++) members[count++] = rowAt(ind, cell, area, input.quarterType, q);
    else for (let c = 1; c < (input.cells[ind] ?? 1); c++) members[count++] = rowAt(ind, c, area, ptype, qi);
    return count;
  };
  const better = (a: number, b: number) => {
    const za = input.numerator[a] === 0 ? 1 : 0;
    const zb = input.numerator[b] === 0 ? 1 : 0;
    if (za !== zb) return za < zb;
    if (input.size[a] !== input.size[b]) return (input.size[a] ?? 0) < (input.size[b] ?? 0);
    return (input.numerator[a] ?? 0) < (input.numerator[b] ?? 0);
  };

  for (let k = 0; k < index.length; k++) {
    const r = index[k] ?? -1;
    if (r >= 0 && input.status[r] === SUPPRESSED) groupsOf(r);
  }
  const rows: number[] = [];
  const kinds: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const item = queue[head] ?? 0;
    const total = Math.floor(item / 4);
    const kind = item % 4;
    queued[total] = (queued[total] ?? 0) & ~(1 << kind);
    if (!shown(total)) continue;
    let hidden = 0;
    let pick = -1;
    const count = membersOf(total, kind);
    for (let i = 0; i < count; i++) {
      const m = members[i] ?? -1;
      if (m < 0) continue;
      if (input.status[m] === SUPPRESSED) hidden++;
      else if (shown(m) && (pick < 0 || better(m, pick))) pick = m;
    }
    if (hidden !== 1 || pick < 0) continue;
    input.status[pick] = SUPPRESSED;
    rows.push(pick);
    kinds.push(kind);
    groupsOf(pick);
  }
  return { rows, kinds };
}

/**
 * The tables `applySuppression` reads and writes. `values` has one row per value with columns ind,
 * cell, area_id, ptype, last_qi, numerator, denominator and status (a code set by primarySql);
 * `areas` (kunta, kid, level, area_id) maps every municipality (kid: its own area) to its area at
 * every level;
 * `meta` has ind, cells, time_additive; `hidden` is created with (rid, reason): the rowid of every
 * value hidden by secondary suppression and the reason code.
 */
export interface SuppressionTables {
  values: string;
  areas: string;
  meta: string;
  hidden: string;
  kuntaLevel: number;
  quarterType: number;
  yearType: number;
}

export interface SuppressionSummary {
  primary: number;
  secondary: number;
  /** Milliseconds spent reading, deciding and writing. */
  ms: Record<string, number>;
}

/** Reads a query's INTEGER/DOUBLE columns into typed arrays, chunk by chunk (no per-value objects). */
async function readColumns(db: Database, sql: string, types: ("int" | "double")[]) {
  const result = await db.connection.run(sql);
  const chunks = await result.fetchAllChunks();
  const n = chunks.reduce((sum, c) => sum + c.rowCount, 0);
  const out = types.map((t) => (t === "int" ? new Int32Array(n) : new Float64Array(n)));
  let offset = 0;
  for (const chunk of chunks) {
    types.forEach((_, i) => {
      const items = (chunk.getColumnVector(i) as unknown as { items: Int32Array | Float64Array }).items;
      out[i]?.set(items.subarray(0, chunk.rowCount), offset);
    });
    offset += chunk.rowCount;
  }
  return out;
}

/**
 * Runs secondary suppression over a values table whose primary status is set, and records the rows
 * it hides in the `hidden` table (the store step applies them). See secondarySuppression.
 */
export async function applySuppression(db: Database, tables: SuppressionTables): Promise<SuppressionSummary> {
  const ms: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    ms[name] = Math.round(performance.now() - t);
    t = performance.now();
  };
  const [rid, ind, cell, area, ptype, lastQi, status, numerator, size] = (await readColumns(
    db,
    `SELECT rowid::INTEGER, ind::INTEGER, cell::INTEGER, area_id::INTEGER, ptype::INTEGER, last_qi::INTEGER,
       status::INTEGER, coalesce(numerator, 0)::DOUBLE, coalesce(denominator, numerator, 0)::DOUBLE
     FROM ${tables.values}`,
    ["int", "int", "int", "int", "int", "int", "int", "double", "double"],
  )) as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Float64Array,
    Float64Array,
  ];
  const meta = await db.all<{ ind: number; cells: number; time_additive: boolean }>(
    `SELECT ind::INTEGER AS ind, cells::INTEGER AS cells, time_additive FROM ${tables.meta} ORDER BY ind`,
  );
  const links = await db.all<{ kunta_id: number; parent_id: number }>(
    `SELECT kid::INTEGER AS kunta_id, area_id::INTEGER AS parent_id FROM ${tables.areas}
     WHERE level <> ${tables.kuntaLevel} ORDER BY parent_id, kunta`,
  );
  const areaParents: number[][] = [];
  const areaMembers: number[][] = [];
  for (const { kunta_id, parent_id } of links) {
    areaParents[kunta_id] = [...(areaParents[kunta_id] ?? []), parent_id];
    areaMembers[parent_id] = [...(areaMembers[parent_id] ?? []), kunta_id];
  }
  lap("read");
  const primary = status.reduce((sum, s) => sum + (s === statusCode("suppressed") ? 1 : 0), 0);
  const { rows, kinds } = secondarySuppression({
    ind,
    cell,
    area,
    ptype,
    lastQi,
    status,
    numerator,
    size,
    cells: meta.map((m) => m.cells),
    timeAdditive: meta.map((m) => m.time_additive),
    areaParents,
    areaMembers,
    quarterType: tables.quarterType,
    yearType: tables.yearType,
  });
  lap("decide");
  await db.run(`CREATE OR REPLACE TEMP TABLE ${tables.hidden} (rid BIGINT, reason TINYINT)`);
  const appender = await db.connection.createAppender(tables.hidden, "main", "temp");
  rows.forEach((r, i) => {
    appender.appendBigInt(BigInt(rid[r] ?? 0));
    appender.appendTinyInt(reasonCode(SECONDARY_REASON[kinds[i] ?? 0] ?? "secondary_area"));
    appender.endRow();
  });
  appender.closeSync();
  lap("write");
  return { primary, secondary: rows.length, ms };
}

/** A stored value as computed (raw counts; only admins and the engine see these). */
export interface StoredValue {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  status: Status;
  reason: string | null;
}

/** A value as a reader may see it: hidden parts are null and say why. */
export interface PublishedValue {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: Status;
  reason: Reason | null;
  /** `..`, `.` or `–` where no number is shown. */
  symbol: string | null;
}

/**
 * Turns a stored value into what an output shows: rounded half away from zero to `decimals`
 * (numerator and denominator to whole numbers); a suppressed value shows neither value nor counts.
 * `unsuppressed` (admins' exports only) shows the numbers of suppressed values too, still flagged.
 */
export function publish(
  row: StoredValue,
  decimals: number,
  options: { unsuppressed?: boolean } = {},
): PublishedValue {
  const reason = (row.reason ?? null) as Reason | null;
  const hide = row.status === "suppressed" && !options.unsuppressed;
  const shown = row.status === "value" || row.status === "zero" || (row.status === "suppressed" && !hide);
  return {
    value: shown && row.value !== null ? roundHalfAwayFromZero(row.value, decimals) : null,
    numerator: hide || row.numerator === null ? null : roundHalfAwayFromZero(row.numerator, 0),
    denominator: hide || row.denominator === null ? null : roundHalfAwayFromZero(row.denominator, 0),
    status: row.status,
    reason,
    symbol: shown ? null : SYMBOLS[row.status],
  };
}

/** Rounds half away from zero (2.25 → 2.3, −2.25 → −2.3), ignoring binary noise below 15 digits. */
export function roundHalfAwayFromZero(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const clean = Math.abs(Number(x.toPrecision(15)));
  // Shifting the decimal point in the text avoids the binary error of clean * 10 ** decimals.
  const rounded = String(clean).includes("e")
    ? Math.round(clean * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${clean}e${decimals}`))}e-${decimals}`);
  return x < 0 ? -rounded : rounded;
}

/** The explanation of a reason code in a language, with the threshold filled in. */
export function reasonText(reason: Reason, lang: keyof Localised, threshold: number): string {
  return REASONS[reason][lang].replace("{threshold}", String(threshold));
}
