import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../core/config.ts";
import {
  appendTokenFile,
  newToken,
  ROLES,
  type Role,
  readTokenFile,
  revokeFromTokenFile,
} from "../../core/tokens.ts";
import { type CommandIO, UsageError } from "../command.ts";

/** Current municipality codes, read from the committed reference file (the server may hold the database). */
function currentKunnat(referenceDir: string): Map<string, string> {
  const lines = fs.readFileSync(path.join(referenceDir, "kunnat_2026.csv"), "utf8").trim().split(/\r?\n/);
  return new Map(lines.slice(1).map((line) => line.split(",") as [string, string]));
}

function tokensFile(io: CommandIO, file: string | undefined): string {
  const chosen = file ?? io.env.SEURANTA_TOKENS;
  if (!chosen) {
    throw new UsageError(
      "Tunnistetiedostoa ei ole annettu: aseta ympäristömuuttuja SEURANTA_TOKENS tai anna --file. " +
        "(No token file: set SEURANTA_TOKENS or pass --file.)",
    );
  }
  return path.resolve(chosen);
}

function create(args: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: "string" },
      kunta: { type: "string" },
      name: { type: "string" },
      file: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`Anna rooli: --role ${ROLES.join(" tai ")}.`);
  if (!values.name?.trim()) throw new UsageError('Anna nimi: --name "Etunimi Sukunimi, Kunta".');
  const kunnat = (values.kunta ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => k.padStart(3, "0"));
  if (role === "analyst" && kunnat.length === 0) {
    throw new UsageError("Analyytikolle anna kunnat, joiden tietoja hän saa lähettää: --kunta 179,182.");
  }
  if (role === "admin" && kunnat.length > 0)
    throw new UsageError("Ylläpitäjälle ei anneta kuntia (--kunta).");
  const known = currentKunnat(loadConfig(io.env).referenceDir);
  const unknown = kunnat.filter((k) => !/^\d{3}$/.test(k) || !known.has(k));
  if (unknown.length > 0) {
    throw new UsageError(`Tuntematon kuntanumero: ${unknown.join(", ")}. Käytä vuoden 2026 kuntanumeroita.`);
  }
  const file = tokensFile(io, values.file);
  const { token, entry } = newToken({ role, name: values.name.trim(), kunnat });
  appendTokenFile(file, entry);
  if (values.json) {
    io.out(
      `${JSON.stringify({ token, id: entry.id, role, name: entry.name, kunnat: entry.kunnat, file })}\n`,
    );
    return 0;
  }
  const where = kunnat.map((k) => `${known.get(k)} (${k})`).join(", ");
  io.out(
    `Uusi tunniste (${role === "admin" ? "ylläpitäjä" : `analyytikko: ${where}`}), ${entry.name}:\n\n  ${token}\n\n` +
      `Tunniste näytetään vain tämän kerran: anna se käyttäjälle turvallista tietä. Tiedostoon ${file} tallennettiin vain sen tiiviste (id ${entry.id}).\n`,
  );
  return 0;
}

function list(args: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args,
    options: { file: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const { tokens } = readTokenFile(tokensFile(io, values.file));
  if (values.json) {
    io.out(`${JSON.stringify(tokens.map(({ hash: _hash, ...rest }) => rest))}\n`);
    return 0;
  }
  if (tokens.length === 0) io.out("Ei tunnisteita.\n");
  for (const t of tokens) {
    io.out(
      `${t.id}  ${t.role.padEnd(7)}  ${t.name}${t.kunnat.length ? `  kunnat ${t.kunnat.join(",")}` : ""}  (${t.created})\n`,
    );
  }
  return 0;
}

function revoke(args: string[], io: CommandIO): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { file: { type: "string" } },
  });
  const [id] = positionals;
  if (!id) throw new UsageError("Anna poistettavan tunnisteen id (seuranta token list).");
  if (!revokeFromTokenFile(tokensFile(io, values.file), id)) {
    io.err(`Tunnistetta ${id} ei ole.\n`);
    return 1;
  }
  io.out(`Tunniste ${id} poistettiin; sen istunnot päättyvät heti.\n`);
  return 0;
}

/** `seuranta token create|list|revoke`: the token file (SEURANTA_TOKENS) holds hashes only. */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "create") return create(rest, io);
  if (sub === "list") return list(rest, io);
  if (sub === "revoke") return revoke(rest, io);
  throw new UsageError(`Tuntematon alikomento: ${sub ?? "(puuttuu)"}. Käytä create, list tai revoke.`);
}
