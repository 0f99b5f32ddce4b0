import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import type { Unit } from "../../indicators/definition.ts";
import { formatChange, formatPeriod, formatValue, yearEarlier } from "../../indicators/format.ts";
import { KOKO_MAA, type LevelName } from "../../indicators/levels.ts";
import type { PeriodType } from "../../indicators/periods.ts";
import { type ReaderValue, readManyValues } from "../../indicators/read.ts";
import { catalogueFor } from "../../indicators/release/definitions.ts";
import { sparkline } from "../charts/sparkline.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, layout } from "./html.ts";
import { ipsTile } from "./ips.ts";
import { pagePin, pinnedBanner, pinnedField } from "./pinned.ts";
import {
  type Areas,
  completenessText,
  Footnotes,
  latest,
  loadAreas,
  VALUE_CSS,
  valueCell,
} from "./values.ts";

const T = {
  largest: { fi: "Suurin luokka", sv: "Största kategori", en: "Largest category" },
  title: {
    fi: "Osatyökykyisten palvelujen seuranta",
    sv: "Uppföljning av tjänster för partiellt arbetsföra",
    en: "Follow-up of services for people with partial work ability",
  },
  intro: {
    fi: "Kuntien ilmoittamista neljännesvuositiedoista lasketut indikaattorit. Valitse hyvinvointialue tai koko maa.",
    sv: "Indikatorer beräknade ur kommunernas kvartalsuppgifter. Välj ett välfärdsområde eller hela landet.",
    en: "Indicators computed from the quarterly figures the municipalities report. Choose a wellbeing services county or the whole country.",
  },
  chooser: { fi: "Alue", sv: "Område", en: "Area" },
  show: { fi: "Näytä", sv: "Visa", en: "Show" },
  wholeCountry: { fi: "Koko maa", sv: "Hela landet", en: "Whole country" },
  indicators: { fi: "Indikaattorit", sv: "Indikatorer", en: "Indicators" },
  latest: { fi: "Viimeisin", sv: "Senaste", en: "Latest" },
  change: { fi: "Muutos vuodessa", sv: "Förändring på ett år", en: "Change in a year" },
  noChange: {
    fi: "ei vertailukelpoista lukua vuotta aiemmin",
    sv: "inget jämförbart tal ett år tidigare",
    en: "no comparable figure a year earlier",
  },
  noData: { fi: "Ei vielä tietoja.", sv: "Inga uppgifter ännu.", en: "No data yet." },
  more: { fi: "Indikaattorin sivu", sv: "Indikatorns sida", en: "Indicator page" },
  badArea: {
    fi: "Tuntematon hyvinvointialue. Valitse alue luettelosta.",
    sv: "Okänt välfärdsområde. Välj ett område i listan.",
    en: "Unknown wellbeing services county. Choose one from the list.",
  },
} as const;

/** The period type of the tiles: the most recent one the indicator has (quarters first). */
function tilePeriodType(periods: readonly PeriodType[]): PeriodType {
  return periods.includes("quarter") ? "quarter" : (periods[0] ?? "year");
}

/** The last eight periods as a small line (hidden values are gaps), with its text alternative. */
function tileSparkline(
  values: readonly ReaderValue[],
  label: string,
  decimals: number,
  unit: Unit,
  lang: Lang,
): string {
  const points = [...values]
    .sort((a, b) => a.period.localeCompare(b.period))
    .slice(-8)
    .map((v) => ({ period: v.period, value: v.value, symbol: v.value === null ? (v.symbol ?? ".") : null }));
  if (points.filter((p) => p.value !== null).length < 2) return "";
  const chart = sparkline({ lang, label, decimals, unit, points });
  return `<figure class="spark" role="group" aria-label="${escapeHtml(label)}">${chart.svg}<figcaption class="visually-hidden">${escapeHtml(chart.alt)}</figcaption></figure>`;
}

/** The front page: a county chooser and a tile per indicator for the county or the whole country. */
export async function frontPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  query: { alue?: string; julkaisu?: string },
  areas?: Areas,
): Promise<string> {
  const pinned = await pagePin(db, query.julkaisu);
  const all = areas ?? (await loadAreas(db));
  const code = query.alue === undefined || query.alue === "" ? KOKO_MAA : query.alue;
  const level: LevelName = code === KOKO_MAA ? "koko_maa" : "hyvinvointialue";
  const area = all.get(level, code);
  if (!area) throw new HttpError(404, T.badArea);
  const catalogue = await catalogueFor(db, pinned);
  const notes = new Footnotes(lang, config.suppressionThreshold);
  const options = [
    `<option value="${KOKO_MAA}"${code === KOKO_MAA ? " selected" : ""}>${T.wholeCountry[lang]}</option>`,
    ...all
      .list("hyvinvointialue", lang)
      .map(
        (a) =>
          `<option value="${escapeHtml(a.code)}"${a.code === code ? " selected" : ""}>${escapeHtml(a.name[lang])}</option>`,
      ),
  ].join("");
  const tiles: string[] = [];
  const shown = catalogue.entries
    .map(({ definition: def }) => def)
    .filter((def) => def.levels.includes(level));
  // one read for every tile; a breakdown of the denominator reads its cells too (every category)
  const results = await readManyValues(
    db,
    shown.map((def) => ({
      indicator: def.id,
      level,
      area: code,
      periodType: tilePeriodType(def.periods),
      category: def.breakdown?.by === "numerator_columns" ? undefined : "",
    })),
    { catalogue, release: pinned?.pin },
  );
  for (const [i, def] of shown.entries()) {
    const periodType = tilePeriodType(def.periods);
    const all = results[i]?.values ?? [];
    const values = all.filter((v) => v.category === null);
    const now = latest(values);
    const before = now ? values.find((v) => v.period === yearEarlier(now.period)) : undefined;
    const link = `${pathIn(lang, `/indikaattori/${def.id}`)}?taso=${level}&amp;alue=${escapeHtml(code)}&amp;jaksotyyppi=${periodType}${pinned ? `&amp;julkaisu=${pinned.pin.id}` : ""}`;
    // a breakdown of the denominator (outcome shares) totals 100 %: its tile shows the largest category
    if (now && def.breakdown?.by === "numerator_columns") {
      const cells = all.filter((v) => v.period === now.period && v.category !== null && v.value !== null);
      const largest = cells.sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
      const shown = largest
        ? `<p class="value">${escapeHtml(formatValue(largest.value ?? 0, def.decimals, def.unit, lang))}</p>
<p>${T.largest[lang]}: ${escapeHtml(largest.categoryLabel?.[lang] ?? "")}</p>`
        : `<p>${T.noData[lang]}</p>`;
      tiles.push(`<li class="tile"><h3>${escapeHtml(def.title[lang])}</h3>${shown}
<p>${T.latest[lang]}: ${escapeHtml(formatPeriod(now.period))}</p>
<p>${escapeHtml(completenessText(now, lang))}</p>
<p><a href="${link}">${T.more[lang]}: ${escapeHtml(def.title[lang])}</a></p></li>`);
      continue;
    }
    const body = now
      ? `<p class="value">${now.value === null ? valueCell(now, def.decimals, lang, notes) : escapeHtml(formatValue(now.value, def.decimals, def.unit, lang))}</p>
<p>${T.latest[lang]}: ${escapeHtml(formatPeriod(now.period))}</p>
<p>${T.change[lang]}: <span class="nowrap">${escapeHtml(
          now.value !== null && before?.value != null
            ? formatChange(now.value - before.value, def.decimals, def.unit, lang)
            : T.noChange[lang],
        )}</span></p>
<p>${escapeHtml(completenessText(now, lang))}</p>
${tileSparkline(values, def.title[lang], def.decimals, def.unit, lang)}`
      : `<p>${T.noData[lang]}</p>`;
    tiles.push(`<li class="tile"><h3>${escapeHtml(def.title[lang])}</h3>${body}
<p><a href="${link}">${T.more[lang]}: ${escapeHtml(def.title[lang])}</a></p></li>`);
  }
  tiles.push(await ipsTile(db, config, lang, level === "koko_maa" ? null : code, pinned));
  const latestPath = `${pathIn(lang, "/")}${code === KOKO_MAA ? "" : `?alue=${encodeURIComponent(code)}`}`;
  const body = `${pinnedBanner(pinned, lang, latestPath)}<h1>${T.title[lang]}</h1>
<p>${T.intro[lang]}</p>
<form method="get" action="${pathIn(lang, "/")}" class="switch">${pinnedField(pinned)}
<label>${T.chooser[lang]} <select name="alue">${options}</select></label>
<button type="submit">${T.show[lang]}</button>
</form>
<h2>${T.indicators[lang]}: ${escapeHtml(area.name[lang])}</h2>
<ul class="tiles">${tiles.join("\n")}</ul>
${notes.html()}`;
  // the language switch keeps the chosen county and a pinned release
  const own = new URLSearchParams();
  if (code !== KOKO_MAA) own.set("alue", code);
  if (pinned) own.set("julkaisu", String(pinned.pin.id));
  const path = own.toString() === "" ? "/" : `/?${own}`;
  return layout({ title: `${T.title[lang]}: ${area.name[lang]}`, lang, path, body, head: VALUE_CSS });
}
