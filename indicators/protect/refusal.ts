import type { AuditFinding } from "./audit.ts";
import type { ProtectionSummary } from "./job.ts";

/** Why a release was refused: how many numbers it gave away, and the first of them. */
export interface Refusal {
  findings: number;
  first: AuditFinding[];
}

/**
 * Whether a protected release may be published: its own audit must find nothing. The audit together
 * with the release being served (rule 3 of issue 2.1) is recorded in the run's summary and shown to
 * admins on /tila, not refused yet: on the bench's data (308 municipalities × 40 quarters) a recompute of
 * unchanged data still leaves 4 numbers that no pattern keeping the served figures protects, and refusing
 * would leave every later release unpublished (README, Privacy: two releases together).
 */
export function refusalOf(summary: Pick<ProtectionSummary, "audit">): Refusal | null {
  const findings = summary.audit.findings;
  return findings.length === 0 ? null : { findings: findings.length, first: findings };
}
