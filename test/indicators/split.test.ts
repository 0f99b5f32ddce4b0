import { describe, expect, test } from "vitest";
import { recomputeAll } from "../../indicators/compute.ts";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { KUNTOUTTAVA_OUTCOMES } from "../../pipelines/datasets/kuntouttava.ts";
import { KOHDERYHMAT } from "../../pipelines/datasets/vammaispalvelut.ts";
import { random } from "../support/random.ts";
import { KT, TIIMI, useComputed, VP } from "./support.ts";

// A release split by component among worker threads (indicators/protect/split.ts) is protected as it
// is in one thread: the same figures hidden, the same certificates, and an audit that finds nothing.

const KUNNAT = ["046", "097", "178", "213", "491", "593", "623", "681", "740", "768"];
const QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"];

/** Small random counts (0–6) of kuntouttava and vammaispalvelut for ten municipalities, eight quarters. */
function generated() {
  const rnd = random(6122026);
  const small = () => Math.floor(rnd() * 7);
  const kt = [`kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;${KUNTOUTTAVA_OUTCOMES.join(";")}`];
  const vp = [
    "kunta;vuosineljannes;kohderyhma;palkkatyo;avotyotoiminta;tyotoiminta;paivatoiminta;tyohonvalmennus",
  ];
  for (const kunta of KUNNAT)
    for (const q of QUARTERS) {
      const outcomes = KUNTOUTTAVA_OUTCOMES.map(() => small());
      kt.push([kunta, q, small() * 5, small(), outcomes.reduce((a, b) => a + b, 0), ...outcomes].join(";"));
      for (const group of KOHDERYHMAT)
        vp.push([kunta, q, group, small(), small(), small(), small(), small()].join(";"));
    }
  return { kt: `${kt.join("\n")}\n`, vp: `${vp.join("\n")}\n` };
}

const data = generated();
const files = { "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI, "kt2.csv": data.kt, "vp2.csv": data.vp };
const one = useComputed(files, { SEURANTA_PROTECTION_THREADS: "1" });
const two = useComputed(files, { SEURANTA_PROTECTION_THREADS: "2" });

/** What a release publishes, value by value, and its certificates. */
async function published(env: typeof one.env) {
  const values = await env.db.all<Record<string, unknown>>(
    `SELECT indicator_id, category, level, area, period_type, period, status, numerator, denominator
     FROM indicator_values ORDER BY ALL`,
  );
  const certificates = await env.db.all<Record<string, unknown>>(
    "SELECT component, kid, qi, atom, sign, count(*) AS n FROM release_certificates GROUP BY ALL ORDER BY ALL",
  );
  return { values, certificates };
}

describe("protection split among worker threads", () => {
  test("two threads hide the same figures with the same certificates as one", async () => {
    const [a, b] = await Promise.all([published(one.env), published(two.env)]);
    expect(b.values.length).toBeGreaterThan(1000);
    expect(b.values.filter((v) => v.status === "suppressed").length).toBeGreaterThan(100);
    expect(b.values).toEqual(a.values);
    expect(b.certificates).toEqual(a.certificates);
  });

  test("the release protected in parts passes the audit in parts", async () => {
    const report = await auditLatestRelease(two.env.db, two.env.config);
    expect(report.findings).toEqual([]);
    expect(report.hiddenNumbers).toBeGreaterThan(100);
    expect(report.byCertificate + report.byLp + report.knownZero).toBe(report.hiddenNumbers);
  });

  test("a recompute with two threads protects the components in two parts side by side", async () => {
    const summary = await recomputeAll(two.env.db, two.env.config, { trigger: "test" });
    expect(summary.suppressed?.parts).toBe(2);
  });
});
