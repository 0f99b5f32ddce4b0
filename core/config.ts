import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { PROJECT_ROOT as projectRoot } from "./root.ts";

/** A rate limit: at most `max` requests in `minutes`. */
const rateLimitSchema = z.object({ max: z.number().int().min(1), minutes: z.number().positive() });
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** A rate limit from the environment, written `N/minutes` ("10/15": ten in a quarter of an hour), or as parsed. */
const rateSetting = z.union([
  z
    .string()
    .trim()
    .regex(/^\d+\s*\/\s*\d+(?:\.\d+)?$/, "write it as N/minutes, e.g. 10/15")
    .transform((text) => {
      const [max, minutes] = text.split("/").map((part) => Number(part.trim()));
      return { max: max ?? 0, minutes: minutes ?? 0 };
    })
    .pipe(rateLimitSchema),
  rateLimitSchema,
]);

/** An origin a browser sends: scheme, host and an optional port, nothing after it. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i;

/** SEURANTA_EMBED_ORIGINS: origins separated by commas or spaces (`https://www.hyvaks.fi https://x.fi`). */
const originsSetting = z.union([
  z
    .string()
    .transform((text) => text.split(/[\s,]+/).filter((o) => o !== ""))
    .pipe(z.array(z.string().regex(ORIGIN, "an origin such as https://www.example.fi (no path)"))),
  z.array(z.string().regex(ORIGIN)),
]);

/** Settings read from the environment; every one has a documented default (README, "Configuration"). */
export const configSchema = z.object({
  dbPath: z.string().describe("SEURANTA_DB: the DuckDB file (default data/seuranta.duckdb)"),
  dataDir: z
    .string()
    .describe("SEURANTA_DATA_DIR: folder holding inbox/, archive/, quarantine/ (default data/)"),
  referenceDir: z.string().describe("Folder of the committed reference data (data/reference)"),
  templatesDir: z.string().describe("Folder of the committed CSV templates (data/templates)"),
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe("SEURANTA_TODAY: fixed date YYYY-MM-DD that decides the last ended quarter"),
  inboxSchedule: z
    .string()
    .describe("SEURANTA_INBOX_CRON: node-cron schedule of the inbox scan (default */5 * * * *)"),
  inboxSettleS: z.coerce
    .number()
    .min(0)
    .describe(
      "SEURANTA_INBOX_SETTLE_S: seconds a file's size and modification time must stay the same before the inbox takes it (default 10)",
    ),
  cacheMb: z.coerce
    .number()
    .min(0)
    .describe(
      "SEURANTA_CACHE_MB: memory for rendered pages and downloads, in megabytes (default 50; 0 keeps none)",
    ),
  backupSchedule: z
    .string()
    .optional()
    .describe(
      "SEURANTA_BACKUP_CRON: node-cron schedule of the server's backups (default none: no scheduled backups)",
    ),
  backupDir: z
    .string()
    .describe("SEURANTA_BACKUP_DIR: folder of the scheduled backups (default data/backups)"),
  backupKeep: z.coerce
    .number()
    .int()
    .min(1)
    .describe("SEURANTA_BACKUP_KEEP: scheduled backups kept, the oldest removed first (default 7)"),
  releasesDir: z
    .string()
    .optional()
    .describe(
      "SEURANTA_RELEASES_DIR: where the writer puts each release's read-only snapshot for the replicas (default none: no snapshots)",
    ),
  writerUrl: z
    .string()
    .regex(/^https?:\/\/[^\s?#]+$/, "an address such as https://seuranta.example.fi")
    .optional()
    .describe(
      "SEURANTA_WRITER_URL: on a replica, where uploads and sign-ins go (named in its refusals; default SEURANTA_PUBLIC_URL)",
    ),
  port: z.coerce.number().int().min(0).max(65535).describe("PORT (default 3000)"),
  host: z.string().describe("HOST (default 127.0.0.1)"),
  tokensFile: z.string().optional().describe("SEURANTA_TOKENS: the token file"),
  maxProblems: z.coerce
    .number()
    .int()
    .positive()
    .describe("SEURANTA_MAX_PROBLEMS: problems listed per file (default 1000)"),
  suppressionThreshold: z.coerce.number().int().min(1).describe("SEURANTA_SUPPRESSION_THRESHOLD (default 5)"),
  protectionRange: z.coerce
    .number()
    .min(1)
    .describe(
      "SEURANTA_PROTECTION_RANGE: the narrowest range an attacker may prove for a hidden number (default 2)",
    ),
  protectionThreads: z.coerce
    .number()
    .int()
    .min(1)
    .describe(
      "SEURANTA_PROTECTION_THREADS: worker threads protecting and auditing a release, its table systems shared among them (default the cores available, at most 4)",
    ),
  trustProxy: z
    .union([z.boolean(), z.string().min(1)])
    .describe(
      "SEURANTA_TRUST_PROXY: behind a reverse proxy, whom to trust for the client address (true, or the proxy's addresses/CIDRs comma-separated; default false)",
    ),
  uploadMaxBytes: z.coerce
    .number()
    .int()
    .positive()
    .describe("SEURANTA_UPLOAD_MB: largest file the upload accepts, in megabytes (default 20)"),
  rateSignin: rateSetting.describe(
    "SEURANTA_RATE_SIGNIN: sign-in attempts per IP address, as N/minutes (default 10/15)",
  ),
  rateUpload: rateSetting.describe(
    "SEURANTA_RATE_UPLOAD: uploads per token (per IP address when anonymous), as N/minutes (default 30/10)",
  ),
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/, "an address such as https://seuranta.example.fi")
    .transform((u) => u.replace(/\/+$/, ""))
    .describe(
      "SEURANTA_PUBLIC_URL: the address readers reach the service at, for embed snippets and oEmbed (default http://HOST:PORT)",
    ),
  embedOrigins: originsSetting.describe(
    "SEURANTA_EMBED_ORIGINS: origins whose pages may frame the embed pages /upotus/… (comma- or space-separated, e.g. https://www.hyvaks.fi; default none)",
  ),
});
export type Config = z.infer<typeof configSchema>;

/** Builds the configuration from environment variables (defaults relative to the project folder). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.SEURANTA_DATA_DIR ?? path.join(projectRoot, "data"));
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  return configSchema.parse({
    dbPath: path.resolve(env.SEURANTA_DB ?? path.join(dataDir, "seuranta.duckdb")),
    dataDir,
    referenceDir: path.join(projectRoot, "data", "reference"),
    templatesDir: path.join(projectRoot, "data", "templates"),
    today: nonEmpty(env.SEURANTA_TODAY),
    inboxSchedule: env.SEURANTA_INBOX_CRON ?? "*/5 * * * *",
    inboxSettleS: nonEmpty(env.SEURANTA_INBOX_SETTLE_S) ?? 10,
    cacheMb: nonEmpty(env.SEURANTA_CACHE_MB) ?? 50,
    backupSchedule: nonEmpty(env.SEURANTA_BACKUP_CRON),
    backupDir: path.resolve(nonEmpty(env.SEURANTA_BACKUP_DIR) ?? path.join(dataDir, "backups")),
    backupKeep: nonEmpty(env.SEURANTA_BACKUP_KEEP) ?? 7,
    releasesDir: env.SEURANTA_RELEASES_DIR ? path.resolve(env.SEURANTA_RELEASES_DIR) : undefined,
    writerUrl: nonEmpty(env.SEURANTA_WRITER_URL),
    port: env.PORT ?? 3000,
    host: env.HOST ?? "127.0.0.1",
    tokensFile: nonEmpty(env.SEURANTA_TOKENS),
    maxProblems: env.SEURANTA_MAX_PROBLEMS ?? 1000,
    suppressionThreshold: env.SEURANTA_SUPPRESSION_THRESHOLD ?? 5,
    protectionRange: env.SEURANTA_PROTECTION_RANGE ?? 2,
    protectionThreads: nonEmpty(env.SEURANTA_PROTECTION_THREADS) ?? Math.min(4, os.availableParallelism()),
    trustProxy: trustProxySetting(nonEmpty(env.SEURANTA_TRUST_PROXY)),
    uploadMaxBytes: Math.round(Number(env.SEURANTA_UPLOAD_MB ?? 20) * 1024 * 1024),
    rateSignin: nonEmpty(env.SEURANTA_RATE_SIGNIN) ?? "10/15",
    rateUpload: nonEmpty(env.SEURANTA_RATE_UPLOAD) ?? "30/10",
    publicUrl: nonEmpty(env.SEURANTA_PUBLIC_URL) ?? `http://${env.HOST ?? "127.0.0.1"}:${env.PORT ?? 3000}`,
    embedOrigins: nonEmpty(env.SEURANTA_EMBED_ORIGINS) ?? [],
    ...overrides,
  });
}

/** SEURANTA_TRUST_PROXY as Fastify's trustProxy: true/false, or the proxies' addresses. */
function trustProxySetting(value: string | undefined): boolean | string {
  if (value === undefined || /^(false|0|no)$/i.test(value)) return false;
  return /^(true|1|yes)$/i.test(value) ? true : value;
}

/** Folders under the data directory where files wait, are kept and are set aside. */
export function dataFolders(config: Config) {
  return {
    inbox: path.join(config.dataDir, "inbox"),
    archive: path.join(config.dataDir, "archive"),
    quarantine: path.join(config.dataDir, "quarantine"),
  };
}

/** The date that decides which quarters have ended: SEURANTA_TODAY when set, else the clock. */
export function todayOf(config: Config, now: Date = new Date()): string {
  return config.today ?? now.toISOString().slice(0, 10);
}
