import { type Config, dataFolders, loadConfig } from "../core/config.ts";
import { Database, DatabaseLockedError } from "../core/db.ts";
import { preparePipelines } from "../pipelines/tables.ts";
import type { CommandIO } from "./command.ts";

/**
 * Opens the database for a command, with the reference data loaded. When the server holds the file,
 * says so plainly (Finnish for the analyst, English for the log) and returns null.
 */
export async function openForCommand(io: CommandIO): Promise<{ db: Database; config: Config } | null> {
  const config = loadConfig(io.env);
  try {
    const db = await Database.open(config.dbPath);
    await preparePipelines(db, config.referenceDir);
    return { db, config };
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      io.err(
        `Tietokanta ${config.dbPath} on toisen ohjelman käytössä${error.holder ? ` (${error.holder})` : ""}.\n` +
          "Palvelin (npm start / seuranta serve) pitää tietokantaa auki: pysäytä se ensin, tai pudota tiedosto " +
          `saapuneet-kansioon (${dataFolders(config).inbox}), niin palvelin lataa sen.\n` +
          `(${error.message})\n`,
      );
      return null;
    }
    throw error;
  }
}
