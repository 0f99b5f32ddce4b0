import { parseArgs } from "node:util";

/** What a CLI command module exports for each of its commands: runs it, returns the exit code. */
export type CommandRun = (args: string[], io: CommandIO) => Promise<number>;

/**
 * A command in the list of `seuranta`'s commands (cli/main.ts): what help shows without loading it,
 * and how to load it, so that a command imports its modules (DuckDB, Fastify, exceljs…) only when it runs.
 */
export interface Command {
  name: string;
  /** One line for `seuranta help`. */
  summary: string;
  usage: string;
  /** Imports the command's module; its run returns 0 all good, 1 usage or internal error, 2 input rejected. */
  load(): Promise<CommandRun>;
}

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Thrown for wrong arguments; main prints the message and the usage, exit code 1. */
export class UsageError extends Error {}

/** Parses the arguments of a command whose only option is `--json`; anything else is a UsageError. */
export function parseJsonOnly(args: string[]): { json: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: "boolean", default: false } },
    });
    if (positionals.length > 0) throw new UsageError(`Ylimääräinen argumentti: ${positionals[0]}`);
    return { json: Boolean(values.json) };
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}
