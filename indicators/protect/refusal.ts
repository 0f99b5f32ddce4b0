import type { AuditFinding } from "./audit.ts";
import type { ProtectionSummary } from "./job.ts";

/** Why a release was refused: how many numbers it gave away, and the first of them. */
export interface Refusal {
  findings: number;
  first: AuditFinding[];
}

/**
 * Whether a protected release may be published: its own audit and the audit together with the release
 * being served (rule 3 of issue 2.1) must both find nothing. What the two still tell of the values a
 * correction has replaced since (superseded) is recorded in the run's summary, not refused: protecting
 * those would cost the whole country's figures (protect.ts earlierBest; README, Privacy).
 */
export function refusalOf(summary: Pick<ProtectionSummary, "audit" | "together">): Refusal | null {
  const together = summary.together;
  const findings = summary.audit.findings.length + (together?.findings ?? 0);
  if (findings === 0) return null;
  return {
    findings,
    first: [...summary.audit.findings, ...(together?.first.filter((f) => !f.superseded) ?? [])],
  };
}
