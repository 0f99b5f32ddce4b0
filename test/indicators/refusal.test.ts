import { describe, expect, test } from "vitest";
import type { AuditFinding, AuditReport } from "../../indicators/protect/audit.ts";
import { refusalOf } from "../../indicators/protect/refusal.ts";

// The publication decision after protection: a release is refused when its own audit finds a number
// given away; what it gives away together with the release served is recorded (shown on /tila).

const narrow: AuditFinding = { row: 3, which: 0, kind: "narrow", low: 1, high: 2 };

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
  test("publishes a release its own audit passes", () => {
    expect(refusalOf({ audit: report([]) })).toBeNull();
  });

  test("refuses a release its own audit finds a number in, naming it", () => {
    expect(refusalOf({ audit: report([narrow]) })).toEqual({ findings: 1, first: [narrow] });
  });
});
