import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/main.ts";
import { FORMAT_NAMES } from "../../exports/formats/index.ts";
import { EXPORT_LEVELS } from "../../exports/report.ts";

describe("the command list", () => {
  it("loads a run function for every command, each name once", async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const command of COMMANDS) expect(typeof (await command.load()), command.name).toBe("function");
  });

  it("gives export's usage with every format and level the command accepts", () => {
    const usage = COMMANDS.find((c) => c.name === "export")?.usage ?? "";

    expect(usage).toContain(`--format ${FORMAT_NAMES.join("|")} `);
    expect(usage).toContain(`--level ${[...EXPORT_LEVELS].reverse().join("|")}[,…]`);
  });
});

// bin/seuranta.js in a folder of its own, with stand-ins for the compiled and the source CLI
describe("bin/seuranta.js", () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const run = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(root, "bin", "seuranta.js"), "a", "b"], {
      env: { ...process.env, SEURANTA_FROM_SOURCE: "", ...env },
      encoding: "utf8",
    });
  const built = (started: number) =>
    write("dist/build.json", JSON.stringify({ started, sources: ["cli", "core"] }));
  const past = (seconds: number) => new Date(Date.now() - seconds * 1000);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-bin-"));
    write(
      "bin/seuranta.js",
      fs.readFileSync(path.resolve(import.meta.dirname, "../../bin/seuranta.js"), "utf8"),
    );
    fs.symlinkSync(path.resolve(import.meta.dirname, "../../node_modules"), path.join(root, "node_modules"));
    const stub = (from: string) =>
      `export async function main(args${from === "source" ? ": string[]" : ""}) { console.log("${from}", args.join(" ")); return 3; }\n`;
    write("package.json", '{ "type": "module" }\n');
    write("dist/cli/main.js", stub("compiled"));
    write("cli/main.ts", stub("source"));
    write("core/x.ts", "export {};\n");
    // the sources as a fresh clone has them: older than the build
    for (const file of ["cli/main.ts", "core/x.ts", "cli", "core"])
      fs.utimesSync(path.join(root, file), past(60), past(60));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("runs the compiled code when it was built after the last change to the sources", () => {
    built(Date.now() - 30_000);

    const result = run();

    expect(result.stdout).toBe("compiled a b\n");
    expect(result.status).toBe(3);
  });

  it("runs the sources when a source file changed since the build", () => {
    built(Date.now() - 30_000);
    fs.utimesSync(path.join(root, "core/x.ts"), new Date(), new Date());

    expect(run().stdout).toBe("source a b\n");
  });

  it("runs the sources when a source file was added or removed since the build", () => {
    built(Date.now() - 30_000);
    fs.rmSync(path.join(root, "core/x.ts"));

    expect(run().stdout).toBe("source a b\n");
  });

  it("runs the sources without a build, or when SEURANTA_FROM_SOURCE=1", () => {
    expect(run().stdout).toBe("source a b\n");
    built(Date.now() - 30_000);
    expect(run({ SEURANTA_FROM_SOURCE: "1" }).stdout).toBe("source a b\n");
  });
});
