import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Access tokens. The token file (SEURANTA_TOKENS) holds only SHA-256 hashes of the tokens, never the
 * tokens themselves: a token is 32 random bytes, so a fast hash is as good as a slow one here. A token
 * reads `seu_<id>_<secret>`; the id finds its entry without comparing every hash, the comparison
 * itself runs in constant time.
 */

export const ROLES = ["analyst", "admin"] as const;
export const roleSchema = z
  .enum(ROLES)
  .describe("analyst: sends data for its municipalities; admin: sees all loads and unsuppressed exports");
export type Role = z.infer<typeof roleSchema>;

export const tokenEntrySchema = z.object({
  id: z
    .string()
    .regex(/^[a-f0-9]{8}$/)
    .describe("Public part of the token, shown in logs and the audit log"),
  hash: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/)
    .describe("SHA-256 of the whole token"),
  role: roleSchema,
  name: z.string().min(1).describe("Display name, e.g. the analyst's name and organisation"),
  kunnat: z
    .array(z.string().regex(/^\d{3}$/))
    .default([])
    .describe("Municipality codes an analyst may send data for"),
  created: z.string().describe("When the token was made (ISO time)"),
});
export type TokenEntry = z.infer<typeof tokenEntrySchema>;

export const tokenFileSchema = z.object({ version: z.literal(1), tokens: z.array(tokenEntrySchema) });
export type TokenFile = z.infer<typeof tokenFileSchema>;

const TOKEN_PATTERN = /^seu_([a-f0-9]{8})_([A-Za-z0-9_-]{43})$/;

function hashToken(token: string): string {
  return `sha256:${createHash("sha256").update(token, "utf8").digest("hex")}`;
}

/** Makes a new token and the entry that stores its hash; the token itself is shown once and kept nowhere. */
export function newToken(
  fields: { role: Role; name: string; kunnat?: string[] },
  now: Date = new Date(),
): { token: string; entry: TokenEntry } {
  const id = randomBytes(4).toString("hex");
  const token = `seu_${id}_${randomBytes(32).toString("base64url")}`;
  const entry = tokenEntrySchema.parse({
    id,
    hash: hashToken(token),
    role: fields.role,
    name: fields.name,
    kunnat: fields.role === "analyst" ? [...new Set(fields.kunnat ?? [])].sort() : [],
    created: now.toISOString(),
  });
  return { token, entry };
}

/** The tokens the server accepts: from the token file (re-read when it changes) or made for the demo. */
export class TokenStore {
  private entries = new Map<string, TokenEntry>();
  private loadedMtime = -1;

  private constructor(
    /** The token file, or null for an in-memory store (demo mode, tests). */
    readonly file: string | null,
    /** True when the server made the tokens itself for the demo. */
    readonly demo: boolean,
  ) {}

  /** A store backed by a token file; a missing file holds no tokens until it is written. */
  static fromFile(file: string): TokenStore {
    const store = new TokenStore(path.resolve(file), false);
    store.refresh();
    return store;
  }

  /** An in-memory store (tokens made with add()). */
  static inMemory(options: { demo?: boolean } = {}): TokenStore {
    return new TokenStore(null, options.demo ?? false);
  }

  /** Adds a token to an in-memory store and returns the token text. */
  add(fields: { role: Role; name: string; kunnat?: string[] }): { token: string; entry: TokenEntry } {
    if (this.file) throw new Error("add() is for in-memory stores; use `seuranta token create` for the file");
    const made = newToken(fields);
    this.entries.set(made.entry.id, made.entry);
    return made;
  }

  /** The entry of a token, or null when the token is unknown, malformed or revoked. */
  verify(token: string): TokenEntry | null {
    const match = TOKEN_PATTERN.exec(token.trim());
    if (!match) return null;
    this.refresh();
    const entry = this.entries.get(match[1] ?? "");
    if (!entry) return null;
    const expected = Buffer.from(entry.hash);
    const actual = Buffer.from(hashToken(token.trim()));
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? entry : null;
  }

  /** The entry of a token id (a session keeps the id); null once the token is removed from the file. */
  byId(id: string): TokenEntry | null {
    this.refresh();
    return this.entries.get(id) ?? null;
  }

  /** Number of tokens known. */
  get size(): number {
    this.refresh();
    return this.entries.size;
  }

  // the file is re-read when its modification time changes, so revoking a token needs no restart
  private refresh(): void {
    if (!this.file) return;
    let mtime: number;
    try {
      mtime = fs.statSync(this.file).mtimeMs;
    } catch {
      this.entries.clear();
      this.loadedMtime = -1;
      return;
    }
    if (mtime === this.loadedMtime) return;
    const parsed = readTokenFile(this.file);
    this.entries = new Map(parsed.tokens.map((t) => [t.id, t]));
    this.loadedMtime = mtime;
  }
}

/** Reads and checks a token file; a malformed file is an operator's error, so it throws with the reason. */
export function readTokenFile(file: string): TokenFile {
  if (!fs.existsSync(file)) return { version: 1, tokens: [] };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`token file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = tokenFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`token file ${file} is malformed: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Adds an entry to the token file, written atomically and readable by its owner only. */
export function appendTokenFile(file: string, entry: TokenEntry): void {
  const current = readTokenFile(file);
  const next: TokenFile = { version: 1, tokens: [...current.tokens, entry] };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Removes a token from the token file; false when no token had that id. */
export function revokeFromTokenFile(file: string, id: string): boolean {
  const current = readTokenFile(file);
  const tokens = current.tokens.filter((t) => t.id !== id);
  if (tokens.length === current.tokens.length) return false;
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
  return true;
}
