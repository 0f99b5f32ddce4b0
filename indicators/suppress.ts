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
  secondary_same: {
    fi: "Peitetty, koska sama luku on peitetty toisella jaksolla (esim. vuosi ja sen neljä neljännestä).",
    sv: "Dolt eftersom samma tal har dolts för en annan period (t.ex. året och dess fyra kvartal).",
    en: "Hidden because the same figure is hidden for another period (e.g. the year and its four quarters).",
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

/**
 * Why secondary suppression hid a value, by the kind of group it protects: an area and its member
 * municipalities, a year and its quarters, a total and its breakdown cells, or periods that hold the
 * same numbers (a year and the four quarters ending with its Q4; for stocks, a quarter and the
 * periods ending with it).
 */
export const GROUP_KINDS = ["area", "period", "breakdown", "same"] as const;
const SECONDARY_REASON = [
  "secondary_area",
  "secondary_period",
  "secondary_breakdown",
  "secondary_same",
] as const satisfies readonly Reason[];

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
  rollingType: number;
}

/**
 * Secondary suppression (DESIGN.md, "Contract details"). A group is a total and its members: an area
 * and its member municipalities (same indicator, cell and period), a year and its quarters (where
 * the year adds up its quarters), a total and its breakdown cells. Where exactly one value of a group
 * is hidden, it could be worked out from the others, so one more is hidden: the smallest shown member
 * — a non-zero one if any (hiding a zero protects less), then by denominator (by the count for
 * counts), then the first in code order — or, where no member is shown, the total itself. Periods
 * holding the same numbers (a year and the four quarters ending with its Q4; for stocks also the
 * quarter a year or four-quarter period ends with) are hidden together. Hiding a value re-checks every
 * group it belongs to, until nothing changes. Returns the rows hidden, each with its kind of group
 * (index into GROUP_KINDS). Deterministic: groups are first visited in key order.
 */
export function secondarySuppression(input: SuppressionInput): { rows: number[]; kinds: number[] } {
  const n = input.ind.length;
  const SUPPRESSED = statusCode("suppressed");
  const VALUE = statusCode("value");
  const ZERO = statusCode("zero");
  const shown = (r: number) => input.status[r] === VALUE || input.status[r] === ZERO;
  const hidden = (r: number) => input.status[r] === SUPPRESSED;
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
  // Each indicator's cells get consecutive slots (indicators have 1 to a dozen cells).
  const slot: number[] = [];
  let nSlots = 0;
  for (const c of input.cells) {
    slot.push(nSlots);
    nSlots += c;
  }
  const nQ = n === 0 ? 0 : qiMax - qiMin + 1;
  // A dense index of rows by key (indicator, cell, area, period type, last quarter): a few million
  // Int32 slots, far cheaper to build and probe than a Map of a million keys.
  const index = new Int32Array(nSlots * nArea * nPtype * nQ).fill(-1);
  const key = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    ((((slot[ind] ?? 0) + cell) * nArea + area) * nPtype + ptype) * nQ + (qi - qiMin);
  const rowAt = (ind: number, cell: number, area: number, ptype: number, qi: number) =>
    qi < qiMin || qi > qiMax || ptype >= nPtype ? -1 : (index[key(ind, cell, area, ptype, qi)] ?? -1);
  for (let r = 0; r < n; r++) {
    const k = key(
      input.ind[r] ?? 0,
      input.cell[r] ?? 0,
      input.area[r] ?? 0,
      input.ptype[r] ?? 0,
      input.lastQi[r] ?? 0,
    );
    index[k] = r;
  }
  const { quarterType, yearType, rollingType } = input;

  // A group is named by its total's row and its kind; `queued` keeps a group in the queue once.
  const queued = new Uint8Array(n);
  const queue: number[] = [];
  const enqueue = (total: number, kind: number) => {
    if (total < 0) return;
    const flags = queued[total] ?? 0;
    if (flags & (1 << kind)) return;
    queued[total] = flags | (1 << kind);
    queue.push(total * 4 + kind);
  };
  /** Every group row r belongs to, as a member or as the total. */
  const groupsOf = (r: number) => {
    const ind = input.ind[r] ?? 0;
    const cell = input.cell[r] ?? 0;
    const area = input.area[r] ?? 0;
    const ptype = input.ptype[r] ?? 0;
    const qi = input.lastQi[r] ?? 0;
    const parents = input.areaParents[area];
    if (parents) for (const parent of parents) enqueue(rowAt(ind, cell, parent, ptype, qi), 0);
    else enqueue(r, 0);
    if (input.timeAdditive[ind]) {
      if (ptype === quarterType) enqueue(rowAt(ind, cell, area, yearType, Math.floor(qi / 4) * 4 + 3), 1);
      else if (ptype === yearType) enqueue(r, 1);
    }
    if (cell > 0) enqueue(rowAt(ind, 0, area, ptype, qi), 2);
    else if ((input.cells[ind] ?? 1) > 1) enqueue(r, 2);
  };
  /** Rows holding the same numbers as row r under another period type. */
  const twinsOf = (r: number): number[] => {
    const ind = input.ind[r] ?? 0;
    const cell = input.cell[r] ?? 0;
    const area = input.area[r] ?? 0;
    const ptype = input.ptype[r] ?? 0;
    const qi = input.lastQi[r] ?? 0;
    const at = (type: number) => rowAt(ind, cell, area, type, qi);
    const endsYear = qi % 4 === 3;
    const stock = !input.timeAdditive[ind];
    const twins: number[] = [];
    if (ptype !== yearType && endsYear && (ptype === rollingType || stock)) twins.push(at(yearType));
    if (ptype !== rollingType && (ptype === yearType || stock)) twins.push(at(rollingType));
    if (ptype !== quarterType && stock) twins.push(at(quarterType));
    return twins;
  };

  // A group's members in code order: how many there are and the i-th one's row (-1: no row).
  const memberCount = (total: number, kind: number): number => {
    if (kind === 0) return input.areaMembers[input.area[total] ?? 0]?.length ?? 0;
    if (kind === 1) return 4;
    return (input.cells[input.ind[total] ?? 0] ?? 1) - 1;
  };
  const memberAt = (total: number, kind: number, i: number): number => {
    const ind = input.ind[total] ?? 0;
    const cell = input.cell[total] ?? 0;
    const area = input.area[total] ?? 0;
    const ptype = input.ptype[total] ?? 0;
    const qi = input.lastQi[total] ?? 0;
    if (kind === 0) return rowAt(ind, cell, input.areaMembers[area]?.[i] ?? 0, ptype, qi);
    if (kind === 1) return rowAt(ind, cell, area, quarterType, qi - 3 + i);
    return rowAt(ind, i + 1, area, ptype, qi);
  };
  const better = (a: number, b: number) => {
    const za = input.numerator[a] === 0 ? 1 : 0;
    const zb = input.numerator[b] === 0 ? 1 : 0;
    if (za !== zb) return za < zb;
    if (input.size[a] !== input.size[b]) return (input.size[a] ?? 0) < (input.size[b] ?? 0);
    return (input.numerator[a] ?? 0) < (input.numerator[b] ?? 0);
  };

  const rows: number[] = [];
  const kinds: number[] = [];
  const hide = (r: number, kind: number) => {
    if (r < 0 || !shown(r)) return;
    input.status[r] = SUPPRESSED;
    rows.push(r);
    kinds.push(kind);
    groupsOf(r);
    for (const twin of twinsOf(r)) hide(twin, 3);
  };

  for (let k = 0; k < index.length; k++) {
    const r = index[k] ?? -1;
    if (r >= 0 && hidden(r)) groupsOf(r);
  }
  for (let head = 0; head < queue.length; head++) {
    const item = queue[head] ?? 0;
    const total = Math.floor(item / 4);
    const kind = item % 4;
    queued[total] = (queued[total] ?? 0) & ~(1 << kind);
    if (!shown(total) && !hidden(total)) continue; // not reported or 0/0: nothing to give away
    let count = hidden(total) ? 1 : 0;
    let pick = -1;
    // Two hidden values already protect each other: stop counting there.
    const size = memberCount(total, kind);
    for (let i = 0; i < size && count < 2; i++) {
      const m = memberAt(total, kind, i);
      if (m < 0) continue;
      if (hidden(m)) count++;
      else if (shown(m) && (pick < 0 || better(m, pick))) pick = m;
    }
    if (count !== 1) continue;
    hide(pick >= 0 ? pick : total, kind);
  }
  return { rows, kinds };
}

/**
 * The tables `applySuppression` reads and writes. `values` lists tables with one row per value
 * (columns ind, cell, area_id, ptype, last_qi, numerator, denominator and status, a code set by
 * primarySql), each with a condition on which of its rows are published; `areas` (kunta, kid, level,
 * area_id) maps every municipality (kid: its own area) to its area at every level; `meta` has ind,
 * cells, time_additive; `hidden` is created with (tbl, rid, reason): the index in `values` and the
 * rowid of every value hidden by secondary suppression, and the reason code.
 */
export interface SuppressionTables {
  values: { table: string; where: string }[];
  areas: string;
  meta: string;
  hidden: string;
  kuntaLevel: number;
  quarterType: number;
  yearType: number;
  rollingType: number;
}

/** How many values primary and secondary suppression hid, and where the time went. */
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
    tables.values
      .map(
        ({ table, where }, i) => `SELECT (rowid * ${tables.values.length} + ${i})::INTEGER, ind::INTEGER,
           cell::INTEGER, area_id::INTEGER, ptype::INTEGER, last_qi::INTEGER, status::INTEGER,
           coalesce(numerator, 0)::DOUBLE, coalesce(denominator, numerator, 0)::DOUBLE
         FROM ${table}
         -- values not reported or 0/0 are never hidden and give nothing away: leave them out
         WHERE (${where}) AND status IN (${statusCode("value")}, ${statusCode("zero")}, ${statusCode("suppressed")})`,
      )
      .join(" UNION ALL "),
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
  const add = (lists: number[][], at: number, item: number) => {
    const list = lists[at] ?? [];
    list.push(item);
    lists[at] = list;
  };
  for (const { kunta_id, parent_id } of links) {
    add(areaParents, kunta_id, parent_id);
    add(areaMembers, parent_id, kunta_id);
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
    rollingType: tables.rollingType,
  });
  lap("decide");
  await db.run(`CREATE OR REPLACE TEMP TABLE ${tables.hidden} (tbl TINYINT, rid BIGINT, reason TINYINT)`);
  const appender = await db.connection.createAppender(tables.hidden, "main", "temp");
  const nTables = tables.values.length;
  rows.forEach((r, i) => {
    const id = rid[r] ?? 0; // rowid × number of tables + table index
    appender.appendTinyInt(id % nTables);
    appender.appendBigInt(BigInt(Math.floor(id / nTables)));
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
