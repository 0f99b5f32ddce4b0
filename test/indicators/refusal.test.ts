import { describe, expect, test } from "vitest";
import type { AuditFinding, AuditReport } from "../../indicators/protect/audit.ts";
import { refusalOf } from "../../indicators/protect/refusal.ts";

// The publication decision after protection: a release is refused when its own audit or the audit
// together with the release being served finds a number given away; values a correction replaced are
// recorded only.

const narrow: AuditFinding = { row: 3, which: 0, kind: "narrow", low: 1, high: 2 };
const derivable: AuditFinding = { row: 7, which: 1, kind: "derivable", low: null, high: null };
const superseded: AuditFinding = { ...derivable, row: 9, earlier: true, superseded: true };

function report(findings: AuditFinding[]): AuditReport {
  return {
    publishedForms: 10,
    hiddenNumbers: 4,
    knownZero: 0,
    byCertificate: 4 - findings.length,
    byLp: 0,
    findings,
    superseded: [],
    ms: {},
  };
}

describe("refusalOf", () => {
  test("publishes a release both audits pass", () => {
    expect(refusalOf({ audit: report([]), together: { findings: 0, superseded: 0, first: [] } })).toBeNull();
  });

  test("refuses a release its own audit finds a number in", () => {
    expect(refusalOf({ audit: report([narrow]), together: null })).toEqual({ findings: 1, first: [narrow] });
  });

  test("refuses a release that gives a number away only together with the one served", () => {
    const together = { findings: 1, superseded: 1, first: [derivable, superseded] };
    expect(refusalOf({ audit: report([]), together })).toEqual({ findings: 1, first: [derivable] });
  });

  test("publishes a release that tells only values a correction has replaced", () => {
    const together = { findings: 0, superseded: 1, first: [superseded] };
    expect(refusalOf({ audit: report([]), together })).toBeNull();
  });
});
