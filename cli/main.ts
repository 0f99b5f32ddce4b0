import { type Command, type CommandIO, UsageError } from "./command.ts";

/**
 * Every command of `seuranta`: a new command is a module in cli/commands/ and an entry here. Help is
 * printed from this list alone; a command's module, and with it DuckDB, Fastify or exceljs, is imported
 * only when that command runs (start-up of `seuranta --help` is node's own, see `npm run bench startup`).
 */
export const COMMANDS: Command[] = [
  {
    name: "validate",
    summary: "tarkistaa CSV-tiedostot lataamatta niitä (kuiva-ajo)",
    usage: "validate <tiedostot|kansiot> [--json]",
    load: async () => (await import("./commands/ingest.ts")).validateRun,
  },
  {
    name: "ingest",
    summary: "tarkistaa ja lataa CSV-tiedostot tietokantaan",
    usage: "ingest <tiedostot|kansiot> [--json] [--sender NIMI]",
    load: async () => (await import("./commands/ingest.ts")).ingestRun,
  },
  {
    name: "inbox",
    summary: "käsittelee saapuneet-kansion tiedostot kerran (kun palvelin ei ole käynnissä)",
    usage: "inbox [--json]",
    load: async () => (await import("./commands/inbox.ts")).run,
  },
  {
    name: "compute",
    summary: "laskee kaikki indikaattorit uudelleen",
    usage: "compute [--json]",
    load: async () => (await import("./commands/compute.ts")).run,
  },
  {
    name: "audit",
    summary: "tarkastaa, ettei julkaistuista luvuista voi päätellä peitettyjä",
    usage: "audit [--json]",
    load: async () => (await import("./commands/audit.ts")).run,
  },
  {
    name: "show",
    summary: "näyttää indikaattorin arvot (pienet luvut peitettyinä)",
    usage:
      "show <indikaattori> [--level L] [--area KOODI] [--period P] [--category C] [--lang fi|sv|en] [--json]",
    load: async () => (await import("./commands/show.ts")).run,
  },
  {
    name: "export",
    summary: "raportti kaikista indikaattoreista tiedostoon (CSV, XLSX, JSON-stat, Arrow, Parquet)",
    // the formats and levels are written out so that help loads no export code; a test compares them
    // with FORMAT_NAMES and EXPORT_LEVELS
    usage:
      "export --format csv-excel|csv|xlsx|jsonstat|arrow|parquet (--year 2024 | --from 2024Q1 --to 2024Q4) " +
      "[--level hyvinvointialue|tyollisyysalue|kunta[,…]] [--out TIEDOSTO] [--lang fi|sv|en] [--release N] [--unsuppressed] [--json]",
    load: async () => (await import("./commands/export.ts")).run,
  },
  {
    name: "demo",
    summary: "luo esimerkkiaineiston (kaikki kunnat, 12 vuosineljännestä) ja lataa sen",
    usage: "demo [--json] [--out KANSIO] [--force]",
    load: async () => (await import("./commands/demo.ts")).run,
  },
  {
    name: "serve",
    summary:
      "käynnistää palvelimen ja saapuneet-kansion ajastuksen; --replica: lukukopio julkaisukansion tilannevedoksista",
    usage: "serve [--replica JULKAISUKANSIO]",
    load: async () => (await import("./commands/serve.ts")).serveRun,
  },
  {
    name: "start",
    summary: "kuten serve, mutta lataa tyhjään tietokantaan esimerkkiaineiston (npm start)",
    usage: "start [--no-demo]",
    load: async () => (await import("./commands/serve.ts")).startRun,
  },
  {
    name: "token",
    summary: "luo, luettelee tai poistaa käyttäjätunnisteita (SEURANTA_TOKENS)",
    usage: 'token create --role analyst|admin [--kunta 179,182] --name "…" | token list | token revoke <id>',
    load: async () => (await import("./commands/token.ts")).run,
  },
  {
    name: "backup",
    summary: "varmuuskopioi tietokannan, arkiston ja karanteenin (palvelin pysäytettynä)",
    usage: "backup --out KANSIO",
    load: async () => (await import("./commands/backup.ts")).backupRun,
  },
  {
    name: "restore",
    summary: "palauttaa varmuuskopion (tarkistaa tarkistussummat; --force korvaa olemassa olevat tiedot)",
    usage: "restore --from KANSIO [--force]",
    load: async () => (await import("./commands/backup.ts")).restoreRun,
  },
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
    const run = await command.load();
    return await run(rest, io);
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
