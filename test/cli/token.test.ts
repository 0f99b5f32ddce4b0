import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { TokenStore } from "../../core/tokens.ts";
import { runCli } from "../support/cli.ts";

/** Runs the CLI in this process (the token command never opens the database). */
async function run(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env: { ...process.env, ...env },
  });
  return { status, stdout, stderr };
}

const tokensEnv = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-token-cli-"));
  return { SEURANTA_TOKENS: path.join(dir, "tokens.json"), SEURANTA_DATA_DIR: dir };
};

describe("seuranta token", () => {
  it("create prints a new analyst token once (the real bin); the file then accepts it with its municipalities", async () => {
    const env = tokensEnv();
    const made = runCli(
      ["token", "create", "--role", "analyst", "--kunta", "179,182", "--name", "Anna A"],
      env,
    );
    expect(made.status).toBe(0);
    const token = /seu_[a-f0-9]{8}_[A-Za-z0-9_-]{43}/.exec(made.stdout)?.[0] ?? "";
    expect(made.stdout).toContain("Jyväskylä (179), Jämsä (182)");
    const entry = TokenStore.fromFile(env.SEURANTA_TOKENS).verify(token);
    expect(entry).toMatchObject({ role: "analyst", name: "Anna A", kunnat: ["179", "182"] });
    const listed = await run(["token", "list"], env);
    expect(listed.stdout).toContain("Anna A");
    expect(listed.stdout).not.toContain(token);
  });

  it("an unknown municipality code or a missing role is a usage error (exit 1) that says what is right", async () => {
    const env = tokensEnv();
    const unknown = await run(["token", "create", "--role", "analyst", "--kunta", "999", "--name", "X"], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("Tuntematon kuntanumero: 999");
    const noRole = await run(["token", "create", "--name", "X"], env);
    expect(noRole.status).toBe(1);
    expect(noRole.stderr).toContain("--role analyst tai admin");
  });

  it("revoke removes a token by its id", async () => {
    const env = tokensEnv();
    const made = await run(["token", "create", "--role", "admin", "--name", "Ylläpito", "--json"], env);
    const { id, token } = JSON.parse(made.stdout) as { id: string; token: string };
    expect((await run(["token", "revoke", id], env)).status).toBe(0);
    expect(TokenStore.fromFile(env.SEURANTA_TOKENS).verify(token)).toBeNull();
    expect((await run(["token", "revoke", id], env)).status).toBe(1);
  });
});
