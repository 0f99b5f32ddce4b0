import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  appendTokenFile,
  newToken,
  readTokenFile,
  revokeFromTokenFile,
  TokenStore,
} from "../../core/tokens.ts";

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-tokens-")), "tokens.json");

describe("tokens", () => {
  it("the token file holds a hash, never the token", () => {
    const file = tempFile();
    const { token, entry } = newToken({ role: "analyst", name: "A", kunnat: ["182", "179"] });
    appendTokenFile(file, entry);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(token);
    // the secret is what follows the id (base64url: it may hold "_" itself)
    expect(text).not.toContain(token.slice(`seu_${entry.id}_`.length));
    expect(readTokenFile(file).tokens[0]).toMatchObject({ role: "analyst", kunnat: ["179", "182"] });
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it("a store verifies the token it was given and nothing else", () => {
    const file = tempFile();
    const { token, entry } = newToken({ role: "admin", name: "Ylläpitäjä" });
    appendTokenFile(file, entry);
    const store = TokenStore.fromFile(file);
    expect(store.verify(token)?.id).toBe(entry.id);
    expect(store.verify(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(store.verify(`seu_${entry.id}_short`)).toBeNull();
    expect(store.verify("")).toBeNull();
  });

  it("a token removed from the file stops working without a restart", () => {
    const file = tempFile();
    const { token, entry } = newToken({ role: "analyst", name: "A", kunnat: ["091"] });
    appendTokenFile(file, entry);
    const store = TokenStore.fromFile(file);
    expect(store.verify(token)).not.toBeNull();
    expect(revokeFromTokenFile(file, entry.id)).toBe(true);
    // the modification time may not move within the file system's resolution: make sure it does
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    expect(store.verify(token)).toBeNull();
    expect(store.byId(entry.id)).toBeNull();
  });

  it("a malformed token file is an error that names the file and the field", () => {
    const file = tempFile();
    fs.writeFileSync(file, JSON.stringify({ version: 1, tokens: [{ id: "x", role: "boss" }] }));
    expect(() => TokenStore.fromFile(file)).toThrow(/tokens\.json is malformed[\s\S]*role/);
  });
});
