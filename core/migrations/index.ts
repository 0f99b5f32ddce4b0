import { baseline } from "./001-baseline.ts";
import { loadsSenderId } from "./002-loads-sender-id.ts";
import { releases } from "./003-releases.ts";
import { releaseDefinitions } from "./004-release-definitions.ts";
import { releaseIps } from "./005-release-ips.ts";
import type { Migration } from "./migration.ts";

/** Every migration, in order; the last one's number is the schema version this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  baseline,
  loadsSenderId,
  releases,
  releaseDefinitions,
  releaseIps,
];
