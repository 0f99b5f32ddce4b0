import fs from "node:fs";
import path from "node:path";
import { catalogue } from "./errors.ts";
import { PROJECT_ROOT } from "./root.ts";

const SEVERITY_FI = { error: "virhe (tiedosto hylätään)", warning: "varoitus (tiedosto ladataan)" } as const;

/** The analyst's reference of problem codes (docs/virhekoodit.md), generated from the one catalogue. */
export function renderErrorCatalogue(): string {
  const lines = [
    "# Tarkistusten ilmoitukset (virhekoodit)",
    "",
    "Tämä luettelo on tuotettu ohjelman virheluettelosta (`core/errors.ts`); älä muokkaa käsin, vaan aja",
    "`npm run docs`. Jokainen ilmoitus kertoo rivin (rivinumero kuten Excel sen näyttää), tiedoston fyysisen",
    "rivin, sarakkeen ja arvon. Virhe hylkää koko tiedoston: mitään siitä ei tallenneta. Varoitus ei estä latausta.",
    "",
    "Aaltosulkeissa olevat kohdat (esim. `{value}`) täyttyvät ilmoituksessa tiedoston tiedoilla.",
    "",
    "| koodi | laji | ilmoitus (suomeksi) | lokiteksti (englanniksi) |",
    "| --- | --- | --- | --- |",
  ];
  for (const [code, entry] of Object.entries(catalogue)) {
    const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
    lines.push(`| \`${code}\` | ${SEVERITY_FI[entry.severity]} | ${cell(entry.fi)} | ${cell(entry.en)} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** Where the generated reference lives. */
export const ERROR_CATALOGUE_DOC = path.join(PROJECT_ROOT, "docs", "virhekoodit.md");

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(ERROR_CATALOGUE_DOC, renderErrorCatalogue());
  console.log(`wrote ${ERROR_CATALOGUE_DOC}`);
}
