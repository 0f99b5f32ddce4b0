import { describe, expect, test } from "vitest";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { KUNTOUTTAVA_OUTCOMES } from "../../pipelines/datasets/kuntouttava.ts";
import { KOHDERYHMAT } from "../../pipelines/datasets/vammaispalvelut.ts";
import { random } from "../support/random.ts";
import { KT, TIIMI, useComputed, VP } from "./support.ts";

// The promise of protection, checked over everything computed from small, random counts: no published
// area sum has exactly one hidden member, periods holding the same numbers are hidden together, and
// the audit (the attacker) finds nothing.

// Etelä-Savo (county 12) without Mäntyharju (merged with Pertunmaa: tested elsewhere)
const KUNNAT = ["046", "097", "178", "213", "491", "593", "623", "681", "740", "768"];
const QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"];

function generated() {
  const rnd = random(20251125);
  const small = () => Math.floor(rnd() * 7); // 0…6: plenty of 1–4
  const kt = [`kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;${KUNTOUTTAVA_OUTCOMES.join(";")}`];
  const vp = [
    "kunta;vuosineljannes;kohderyhma;palkkatyo;avotyotoiminta;tyotoiminta;paivatoiminta;tyohonvalmennus",
  ];
  for (const kunta of KUNNAT) {
    for (const q of QUARTERS) {
      if (rnd() < 0.1) continue; // now and then a quarter is not sent
      const outcomes = KUNTOUTTAVA_OUTCOMES.map(() => small());
      const ended = outcomes.reduce((a, b) => a + b, 0);
      kt.push([kunta, q, small() * 5, small(), ended, ...outcomes].join(";"));
      for (const group of KOHDERYHMAT) {
        if (rnd() < 0.1) continue;
        vp.push([kunta, q, group, small(), small(), small(), small(), small()].join(";"));
      }
    }
  }
  return { kt: `${kt.join("\n")}\n`, vp: `${vp.join("\n")}\n` };
}

const data = generated();
const t = useComputed({
  "kt.csv": KT,
  "vp.csv": VP,
  "tiimi.csv": TIIMI,
  "kt2.csv": data.kt,
  "vp2.csv": data.vp,
});

type Row = {
  indicator_id: string;
  category: string;
  level: string;
  area: string;
  period_type: string;
  period: string;
  last_quarter: string;
  status: string;
};

async function rows() {
  return t.env.db.all<Row>(
    `SELECT indicator_id, category, level, area, period_type, period, last_quarter, status FROM indicator_values`,
  );
}

const counted = (s: string | undefined) => s === "value" || s === "zero" || s === "suppressed";

function groupsWithOneHidden(groups: Map<string, (string | undefined)[]>) {
  return [...groups.entries()].filter(
    ([, statuses]) => statuses.filter((s) => s === "suppressed").length === 1 && statuses.some(counted),
  );
}

describe("secondary suppression leaves no hidden value recoverable", () => {
  test("no area with its member municipalities has exactly one hidden value", async () => {
    const all = await rows();
    const members = await t.env.db.all<{ kunta: string; tyollisyysalue: string; hyvinvointialue: string }>(
      `SELECT kunta, tyollisyysalue, hyvinvointialue FROM ref_kunta`,
    );
    const status = new Map(
      all.map((r) => [`${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}`, r.status]),
    );
    const inArea = new Map<string, string[]>();
    for (const m of members)
      for (const key of [
        `tyollisyysalue|${m.tyollisyysalue}`,
        `hyvinvointialue|${m.hyvinvointialue}`,
        "koko_maa|SSS",
      ])
        inArea.set(key, [...(inArea.get(key) ?? []), m.kunta]);
    const groups = new Map<string, (string | undefined)[]>();
    for (const r of all.filter((r) => r.level !== "kunta" && counted(r.status))) {
      const kunnat = inArea.get(`${r.level}|${r.area}`) ?? [];
      const statuses = [
        r.status,
        ...kunnat.map((k) => status.get(`${r.indicator_id}|${r.category}|kunta|${k}|${r.period}`)),
      ];
      // An area adds up the quarters a municipality sent even when its own period is missing (it did
      // not send them all): such a sum has a part no member's row shows, so only areas with no member
      // missing for the period make a group here (the audit below checks every sum).
      if (!statuses.includes("missing"))
        groups.set(
          `${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}`,
          statuses.filter(counted),
        );
    }
    expect(groups.size).toBeGreaterThan(300);
    expect(groupsWithOneHidden(groups)).toEqual([]);
  });

  // A year with one hidden quarter, or a total with one hidden cell, may be safe: the hidden quarter's
  // own numbers can be shown (only its rate hidden) or another period protect it. The audit decides.
  test("the audit finds no hidden number that the published ones give away or narrow", async () => {
    const report = await auditLatestRelease(t.env.db, t.env.config);
    expect(report.hiddenNumbers).toBeGreaterThan(100);
    expect(report.findings).toEqual([]);
  });

  test("a stock's year and its last quarter are hidden or shown together", async () => {
    const all = await rows();
    const byKey = new Map(
      all.map((r) => [`${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}`, r.status]),
    );
    const stocks = all.filter((r) => r.indicator_id.startsWith("vp-") && r.period_type === "year");
    expect(stocks.length).toBeGreaterThan(100);
    const differing = stocks.filter((r) => {
      const q4 = byKey.get(`${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}Q4`);
      return q4 !== undefined && (q4 === "suppressed") !== (r.status === "suppressed");
    });
    expect(differing).toEqual([]);
  });

  test("a year and the four quarters ending with its Q4 are hidden or shown together", async () => {
    const all = await rows();
    const byKey = new Map(
      all.map((r) => [`${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}`, r.status]),
    );
    const differing = all
      .filter((r) => r.period_type === "year")
      .filter((r) => {
        const twin = byKey.get(
          `${r.indicator_id}|${r.category}|${r.level}|${r.area}|${r.period}Q1-${r.period}Q4`,
        );
        return twin !== undefined && (twin === "suppressed") !== (r.status === "suppressed");
      });
    expect(differing).toEqual([]);
  });
});
