import path from "node:path";
import { parseArgs } from "node:util";
import { BackupError, backup, dataFingerprint, restore } from "../../core/backup.ts";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { type CommandIO, UsageError } from "../command.ts";
import { openForCommand } from "../open.ts";

type Spec = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

function options(args: string[], spec: Spec) {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: spec });
    if (positionals.length > 0) throw new UsageError(`Ylimääräinen argumentti: ${positionals[0]}`);
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}

/** `seuranta backup --out DIR`: the database, the archive and the quarantine with a manifest. */
export async function backupRun(args: string[], io: CommandIO): Promise<number> {
  const values = options(args, { out: { type: "string" } });
  if (typeof values.out !== "string") throw new UsageError("Anna --out KANSIO.");
  const opened = await openForCommand(io);
  if (!opened) return 1;
  try {
    const manifest = await backup(opened.db, opened.config, path.resolve(values.out));
    io.out(
      `Varmuuskopio kansiossa ${path.resolve(values.out)}: ${manifest.files.length} tiedostoa, ` +
        `skeeman versio ${manifest.schema_version}, sormenjälki ${manifest.fingerprint.slice(0, 16)}.\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`${error.fi}\n`);
    return 1;
  } finally {
    await opened.db.close();
  }
}

/** `seuranta restore --from DIR [--force]`: checks the manifest, then puts the backup in place. */
export async function restoreRun(args: string[], io: CommandIO): Promise<number> {
  const values = options(args, { from: { type: "string" }, force: { type: "boolean", default: false } });
  if (typeof values.from !== "string") throw new UsageError("Anna --from KANSIO.");
  const config = loadConfig(io.env);
  try {
    const manifest = restore(path.resolve(values.from), config, { force: values.force === true });
    // the restored database opens (and is migrated) and holds the data the backup said
    const db = await Database.open(config.dbPath);
    try {
      if ((await dataFingerprint(db)) !== manifest.fingerprint) {
        io.err("Palautetun tietokannan sormenjälki ei täsmää varmuuskopion luetteloon.\n");
        return 1;
      }
    } finally {
      await db.close();
    }
    io.out(
      `Palautettu ${manifest.files.length} tiedostoa kansiosta ${path.resolve(values.from)} (${manifest.created_at}).\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`${error.fi}\n`);
    return 1;
  }
}
