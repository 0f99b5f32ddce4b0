import type { Config } from "../../core/config.ts";
import { todayOf } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { lastEndedQuarter, quarterIndex, quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { LABELS } from "../../indicators/format.ts";
import { publicationState } from "../../indicators/release/publication.ts";
import type { DatasetDefinition } from "../../pipelines/datasets/dataset.ts";
import { DATASETS } from "../../pipelines/datasets/index.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";
import { publicationStatusLine } from "./publication.ts";

/** Quarters shown in the completeness matrix, the latest ended one last. */
export const MATRIX_QUARTERS = 8;

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
  counts: {
    fi: "Ilmoittaneet kunnat aineistoittain",
    sv: "Rapporterande kommuner per dataset",
    en: "Municipalities reporting by dataset",
  },
  matrix: {
    fi: "Tietojen kattavuus kunnittain",
    sv: "Täckning per kommun",
    en: "Completeness by municipality",
  },
  dataset: { fi: "Aineisto", sv: "Dataset", en: "Dataset" },
  county: { fi: "Hyvinvointialue", sv: "Välfärdsområde", en: "Wellbeing services county" },
  show: { fi: "Näytä", sv: "Visa", en: "Show" },
  municipality: LABELS.municipality,
  received: { fi: "saatu", sv: "mottagen", en: "received" },
  missing: { fi: "puuttuu", sv: "saknas", en: "missing" },
  revised: { fi: "korjattu", sv: "korrigerad", en: "revised" },
  legend: {
    fi: "✓ saatu: tiedot on ladattu; ✎ korjattu: tiedot on ladattu ja myöhempi tiedosto on korvannut ne; – puuttuu: tietoja ei ole ilmoitettu.",
    sv: "✓ mottagen: uppgifterna har laddats; ✎ korrigerad: uppgifterna har laddats och en senare fil har ersatt dem; – saknas: inga uppgifter har rapporterats.",
    en: "✓ received: the data has been loaded; ✎ revised: the data has been loaded and a later file replaced it; – missing: nothing has been reported.",
  },
  summary: { fi: "Saatu", sv: "Mottagna", en: "Received" },
  matrixCaption: {
    fi: "kunnat ja neljännekset: saatu, korjattu tai puuttuu",
    sv: "kommuner och kvartal: mottagen, korrigerad eller saknas",
    en: "municipalities and quarters: received, revised or missing",
  },
  mergers: {
    fi: "Kunnat ovat nykyisen kuntajaon mukaiset: yhdistyneen kunnan tiedot näkyvät sen seuraajakunnalla.",
    sv: "Kommunerna följer den nuvarande kommunindelningen: uppgifter för en sammanslagen kommun visas för dess efterträdare.",
    en: "Municipalities follow the current division: data of a merged municipality shows under its successor.",
  },
  history: { fi: "Lataushistoria", sv: "Laddningshistorik", en: "Load history" },
  historyNote: {
    fi: "Tiedostojen määrät päivittäin. Tiedostojen nimet ja virheet näkyvät vain ylläpitäjille.",
    sv: "Antal filer per dag. Filnamn och fel visas bara för administratörer.",
    en: "Number of files per day. File names and errors are shown to administrators only.",
  },
  noHistory: { fi: "Ei latauksia vielä.", sv: "Inga laddningar ännu.", en: "No loads yet." },
  day: { fi: "Päivä", sv: "Dag", en: "Day" },
  runs: {
    fi: "Saapuneet-kansion viimeisimmät ajot",
    sv: "Senaste körningar av inkorgen",
    en: "Latest inbox runs",
  },
  noRuns: { fi: "Ei ajoja vielä.", sv: "Inga körningar ännu.", en: "No runs yet." },
  started: { fi: "Alkoi", sv: "Började", en: "Started" },
  state: LABELS.status,
  files: { fi: "Tiedostoja", sv: "Filer", en: "Files" },
  loaded: { fi: "Ladattu", sv: "Laddade", en: "Loaded" },
  rejected: { fi: "Hylätty", sv: "Avvisade", en: "Rejected" },
  badRequest: { fi: "Virheellinen valinta", sv: "Ogiltigt val", en: "Invalid choice" },
} as const;

const MESSAGES = {
  dataset: {
    fi: (v: string) =>
      `Tuntematon aineisto ”${v}”. Valitse jokin näistä: ${DATASETS.map((d) => d.name).join(", ")}.`,
    sv: (v: string) => `Okänt dataset ”${v}”. Välj ett av dessa: ${DATASETS.map((d) => d.name).join(", ")}.`,
    en: (v: string) => `Unknown dataset “${v}”. Choose one of: ${DATASETS.map((d) => d.name).join(", ")}.`,
  },
  county: {
    fi: (v: string) =>
      `Tuntematon hyvinvointialue ”${v}”. Anna alueen kaksinumeroinen koodi (esim. 15 = Keski-Suomen hyvinvointialue) tai valitse alue luettelosta.`,
    sv: (v: string) =>
      `Okänt välfärdsområde ”${v}”. Ange områdets tvåsiffriga kod (t.ex. 15 = Mellersta Finlands välfärdsområde) eller välj i listan.`,
    en: (v: string) =>
      `Unknown wellbeing services county “${v}”. Give its two-digit code (e.g. 15 = Central Finland) or choose it from the list.`,
  },
  repeated: {
    fi: (v: string) => `Parametri ”${v}” on annettu useammin kuin kerran.`,
    sv: (v: string) => `Parametern ”${v}” har angetts mer än en gång.`,
    en: (v: string) => `The parameter “${v}” is given more than once.`,
  },
} as const;

interface County {
  code: string;
  name: string;
}

/** The matrix's choice: one dataset and one wellbeing services county. */
export interface StatusSelection {
  dataset: DatasetDefinition;
  county: string;
  /** Whether the request named them (then the language switch keeps them in its links). */
  explicit: boolean;
}

/** The query string of /tila: `aineisto` (a dataset name) and `alue` (a county code), both optional. */
export type StatusQuery = Record<string, string | string[] | undefined>;

async function countiesOf(db: Queryable, lang: Lang): Promise<County[]> {
  const column = { fi: "nimi_fi", sv: "nimi_sv", en: "nimi_en" }[lang];
  return db.all<{ code: string; name: string }>(
    `SELECT hyvinvointialue AS code, ${column} AS name FROM ref_hyvinvointialue ORDER BY hyvinvointialue`,
  );
}

/**
 * Checks `aineisto` and `alue` against the known datasets and the county codes of ref_hyvinvointialue.
 * Missing ones get defaults (the first dataset and county); a wrong one is an error message in `lang`.
 */
export async function parseSelection(
  db: Queryable,
  query: StatusQuery,
  lang: Lang,
): Promise<{ ok: true; selection: StatusSelection } | { ok: false; message: string }> {
  const single = (name: string): string | undefined | null => {
    const value = query[name];
    if (Array.isArray(value)) return null;
    const trimmed = value?.trim();
    return trimmed === "" ? undefined : trimmed;
  };
  const datasetName = single("aineisto");
  const county = single("alue");
  if (datasetName === null) return { ok: false, message: MESSAGES.repeated[lang]("aineisto") };
  if (county === null) return { ok: false, message: MESSAGES.repeated[lang]("alue") };
  const dataset = datasetName === undefined ? DATASETS[0] : DATASETS.find((d) => d.name === datasetName);
  if (!dataset) return { ok: false, message: MESSAGES.dataset[lang](datasetName ?? "") };
  const counties = await countiesOf(db, lang);
  const chosen = county === undefined ? counties[0] : counties.find((c) => c.code === county);
  if (!chosen) return { ok: false, message: MESSAGES.county[lang](county ?? "") };
  return {
    ok: true,
    selection: { dataset, county: chosen.code, explicit: datasetName !== undefined || county !== undefined },
  };
}

type CellState = "received" | "revised" | "missing";
const SYMBOL: Record<CellState, string> = { received: "✓", revised: "✎", missing: "–" };

/** The latest ended quarters, oldest first. */
function matrixQuarters(config: Config): string[] {
  const last = quarterIndex(lastEndedQuarter(todayOf(config)));
  return Array.from({ length: MATRIX_QUARTERS }, (_, i) =>
    quarterLabel(quarterOfIndex(last - MATRIX_QUARTERS + 1 + i)),
  );
}

const quarterText = (q: string) => q.replace("Q", " Q");

/** The completeness matrix of one dataset and county: municipalities × the latest quarters. */
async function completenessMatrix(
  db: Queryable,
  config: Config,
  lang: Lang,
  selection: StatusSelection,
  counties: County[],
): Promise<string> {
  const quarters = matrixQuarters(config);
  const first = quarters[0] ?? "";
  const last = quarters[quarters.length - 1] ?? "";
  const nameColumn = { fi: "nimi_fi", sv: "nimi_sv", en: "nimi_en" }[lang];
  const municipalities = await db.all<{ kunta: string; nimi: string }>(
    `SELECT kunta, ${nameColumn} AS nimi FROM ref_kunta WHERE hyvinvointialue = ? ORDER BY nimi_fi`,
    [selection.county],
  );
  // the dataset name is a table name from the known list (never from the request); values are bound
  const table = selection.dataset.name;
  const received = await db.all<{ kunta: string; q: string }>(
    `SELECT DISTINCT coalesce(l.uusi_kunta, t.kunta) AS kunta, ${QUARTER_OF_ROW} AS q
     FROM ${table} t LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = t.kunta
     WHERE ${QUARTER_OF_ROW} BETWEEN ? AND ?`,
    [first, last],
  );
  const revised = await db.all<{ kunta: string; q: string }>(
    `WITH keys AS (
       SELECT unnest(json_extract(keys_replaced, '$[*]')) AS k FROM loads
       WHERE status = 'loaded' AND dataset = ? AND json_array_length(keys_replaced) > 0)
     SELECT DISTINCT coalesce(l.uusi_kunta, k->>'kunta') AS kunta, k->>'vuosineljannes' AS q
     FROM keys LEFT JOIN ref_kuntaliitos l ON l.vanha_kunta = k->>'kunta'
     WHERE k->>'vuosineljannes' BETWEEN ? AND ?`,
    [table, first, last],
  );
  const has = new Set(received.map((r) => `${r.kunta} ${r.q}`));
  const replaced = new Set(revised.map((r) => `${r.kunta} ${r.q}`));
  const state = (kunta: string, q: string): CellState =>
    !has.has(`${kunta} ${q}`) ? "missing" : replaced.has(`${kunta} ${q}`) ? "revised" : "received";

  const countyName = counties.find((c) => c.code === selection.county)?.name ?? selection.county;
  const datasetOptions = DATASETS.map(
    (d) =>
      `<option value="${escapeHtml(d.name)}"${d.name === selection.dataset.name ? " selected" : ""}>${escapeHtml(d.title[lang])}</option>`,
  ).join("");
  const countyOptions = counties
    .map(
      (c) =>
        `<option value="${escapeHtml(c.code)}"${c.code === selection.county ? " selected" : ""}>${escapeHtml(c.name)}</option>`,
    )
    .join("");
  const form = `<form method="get" action="${escapeHtml(pathIn(lang, "/tila"))}" class="matrix-form">
  <span class="field"><label for="aineisto">${T.dataset[lang]}</label> <select id="aineisto" name="aineisto">${datasetOptions}</select></span>
  <span class="field"><label for="alue">${T.county[lang]}</label> <select id="alue" name="alue">${countyOptions}</select></span>
  <button type="submit">${T.show[lang]}</button>
</form>`;

  const cell = (s: CellState) =>
    `<td class="cell-${s}" data-state="${s}"><span aria-hidden="true">${SYMBOL[s]}</span> ${T[s][lang]}</td>`;
  const rows = municipalities
    .map(
      (m) =>
        `<tr><th scope="row">${escapeHtml(m.nimi)} <span class="code">${escapeHtml(m.kunta)}</span></th>${quarters
          .map((q) => cell(state(m.kunta, q)))
          .join("")}</tr>`,
    )
    .join("\n");
  const summary = quarters
    .map((q) => {
      const n = municipalities.filter((m) => state(m.kunta, q) !== "missing").length;
      return `<td class="num" data-quarter="${q}">${n}/${municipalities.length}</td>`;
    })
    .join("");
  return `<h2 id="kattavuus">${T.matrix[lang]}</h2>
${form}
<p class="notice">${T.legend[lang]}</p>
<div class="matrix-wrap"><table id="kattavuus-taulukko" class="matrix">
<caption>${escapeHtml(selection.dataset.title[lang])}, ${escapeHtml(countyName)}: ${T.matrixCaption[lang]}</caption>
<thead><tr><th scope="col">${T.municipality[lang]}</th>${quarters.map((q) => `<th scope="col">${quarterText(q)}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">${T.summary[lang]}</th>${summary}</tr></tfoot>
</table></div>
<p>${T.mergers[lang]}</p>`;
}

// Cells carry text and a symbol; the colours only repeat them (dark text on light backgrounds).
const MATRIX_CSS = `<style>
.matrix-form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.5rem 0 1rem; }
.matrix-form .field { white-space: nowrap; }
.matrix-form select, .matrix-form button { font: inherit; padding: 0.25rem 0.5rem; }
.matrix-wrap { overflow-x: auto; }
table.matrix td, table.matrix th { white-space: nowrap; font-size: 0.875rem; }
table.matrix .code { color: var(--text-secondary); }
td.cell-received { background: #e6f2ea; }
td.cell-revised { background: #fdf1d6; }
td.cell-missing { background: #f6f6f7; }
</style>`;

/**
 * A data row's quarter as a label (2024Q1): every dataset table has it as vuosi and neljannes, also one
 * whose rows are dated rather than sent per quarter (ips).
 */
const QUARTER_OF_ROW = "(t.vuosi || 'Q' || t.neljannes)";

async function countsTables(db: Queryable, lang: Lang): Promise<string[]> {
  const sections: string[] = [`<h2>${T.counts[lang]}</h2>`];
  for (const dataset of DATASETS) {
    const rows = await db.all<{ vuosineljannes: string; kunnat: bigint; rivit: bigint }>(
      `SELECT ${QUARTER_OF_ROW} AS vuosineljannes, count(DISTINCT kunta) AS kunnat, count(*) AS rivit
       FROM ${dataset.name} t GROUP BY 1 ORDER BY 1 DESC LIMIT 12`,
    );
    sections.push(`<h3>${escapeHtml(dataset.title[lang])} (${escapeHtml(dataset.name)})</h3>`);
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
            `<tr><td>${escapeHtml(quarterText(r.vuosineljannes))}</td><td class="num">${formatCount(r.kunnat)}</td><td class="num">${formatCount(r.rivit)}</td></tr>`,
        )
        .join("\n")}
      </tbody></table>`,
    );
  }
  return sections;
}

/**
 * Files loaded and rejected per day (Finnish time): counts only, for everyone. (A file sent again with
 * the same bytes is not a load and leaves no row.)
 */
async function loadHistory(db: Queryable, lang: Lang): Promise<string> {
  const days = await db.all<{ day: string; loaded: number; rejected: number }>(
    `SELECT strftime(received_at AT TIME ZONE 'Europe/Helsinki', '%d.%m.%Y') AS day,
       count(*) FILTER (WHERE status = 'loaded')::INTEGER AS loaded,
       count(*) FILTER (WHERE status = 'rejected')::INTEGER AS rejected
     FROM loads GROUP BY ALL ORDER BY max(received_at) DESC LIMIT 14`,
  );
  const table =
    days.length === 0
      ? `<p>${T.noHistory[lang]}</p>`
      : `<table id="lataushistoria"><caption class="visually-hidden">${T.history[lang]}</caption>
<thead><tr><th scope="col">${T.day[lang]}</th><th scope="col" class="num">${T.loaded[lang]}</th><th scope="col" class="num">${T.rejected[lang]}</th></tr></thead><tbody>
${days.map((d) => `<tr><td>${escapeHtml(d.day)}</td><td class="num">${formatCount(d.loaded)}</td><td class="num">${formatCount(d.rejected)}</td></tr>`).join("\n")}
</tbody></table>`;
  return `<h2>${T.history[lang]}</h2>\n<p>${T.historyNote[lang]}</p>\n${table}`;
}

async function latestRuns(db: Queryable, lang: Lang): Promise<string> {
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
  return `<h2>${T.runs[lang]}</h2>\n${
    runs.length === 0
      ? `<p>${T.noRuns[lang]}</p>`
      : `<table><thead><tr><th scope="col">${T.started[lang]}</th><th scope="col">${T.state[lang]}</th><th scope="col" class="num">${T.files[lang]}</th><th scope="col" class="num">${T.loaded[lang]}</th><th scope="col" class="num">${T.rejected[lang]}</th></tr></thead><tbody>
      ${runs
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.started)}</td><td>${escapeHtml(r.status)}</td><td class="num">${r.files}</td><td class="num">${r.loaded}</td><td class="num">${r.rejected}</td></tr>`,
        )
        .join("\n")}</tbody></table>`
  }`;
}

const pagePath = (selection: StatusSelection) =>
  !selection.explicit
    ? "/tila"
    : `/tila?aineisto=${encodeURIComponent(selection.dataset.name)}&alue=${encodeURIComponent(selection.county)}`;

/**
 * The data status page: the completeness matrix of one dataset and county (chosen with a plain GET
 * form), reporting municipalities per dataset and quarter, the load history (counts per day) and the
 * latest inbox runs. Counts only; file names and errors belong to signed-in admins (a later page).
 */
export async function statusPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  selection: StatusSelection,
  /** Markup only an admin sees (file names and errors), placed after the load history. */
  adminSection = "",
): Promise<string> {
  const counties = await countiesOf(db, lang);
  const sections = [
    `<h1>${T.title[lang]}</h1>`,
    publicationStatusLine(await publicationState(db), lang),
    MATRIX_CSS,
    await completenessMatrix(db, config, lang, selection, counties),
    ...(await countsTables(db, lang)),
    await loadHistory(db, lang),
    adminSection,
    await latestRuns(db, lang),
  ];
  return layout({ title: T.title[lang], lang, path: pagePath(selection), body: sections.join("\n") });
}

/** The page for a rejected `aineisto`/`alue`: the message (in the page's language) and the form. */
export async function statusErrorPage(db: Queryable, lang: Lang, message: string): Promise<string> {
  const counties = await countiesOf(db, lang);
  const datasetOptions = DATASETS.map(
    (d) => `<option value="${escapeHtml(d.name)}">${escapeHtml(d.title[lang])}</option>`,
  ).join("");
  const countyOptions = counties
    .map((c) => `<option value="${escapeHtml(c.code)}">${escapeHtml(c.name)}</option>`)
    .join("");
  const body = `<h1>${T.title[lang]}</h1>
<h2>${T.badRequest[lang]}</h2>
<p class="notice" role="alert">${escapeHtml(message)}</p>
<form method="get" action="${escapeHtml(pathIn(lang, "/tila"))}">
  <span class="field"><label for="aineisto">${T.dataset[lang]}</label> <select id="aineisto" name="aineisto">${datasetOptions}</select></span>
  <span class="field"><label for="alue">${T.county[lang]}</label> <select id="alue" name="alue">${countyOptions}</select></span>
  <button type="submit">${T.show[lang]}</button>
</form>`;
  return layout({ title: `${T.badRequest[lang]} – ${T.title[lang]}`, lang, path: "/tila", body });
}
