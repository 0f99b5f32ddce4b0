import type { Database } from "../../core/db.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import type { Lang } from "../i18n.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";

const T = {
  title: { fi: "Tietojen tila", sv: "Datastatus", en: "Data status" },
  none: {
    fi: "Ei vielä ladattuja tietoja.",
    sv: "Inga uppgifter har laddats ännu.",
    en: "No data loaded yet.",
  },
  quarter: { fi: "Vuosineljännes", sv: "Kvartal", en: "Quarter" },
  reported: { fi: "Ilmoittaneita kuntia", sv: "Kommuner som rapporterat", en: "Municipalities reporting" },
  rows: { fi: "Rivejä", sv: "Rader", en: "Rows" },
  caption: {
    fi: "ilmoittaneet kunnat neljänneksittäin",
    sv: "kommuner som rapporterat per kvartal",
    en: "municipalities reporting by quarter",
  },
  runs: {
    fi: "Saapuneet-kansion viimeisimmät ajot",
    sv: "Senaste körningar av inkorgen",
    en: "Latest inbox runs",
  },
  noRuns: { fi: "Ei ajoja vielä.", sv: "Inga körningar ännu.", en: "No runs yet." },
  started: { fi: "Alkoi", sv: "Började", en: "Started" },
  state: { fi: "Tila", sv: "Status", en: "Status" },
  files: { fi: "Tiedostoja", sv: "Filer", en: "Files" },
  loaded: { fi: "Ladattu", sv: "Laddade", en: "Loaded" },
  rejected: { fi: "Hylätty", sv: "Avvisade", en: "Rejected" },
} as const;

/**
 * The data status page: what has been received per dataset and quarter, and the latest inbox runs.
 * Counts only; file names and errors belong to signed-in admins (a later page).
 */
export async function statusPage(db: Database, lang: Lang = "fi"): Promise<string> {
  const sections: string[] = [`<h1>${T.title[lang]}</h1>`];
  for (const dataset of DATASETS) {
    const rows = await db.all<{ vuosineljannes: string; kunnat: bigint; rivit: bigint }>(
      `SELECT vuosineljannes, count(DISTINCT kunta) AS kunnat, count(*) AS rivit
       FROM ${dataset.name} GROUP BY vuosineljannes ORDER BY vuosineljannes DESC LIMIT 12`,
    );
    sections.push(`<h2>${escapeHtml(dataset.title[lang])} (${escapeHtml(dataset.name)})</h2>`);
    if (rows.length === 0) {
      sections.push(`<p>${T.none[lang]}</p>`);
      continue;
    }
    sections.push(
      `<table id="maarat-${dataset.name}"><caption class="visually-hidden">${escapeHtml(dataset.title[lang])}: ${T.caption[lang]}</caption>
      <thead><tr><th scope="col">${T.quarter[lang]}</th><th scope="col" class="num">${T.reported[lang]}</th><th scope="col" class="num">${T.rows[lang]}</th></tr></thead><tbody>
      ${rows
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.vuosineljannes.replace("Q", " Q"))}</td><td class="num">${formatCount(r.kunnat)}</td><td class="num">${formatCount(r.rivit)}</td></tr>`,
        )
        .join("\n")}
      </tbody></table>`,
    );
  }
  const runs = await db.all<{
    started: string;
    status: string;
    files: number;
    loaded: number;
    rejected: number;
  }>(
    `SELECT strftime(started_at, '%d.%m.%Y %H:%M') AS started, status, files, loaded, rejected
     FROM runs ORDER BY run_id DESC LIMIT 10`,
  );
  sections.push(`<h2>${T.runs[lang]}</h2>`);
  sections.push(
    runs.length === 0
      ? `<p>${T.noRuns[lang]}</p>`
      : `<table><thead><tr><th scope="col">${T.started[lang]}</th><th scope="col">${T.state[lang]}</th><th scope="col" class="num">${T.files[lang]}</th><th scope="col" class="num">${T.loaded[lang]}</th><th scope="col" class="num">${T.rejected[lang]}</th></tr></thead><tbody>
      ${runs
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.started)}</td><td>${escapeHtml(r.status)}</td><td class="num">${r.files}</td><td class="num">${r.loaded}</td><td class="num">${r.rejected}</td></tr>`,
        )
        .join("\n")}</tbody></table>`,
  );
  return layout({ title: T.title[lang], lang, path: "/tila", body: sections.join("\n") });
}
