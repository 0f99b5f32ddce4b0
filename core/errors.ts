/**
 * The one catalogue of problem codes. Each code has a Finnish text for the analyst, an English text for
 * logs, and a severity. Texts are templates: `{name}` is replaced by the problem's parameter of that
 * name. The analyst's guide (docs/virhekoodit.md) is generated from this table and tests check it.
 */
export type Severity = "error" | "warning";

export interface CatalogueEntry {
  severity: Severity;
  fi: string;
  en: string;
}

const ACCEPTED_QUARTERS = "2024Q1, 2024-Q1, 2024 Q1, 2024/1 tai Q1/2024";

export const catalogue = {
  // File as a whole
  SEU_FILE_EMPTY: {
    severity: "error",
    fi: "Tiedosto on tyhjä.",
    en: "The file is empty.",
  },
  SEU_FILE_BINARY: {
    severity: "error",
    fi: "Tiedosto ei ole CSV-tekstiä: tämä on {kind}. {fix}",
    en: "Not a text CSV: the file looks like {kind_en}.",
  },
  SEU_FILE_NUL_BYTE: {
    severity: "error",
    fi: "Tiedosto ei ole tekstimuotoinen CSV: siinä on NUL-tavu (kohta {offset}). Tallenna se Excelistä muodossa CSV UTF-8.",
    en: "Not a text CSV: NUL byte at offset {offset}.",
  },
  SEU_FILE_ENCODING: {
    severity: "error",
    fi: "Tiedoston merkistöä ei tunnistettu: tavu {byte} (kohta {offset}) ei ole UTF-8- eikä Windows-1252-merkki. Tallenna tiedosto Excelistä muodossa CSV UTF-8.",
    en: "Unknown encoding: byte {byte} at offset {offset} is neither UTF-8 nor Windows-1252.",
  },
  SEU_FILE_NO_HEADER: {
    severity: "error",
    fi: "Otsikkoriviä ei löytynyt 10 ensimmäiseltä riviltä. Lähimpänä on aineisto {dataset} ({title}), josta puuttuvat sarakkeet: {missing}. Käytä mallipohjan otsikkoriviä.",
    en: "No header row in the first 10 lines; closest dataset {dataset}, missing columns: {missing}.",
  },
  SEU_FILE_NO_ROWS: {
    severity: "error",
    fi: "Tiedostossa on otsikkorivi mutta ei yhtään tietoriviä.",
    en: "The file has a header but no data rows.",
  },
  SEU_FILE_TOO_MANY_PROBLEMS: {
    severity: "error",
    fi: "Ongelmia on enemmän kuin {shown}; niistä näytetään {shown}, loput {more} jätettiin pois. Korjaa ensin yllä olevat.",
    en: "More than {shown} problems; {more} more not listed.",
  },
  SEU_FILE_MORE_WARNINGS: {
    severity: "warning",
    fi: "Varoituksia on enemmän kuin {shown}; loput {more} jätettiin pois.",
    en: "More than {shown} warnings; {more} more not listed.",
  },
  SEU_FILE_TOO_LARGE: {
    severity: "error",
    fi: "Tiedosto on liian suuri ({size}); suurin sallittu koko on {limit}.",
    en: "File too large ({size}); limit {limit}.",
  },
  // CSV structure
  SEU_CSV_LINES_ABOVE_HEADER: {
    severity: "warning",
    fi: "Otsikkorivin yläpuolella oli {count} riviä (esim. otsikko tai sep=), ne ohitettiin.",
    en: "{count} lines above the header were skipped.",
  },
  SEU_CSV_EXTRA_COLUMNS: {
    severity: "warning",
    fi: "Tuntemattomat sarakkeet ohitettiin: {columns}.",
    en: "Unknown columns ignored: {columns}.",
  },
  SEU_CSV_REPEATED_HEADER: {
    severity: "warning",
    fi: "Otsikkorivi toistui tietorivien joukossa; toistettu otsikkorivi ohitettiin.",
    en: "Repeated header line skipped.",
  },
  SEU_CSV_TOTAL_ROW_IGNORED: {
    severity: "warning",
    fi: "Viimeinen rivi on summarivi ({value}); se ohitettiin.",
    en: "Trailing total row ({value}) ignored.",
  },
  SEU_CSV_TOTAL_ROW_NOT_LAST: {
    severity: "error",
    fi: "Summarivi ({value}) keskellä tiedostoa. Poista summarivit; vain viimeinen summarivi ohitetaan.",
    en: "Total row ({value}) in the middle of the file.",
  },
  SEU_CSV_RAGGED_ROW: {
    severity: "error",
    fi: "Rivillä on {found} kenttää, otsikkorivillä {expected}. Tarkista erottimet ({delimiter}) ja lainausmerkit.",
    en: "Row has {found} fields, header has {expected}.",
  },
  SEU_CSV_TRUNCATED_LAST_LINE: {
    severity: "error",
    fi: "Viimeinen rivi on katkennut ({found} kenttää, otsikkorivillä {expected}). Tallenna tiedosto uudelleen kokonaisena.",
    en: "Truncated last line ({found} of {expected} fields).",
  },
  SEU_CSV_UNBALANCED_QUOTE: {
    severity: "error",
    fi: 'Lainausmerkki (") jää sulkematta tältä riviltä alkaen tiedoston loppuun. Poista ylimääräinen lainausmerkki.',
    en: "Unbalanced quote from this line to the end of the file.",
  },
  SEU_CSV_STRAY_QUOTE: {
    severity: "error",
    fi: 'Solussa on lainausmerkki (") väärässä kohdassa. Poista lainausmerkki tai lainaa koko solu.',
    en: "Stray quote inside a cell.",
  },
  SEU_CSV_CELL_TOO_LONG: {
    severity: "error",
    fi: "Solussa on {length} merkkiä; enintään 1 000 merkkiä on sallittu.",
    en: "Cell of {length} characters (limit 1000).",
  },
  // Values
  SEU_VAL_REQUIRED: {
    severity: "error",
    fi: "Sarake {column} on pakollinen, mutta solu on tyhjä.",
    en: "Required column {column} is empty.",
  },
  SEU_VAL_KUNTA_CODE_FORM: {
    severity: "warning",
    fi: "Kuntanumero {value} luettiin muodossa {code}.",
    en: "Municipality code {value} read as {code}.",
  },
  SEU_VAL_KUNTA_NAME: {
    severity: "warning",
    fi: "Kunnan nimi {value} luettiin kuntanumeroksi {code}.",
    en: "Municipality name {value} mapped to {code}.",
  },
  SEU_VAL_KUNTA_MERGED: {
    severity: "warning",
    fi: "Kunta {value} on liitetty kuntaan {new_name} ({new_code}) {date}; rivi tallennettiin kuntanumerolle {new_code}.",
    en: "Merged municipality {value} mapped to {new_code}.",
  },
  SEU_VAL_KUNTA_UNKNOWN: {
    severity: "error",
    fi: "Tuntematon kunta {value}. Käytä Tilastokeskuksen 3-numeroista kuntanumeroa (esim. 091) tai kunnan tarkkaa suomen- tai ruotsinkielistä nimeä.{suggestion}",
    en: "Unknown municipality {value}.",
  },
  SEU_VAL_QUARTER_FORM: {
    severity: "error",
    fi: `Vuosineljännes {value} ei ole tunnettua muotoa. Hyväksytyt muodot: ${ACCEPTED_QUARTERS}.`,
    en: "Unrecognised quarter {value}.",
  },
  SEU_VAL_QUARTER_RANGE: {
    severity: "error",
    fi: "Vuosineljännes {value} ei kelpaa: sallittu väli on 2000Q1–{last} (kesken oleva tai tuleva neljännes ei kelpaa).",
    en: "Quarter {value} outside 2000Q1..{last}.",
  },
  SEU_VAL_DATE_FORM: {
    severity: "error",
    fi: "Päivämäärä {value} ei kelpaa. Kirjoita päivämäärä muodossa 2025-03-14 tai 14.3.2025.",
    en: "Date {value} not understood (use 2025-03-14 or 14.3.2025).",
  },
  SEU_VAL_DATE_RANGE: {
    severity: "error",
    fi: "Päivämäärä {value} ei kelpaa: sallittu väli on 1.1.2000–{today} (tulevaa päivää ei voi ilmoittaa).",
    en: "Date {value} outside 2000-01-01..{today} (no future dates).",
  },
  SEU_VAL_SCORE: {
    severity: "error",
    fi: "Sarakkeen {column} pisteet {value} eivät kelpaa: merkitse kokonaisluku {low}–{high}.",
    en: "Score {value} in {column} is not a whole number {low}..{high}.",
  },
  SEU_VAL_TEXT_LONG: {
    severity: "error",
    fi: "Sarakkeen {column} teksti on liian pitkä: enintään {max} merkkiä.",
    en: "Text in {column} longer than {max} characters.",
  },
  SEU_VAL_COUNT_GROUPED: {
    severity: "warning",
    fi: "Luku {value} luettiin muodossa {number} (välilyönnit poistettiin).",
    en: "Grouped number {value} read as {number}.",
  },
  SEU_VAL_COUNT_DECIMAL: {
    severity: "error",
    fi: "Sarakkeessa {column} on desimaaliluku {value}; lukumäärän on oltava kokonaisluku (esim. 3).",
    en: "Decimal {value} in count column {column}.",
  },
  SEU_VAL_COUNT_NEGATIVE: {
    severity: "error",
    fi: "Sarakkeessa {column} on negatiivinen luku {value}; lukumäärä on 0 tai suurempi.",
    en: "Negative count {value} in {column}.",
  },
  SEU_VAL_COUNT_NOT_NUMBER: {
    severity: "error",
    fi: "Sarakkeessa {column} on teksti {value}; merkitse lukumäärä numeroin, 0 jos niitä ei ollut, tai jätä solu tyhjäksi, jos tietoa ei ole.",
    en: "Non-numeric value {value} in count column {column}.",
  },
  SEU_VAL_COUNT_OVER_POPULATION: {
    severity: "error",
    fi: "Sarakkeen {column} luku {value} on suurempi kuin kunnan {kunta} väkiluku ({population}, vuosi {year}). Tarkista luku.",
    en: "Count {value} in {column} exceeds the population {population} of {kunta} ({year}).",
  },
  SEU_VAL_CATEGORY: {
    severity: "error",
    fi: "Sarakkeen {column} arvo {value} ei ole sallittu. Sallitut arvot: {accepted}.",
    en: "Value {value} not accepted in {column}.",
  },
  // Rows
  SEU_ROW_DUPLICATE_KEY: {
    severity: "error",
    fi: "Sama avain ({key}) on tiedostossa kahdesti: rivit {first_row} ja {row} (tiedoston rivit {first_line} ja {line}). Jätä vain yksi rivi.",
    en: "Duplicate key {key} on lines {first_line} and {line}.",
  },
  SEU_ROW_OUTCOMES_PARTIAL: {
    severity: "error",
    fi: "Osa päättymissyistä on tyhjiä ({empty}) ja osa täytetty. Täytä kaikki päättymissyyt: merkitse 0, jos jaksoja ei ollut.",
    en: "Some outcome columns empty ({empty}) while others are filled.",
  },
  SEU_ROW_OUTCOMES_SUM: {
    severity: "error",
    fi: "Päättyneitä jaksoja on {value}, mutta päättymissyiden summa on {sum}. Niiden on oltava yhtä suuret.",
    en: "paattyneet {value} differs from the sum of outcomes {sum}.",
  },
  SEU_ROW_ENDED_MISSING: {
    severity: "error",
    fi: "Päättymissyyt on täytetty, mutta päättyneiden jaksojen määrä (paattyneet) puuttuu.",
    en: "Outcomes filled but paattyneet empty.",
  },
  SEU_ROW_CATEGORY_FOR_DIRECTION: {
    severity: "error",
    fi: "Luokka {value} ei kuulu suuntaan {suunta}. Suunnan {suunta} luokat: {accepted}.",
    en: "Category {value} does not belong to direction {suunta}.",
  },
  SEU_ROW_PARTS_OVER_WHOLE: {
    severity: "error",
    fi: "Luku {value} ({parts}) on suurempi kuin {whole} ({whole_value}). Osa ei voi olla suurempi kuin kokonaisuus (esim. parani + ennallaan + heikkeni enintään alussa ja lopussa mitatut): tarkista kummatkin luvut.",
    en: "{parts} add up to {value}, more than {whole} {whole_value}.",
  },
  // The web upload (before a file reaches the pipeline)
  SEU_UPLOAD_TOO_LARGE: {
    severity: "error",
    fi: "Tiedosto on liian suuri: enintään {limit_mb} Mt. Jaa tiedosto osiin (esimerkiksi vuosineljänneksittäin) ja lähetä osat erikseen.",
    en: "Upload larger than {limit_mb} MB.",
  },
  SEU_UPLOAD_ONE_FILE: {
    severity: "error",
    fi: "Lähetä yksi tiedosto kerrallaan.",
    en: "More than one file in one upload.",
  },
  SEU_UPLOAD_NO_FILE: {
    severity: "error",
    fi: "Lähetyksessä ei ollut tiedostoa. Valitse CSV-tiedosto kenttään file.",
    en: "No file in the upload (multipart field `file`).",
  },
  SEU_UPLOAD_NOT_MULTIPART: {
    severity: "error",
    fi: "Tiedosto lähetetään lomakkeena (multipart/form-data, kenttä file).",
    en: "Upload must be multipart/form-data with the field `file`.",
  },
  SEU_UPLOAD_SIGN_IN: {
    severity: "error",
    fi: "Kirjaudu sisään ennen tiedoston lähettämistä.",
    en: "Upload needs a token or a session.",
  },
  SEU_ROW_KUNTA_NOT_ALLOWED: {
    severity: "error",
    fi: "Sinulla ei ole oikeutta lähettää kunnan {value} tietoja. Omat kuntasi: {allowed}.",
    en: "Sender may not send data for {value}.",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ProblemCode = keyof typeof catalogue;

/** Fills a template's `{name}` slots; a missing parameter leaves the slot's name visible. */
export function fillTemplate(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]),
  );
}

/** The Finnish text of a problem code with its parameters. */
export function messageFi(code: ProblemCode, params: Record<string, unknown> = {}): string {
  return fillTemplate(catalogue[code].fi, params);
}

/** The English log text of a problem code with its parameters. */
export function messageEn(code: ProblemCode, params: Record<string, unknown> = {}): string {
  return fillTemplate(catalogue[code].en, params);
}
