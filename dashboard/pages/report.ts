import { LABELS } from "../../indicators/format.ts";
import type { FileReport } from "../../pipelines/report.ts";
import type { Lang } from "../i18n.ts";
import type { KeySummary } from "../upload/summary.ts";
import { escapeHtml, formatCount } from "./html.ts";

const T = {
  status: {
    loaded: { fi: "Tiedosto ladattiin", sv: "Filen laddades", en: "The file was loaded" },
    unchanged: {
      fi: "Sama tiedosto on jo ladattu: mitään ei muutettu",
      sv: "Samma fil har redan laddats: inget ändrades",
      en: "The same file was loaded before: nothing changed",
    },
    valid: {
      fi: "Tiedosto on kunnossa (tarkistus: mitään ei tallennettu)",
      sv: "Filen är i ordning (kontroll: inget sparades)",
      en: "The file is valid (check only: nothing was stored)",
    },
    rejected: {
      fi: "Tiedosto hylättiin: mitään sen tiedoista ei tallennettu",
      sv: "Filen avvisades: inget av dess uppgifter sparades",
      en: "The file was rejected: none of its data was stored",
    },
  },
  file: { fi: "Tiedosto", sv: "Fil", en: "File" },
  dataset: { fi: "Aineisto", sv: "Datamängd", en: "Dataset" },
  rows: { fi: "Rivejä", sv: "Rader", en: "Rows" },
  encoding: { fi: "Merkistö", sv: "Teckenkodning", en: "Encoding" },
  errors: { fi: "Virheet", sv: "Fel", en: "Errors" },
  warnings: { fi: "Varoitukset", sv: "Varningar", en: "Warnings" },
  fixHint: {
    fi: "Korjaa virheet tiedostoon (esimerkiksi Excelissä) ja lähetä se uudelleen. Rivinumero on sama, jonka Excel näyttää.",
    sv: "Rätta felen i filen (t.ex. i Excel) och skicka den på nytt. Radnumret är detsamma som Excel visar.",
    en: "Fix the errors in the file (e.g. in Excel) and send it again. The row number is the one Excel shows.",
  },
  row: { fi: "Rivi", sv: "Rad", en: "Row" },
  line: { fi: "Tiedoston rivi", sv: "Filens rad", en: "Line" },
  column: { fi: "Sarake", sv: "Kolumn", en: "Column" },
  value: LABELS.value,
  what: { fi: "Mitä korjata (suomeksi)", sv: "Vad ska rättas (på finska)", en: "What to fix (in Finnish)" },
  code: { fi: "Koodi", sv: "Kod", en: "Code" },
  changes: { fi: "Mitä muuttui", sv: "Vad ändrades", en: "What changed" },
  quarter: { fi: "Vuosineljännes", sv: "Kvartal", en: "Quarter" },
  kunta: LABELS.municipality,
  change: { fi: "Muutos", sv: "Ändring", en: "Change" },
  replaced: { fi: "korvattiin", sv: "ersattes", en: "replaced" },
  added: { fi: "uusi", sv: "ny", en: "new" },
  keysReplaced: {
    fi: "Korvattiin aiemmin ladatut tiedot",
    sv: "Tidigare laddade uppgifter ersattes",
    en: "Earlier data replaced",
  },
} as const;

function problemsTable(caption: string, problems: FileReport["errors"], lang: Lang, id: string): string {
  if (problems.length === 0) return "";
  const rows = problems
    .map(
      (p) =>
        `<tr><td class="num">${p.row ?? "–"}</td><td class="num">${p.line ?? "–"}</td><td>${escapeHtml(p.column ?? "–")}</td><td><code>${p.value === null ? "–" : escapeHtml(p.value)}</code></td><td lang="fi">${escapeHtml(p.message)}</td><td><code>${escapeHtml(p.code)}</code></td></tr>`,
    )
    .join("\n");
  return `<table id="${id}"><caption>${caption} (${formatCount(problems.length)})</caption>
<thead><tr><th scope="col">${T.row[lang]}</th><th scope="col">${T.line[lang]}</th><th scope="col">${T.column[lang]}</th><th scope="col">${T.value[lang]}</th><th scope="col">${T.what[lang]}</th><th scope="col">${T.code[lang]}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function summaryTable(summary: KeySummary[], lang: Lang): string {
  if (summary.length === 0) return "";
  const rows = summary
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.vuosineljannes.replace("Q", " Q"))}</td><td>${escapeHtml(s.nimi)} (${escapeHtml(s.kunta)})</td><td>${s.replaced ? T.replaced[lang] : T.added[lang]}</td><td class="num">${formatCount(s.rows)}</td></tr>`,
    )
    .join("\n");
  return `<table id="changes"><caption>${T.changes[lang]}</caption>
<thead><tr><th scope="col">${T.quarter[lang]}</th><th scope="col">${T.kunta[lang]}</th><th scope="col">${T.change[lang]}</th><th scope="col" class="num">${T.rows[lang]}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** A file's validation report as HTML: what happened, what changed, and every problem with its fix. */
export function reportHtml(report: FileReport, summary: KeySummary[], lang: Lang): string {
  const ok = report.status !== "rejected";
  const facts = [
    [T.file[lang], escapeHtml(report.file)],
    [T.dataset[lang], escapeHtml(report.dataset ?? "–")],
    [T.rows[lang], formatCount(report.rows)],
    [T.encoding[lang], escapeHtml(report.encoding ?? "–")],
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join("");
  const replacedOnly =
    summary.length === 0 && report.keys_replaced.length > 0
      ? `<p>${T.keysReplaced[lang]}: ${escapeHtml(report.keys_replaced.map((k) => Object.values(k).join(" ")).join("; "))}</p>`
      : "";
  return `<section aria-labelledby="report-title" class="report">
<div class="${ok ? "success-box" : "error-box"}" role="status"><h2 id="report-title">${T.status[report.status][lang]}</h2></div>
<dl class="facts">${facts}</dl>
${summaryTable(summary, lang)}${replacedOnly}
${report.errors.length > 0 ? `<p>${T.fixHint[lang]}</p>` : ""}
${problemsTable(T.errors[lang], report.errors, lang, "errors")}
${problemsTable(T.warnings[lang], report.warnings, lang, "warnings")}
</section>`;
}
