import { type Command, type CommandIO, UsageError } from "./command.ts";
import { auditCommand } from "./commands/audit.ts";
import { backupCommand, restoreCommand } from "./commands/backup.ts";
import { computeCommand } from "./commands/compute.ts";
import { demoCommand } from "./commands/demo.ts";
import { exportCommand } from "./commands/export.ts";
import { inboxCommand } from "./commands/inbox.ts";
import { ingestCommand, validateCommand } from "./commands/ingest.ts";
import { serveCommand, startCommand } from "./commands/serve.ts";
import { showCommand } from "./commands/show.ts";
import { tokenCommand } from "./commands/token.ts";

/** Every command of `seuranta`; a new command is a new module in cli/commands/ added here. */
export const COMMANDS: Command[] = [
  validateCommand,
  ingestCommand,
  inboxCommand,
  computeCommand,
  auditCommand,
  showCommand,
  exportCommand,
  demoCommand,
  serveCommand,
  startCommand,
  tokenCommand,
  backupCommand,
  restoreCommand,
];

function help(io: CommandIO) {
  io.out("seuranta — osatyökykyisten palvelujen seurantaindikaattorit\n\nKomennot:\n");
  for (const c of COMMANDS) io.out(`  ${c.usage.padEnd(44)} ${c.summary}\n`);
  io.out("\nPoistumiskoodit: 0 kaikki kunnossa, 1 käyttö- tai sisäinen virhe, 2 jokin tiedosto hylättiin.\n");
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    help(io);
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Tuntematon komento: ${name}\n`);
    help(io);
    return 1;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nKäyttö: seuranta ${command.usage}\n`);
      return 1;
    }
    io.err(`Sisäinen virhe: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

function defaultIO(): CommandIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  };
}
