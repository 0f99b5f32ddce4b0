import type { Database } from "../../core/db.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";

/**
 * The data status page: what has been received per dataset and quarter, and the latest inbox runs.
 * Counts only; file names and errors belong to signed-in admins (a later page).
 */
export async function statusPage(db: Database): Promise<string> {
  const sections: string[] = ["<h1>Tietojen tila</h1>"];
  for (const dataset of DATASETS) {
    const rows = await db.all<{ vuosineljannes: string; kunnat: bigint; rivit: bigint }>(
      `SELECT vuosineljannes, count(DISTINCT kunta) AS kunnat, count(*) AS rivit
       FROM ${dataset.name} GROUP BY vuosineljannes ORDER BY vuosineljannes DESC LIMIT 12`,
    );
    sections.push(`<h2>${escapeHtml(dataset.title.fi)} (${escapeHtml(dataset.name)})</h2>`);
    if (rows.length === 0) {
      sections.push("<p>Ei vielä ladattuja tietoja.</p>");
      continue;
    }
    sections.push(
      `<table><caption class="skip">${escapeHtml(dataset.title.fi)}: ilmoittaneet kunnat neljänneksittäin</caption>
      <thead><tr><th scope="col">Vuosineljännes</th><th scope="col">Ilmoittaneita kuntia</th><th scope="col">Rivejä</th></tr></thead><tbody>
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
  sections.push("<h2>Saapuneet-kansion viimeisimmät ajot</h2>");
  sections.push(
    runs.length === 0
      ? "<p>Ei ajoja vielä.</p>"
      : `<table><thead><tr><th scope="col">Alkoi</th><th scope="col">Tila</th><th scope="col">Tiedostoja</th><th scope="col">Ladattu</th><th scope="col">Hylätty</th></tr></thead><tbody>
      ${runs
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.started)}</td><td>${escapeHtml(r.status)}</td><td class="num">${r.files}</td><td class="num">${r.loaded}</td><td class="num">${r.rejected}</td></tr>`,
        )
        .join("\n")}</tbody></table>`,
  );
  return layout("Tietojen tila", sections.join("\n"));
}
