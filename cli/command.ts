/** What every CLI command module exports. */
export interface Command {
  name: string;
  /** One line for `seuranta help`. */
  summary: string;
  usage: string;
  /** Returns the exit code: 0 all good, 1 usage or internal error, 2 some input rejected. */
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Thrown for wrong arguments; main prints the message and the usage, exit code 1. */
export class UsageError extends Error {}
