import { DATASETS } from "../../pipelines/datasets/index.ts";
import { CSRF_FIELD } from "../auth/hook.ts";
import type { Principal } from "../auth/principal.ts";
import { type Lang, pathIn } from "../i18n.ts";
import type { UploadOutcome } from "../upload/handle.ts";
import { escapeHtml, layout } from "./html.ts";
import { publicationBox } from "./publication.ts";
import { reportHtml } from "./report.ts";

const T = {
  title: { fi: "Lähetä tiedosto", sv: "Skicka en fil", en: "Upload a file" },
  resultTitle: { fi: "Tarkistusraportti", sv: "Kontrollrapport", en: "Validation report" },
  signInFirst: {
    fi: "Tiedostoja voi lähettää vain kirjautunut kunnan analyytikko.",
    sv: "Endast en inloggad analytiker kan skicka filer.",
    en: "Only a signed-in analyst can upload files.",
  },
  signIn: { fi: "Kirjaudu sisään", sv: "Logga in", en: "Sign in" },
  yourKunnat: {
    fi: "Voit lähettää näiden kuntien tietoja",
    sv: "Du kan skicka uppgifter för dessa kommuner",
    en: "You may send data for these municipalities",
  },
  anyKunta: {
    fi: "Ylläpitäjänä voit lähettää minkä tahansa kunnan tietoja.",
    sv: "Som administratör kan du skicka uppgifter för alla kommuner.",
    en: "As an administrator you may send data for any municipality.",
  },
  file: { fi: "CSV-tiedosto", sv: "CSV-fil", en: "CSV file" },
  fileHint: {
    fi: "Yksi tiedosto, enintään {mb} Mt. Aineisto tunnistetaan otsikkorivistä; tiedoston nimellä ei ole väliä.",
    sv: "En fil, högst {mb} MB. Datamängden känns igen på rubrikraden; filnamnet spelar ingen roll.",
    en: "One file, at most {mb} MB. The dataset is recognised from the header row; the file name does not matter.",
  },
  dryRun: {
    fi: "Tarkista vain: älä tallenna mitään",
    sv: "Kontrollera bara: spara ingenting",
    en: "Check only: store nothing",
  },
  submit: { fi: "Lähetä", sv: "Skicka", en: "Upload" },
  again: { fi: "Lähetä korjattu tiedosto", sv: "Skicka en rättad fil", en: "Upload a corrected file" },
  templates: { fi: "Mallipohjat", sv: "Mallar", en: "Templates" },
  templatesIntro: {
    fi: "Jokaisesta aineistosta on tyhjä pohja (pelkkä otsikkorivi) ja täytetty esimerkki.",
    sv: "För varje datamängd finns en tom mall (bara rubrikraden) och ett ifyllt exempel.",
    en: "Each dataset has an empty template (just the header row) and a filled example.",
  },
  empty: { fi: "tyhjä pohja", sv: "tom mall", en: "empty template" },
  example: { fi: "esimerkki", sv: "exempel", en: "example" },
  guide: {
    fi: "Sarakkeiden kuvaukset (ohje)",
    sv: "Kolumnbeskrivningar (på finska)",
    en: "Column descriptions (in Finnish)",
  },
  excelTitle: { fi: "Näin tallennat Excelistä", sv: "Så här sparar du från Excel", en: "Saving from Excel" },
  history: { fi: "Omat lataukset", sv: "Mina laddningar", en: "My loads" },
  dashboard: {
    fi: "Katso tulokset etusivulta",
    sv: "Se resultaten på startsidan",
    en: "See the results on the front page",
  },
} as const;

const EXCEL_STEPS: Record<Lang, string[]> = {
  fi: [
    "Avaa mallipohja tai oma taulukkosi Excelissä. Pidä otsikkorivi sellaisenaan.",
    "Valitse Tiedosto → Tallenna nimellä ja tiedostomuodoksi <strong>CSV UTF-8 (luetteloerotin) (*.csv)</strong>.",
    "Myös tavallinen <em>CSV (luetteloerotin)</em> kelpaa: Windows-1252-merkistö tunnistetaan. Puolipiste, pilkku ja sarkain käyvät erottimiksi.",
    "Älä lähetä Excel-työkirjaa (.xlsx): se hylätään, ja sinua pyydetään tallentamaan CSV-muodossa.",
    "Jätä ilmoittamatta jäävä luku tyhjäksi; merkitse 0 vain, jos tapahtumia ei ollut.",
  ],
  sv: [
    "Öppna mallen eller din egen tabell i Excel. Låt rubrikraden vara som den är.",
    "Välj Arkiv → Spara som och filformatet <strong>CSV UTF-8 (kommaavgränsad) (*.csv)</strong>.",
    "Även vanlig <em>CSV (semikolonavgränsad)</em> går bra: teckenkodningen Windows-1252 känns igen.",
    "Skicka inte en Excel-arbetsbok (.xlsx): den avvisas.",
    "Lämna en uppgift som inte rapporteras tom; skriv 0 endast om inget hände.",
  ],
  en: [
    "Open the template or your own sheet in Excel. Keep the header row as it is.",
    "Choose File → Save As and the type <strong>CSV UTF-8 (Comma delimited) (*.csv)</strong>.",
    "Plain <em>CSV (Comma delimited)</em> works too: the Windows-1252 encoding is recognised. Semicolon, comma and tab all work as delimiters.",
    "Do not send an Excel workbook (.xlsx): it is rejected.",
    "Leave a figure you do not report empty; write 0 only when nothing happened.",
  ],
};

const MEGABYTES = new Intl.NumberFormat("fi-FI", { maximumFractionDigits: 2 });

function mb(bytes: number): string {
  return MEGABYTES.format(bytes / 1024 / 1024);
}

function templatesSection(lang: Lang): string {
  const items = DATASETS.map(
    (d) =>
      `<li><strong>${escapeHtml(d.title[lang])}</strong> (<code>${d.name}</code>): <a href="/mallipohjat/${d.name}.csv" download>${T.empty[lang]}</a>, <a href="/mallipohjat/${d.name}_esimerkki.csv" download>${T.example[lang]}</a></li>`,
  ).join("\n");
  return `<section aria-labelledby="templates-title">
<h2 id="templates-title">${T.templates[lang]}</h2>
<p>${T.templatesIntro[lang]}</p>
<ul>${items}</ul>
<p><a href="/mallipohjat/README.md">${T.guide[lang]}</a></p>
<h3>${T.excelTitle[lang]}</h3>
<ol>${EXCEL_STEPS[lang].map((s) => `<li>${s}</li>`).join("")}</ol>
</section>`;
}

function uploadForm(lang: Lang, principal: Principal, maxBytes: number, again = false): string {
  const kunnat =
    principal.role === "admin"
      ? `<p>${T.anyKunta[lang]}</p>`
      : `<p>${T.yourKunnat[lang]}: ${principal.kunnat.map((k) => `<code>${escapeHtml(k)}</code>`).join(", ")}.</p>`;
  return `${kunnat}
<form method="post" action="${pathIn(lang, "/lataa")}" enctype="multipart/form-data">
  <input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(principal.csrf ?? "")}">
  <label for="file">${again ? T.again[lang] : T.file[lang]}</label>
  <input type="file" id="file" name="file" required accept=".csv,.txt,text/csv,text/plain" aria-describedby="file-hint">
  <p id="file-hint">${T.fileHint[lang].replace("{mb}", mb(maxBytes))}</p>
  <p class="checkbox"><input type="checkbox" id="dry_run" name="dry_run" value="true"> <label for="dry_run">${T.dryRun[lang]}</label></p>
  <button type="submit" class="primary">${T.submit[lang]}</button>
</form>
<p><a href="${pathIn(lang, "/lataukset")}">${T.history[lang]}</a></p>`;
}

/** The upload page: the form for a signed-in user, a sign-in prompt for others; templates and guide for all. */
export function uploadPage(lang: Lang, principal: Principal | null, maxBytes: number): string {
  const main =
    principal?.via === "session"
      ? uploadForm(lang, principal, maxBytes)
      : `<p class="notice">${T.signInFirst[lang]} <a href="${pathIn(lang, "/kirjaudu")}?next=${encodeURIComponent(pathIn(lang, "/lataa"))}">${T.signIn[lang]}</a></p>`;
  return layout({
    title: T.title[lang],
    lang,
    path: "/lataa",
    body: `<h1>${T.title[lang]}</h1>\n${main}\n${templatesSection(lang)}`,
  });
}

/** The answer to an upload from the form: the report, and the form again to send a corrected file. */
export function uploadResultPage(
  lang: Lang,
  principal: Principal,
  outcome: UploadOutcome,
  maxBytes: number,
): string {
  const after =
    outcome.report.status === "loaded"
      ? `<p><a href="${pathIn(lang, "/")}">${T.dashboard[lang]}</a></p>`
      : "";
  return layout({
    title: `${T.resultTitle[lang]}: ${outcome.report.file}`,
    lang,
    path: "/lataa",
    body: `<h1>${T.resultTitle[lang]}</h1>
${reportHtml(outcome.report, outcome.summary, lang)}
${outcome.publication ? publicationBox(outcome.publication, lang, outcome.report.load_id) : ""}
${after}
<h2>${T.title[lang]}</h2>
${uploadForm(lang, principal, maxBytes, outcome.report.status === "rejected")}`,
  });
}

/** The page for an upload refused before validation (too large, no file, several files). */
export function uploadRefusedPage(
  lang: Lang,
  principal: Principal | null,
  message: string,
  maxBytes: number,
): string {
  return layout({
    title: `${T.resultTitle[lang]}`,
    lang,
    path: "/lataa",
    body: `<h1>${T.title[lang]}</h1>
<div class="error-box" role="alert"><p lang="fi">${escapeHtml(message)}</p></div>
${principal?.via === "session" ? uploadForm(lang, principal, maxBytes) : ""}`,
  });
}
