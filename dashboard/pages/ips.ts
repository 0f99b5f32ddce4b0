import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { formatNumber, LABELS } from "../../indicators/format.ts";
import {
  bandName,
  caseloadOk,
  IPS_BANDS,
  type IpsReview,
  type IpsUnit,
  itemProfile,
  latestReview,
  readIpsUnits,
  trendText,
  unitsByBand,
} from "../../indicators/ips/reviews.ts";
import { IPS_CASELOAD_MAX, IPS_ITEMS, IPS_SECTIONS } from "../../pipelines/datasets/ips.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, formatCount, layout } from "./html.ts";
import { type PagePin, pagePin, pinnedBanner } from "./pinned.ts";
import { VALUE_CSS } from "./values.ts";

/** The IPS pages: /ips (every unit, units by band per county) and /ips/<unit> (its reviews and items). */

const T = {
  title: {
    fi: "Tuetun työllistymisen laatuarvioinnit (IPS)",
    sv: "Kvalitetsbedömningar av stöd till arbete (IPS)",
    en: "Fidelity reviews of supported employment (IPS)",
  },
  intro: {
    fi: "Työhönvalmennusyksiköiden arvioinnit IPS-laatukriteereillä: 25 kriteeriä, kukin 1–5 pistettä, yhteensä 25–125. Laatutasot: 115–125 erinomainen, 100–114 hyvä, 74–99 kohtalainen, 73 tai alle ei tuettua työllistymistä. Yksikkö ei ole henkilö, joten pisteet näytetään sellaisinaan; asiakasmäärä peitetään, kun se on pieni.",
    sv: "Bedömningar av enheter för arbetscoachning enligt IPS-kvalitetskriterierna: 25 kriterier, vart och ett 1–5 poäng, sammanlagt 25–125. Nivåer: 115–125 utmärkt, 100–114 god, 74–99 måttlig, 73 eller mindre inte stöd till arbete. En enhet är inte en person, så poängen visas som de är; antalet klienter döljs när det är litet.",
    en: "Reviews of job coaching units against the IPS fidelity criteria: 25 items, each scored 1–5, 25–125 in all. Bands: 115–125 exemplary, 100–114 good, 74–99 fair, 73 or less not supported employment. A unit is not a person, so its scores are shown as they are; its number of clients is hidden when small.",
  },
  byCounty: {
    fi: "Yksiköt laatutasoittain (viimeisin arviointi)",
    sv: "Enheter per nivå (senaste bedömning)",
    en: "Units by band (latest review)",
  },
  county: { fi: "Hyvinvointialue", sv: "Välfärdsområde", en: "Wellbeing services county" },
  units: { fi: "Yksiköt", sv: "Enheter", en: "Units" },
  unit: LABELS.unit,
  kunta: LABELS.municipality,
  latest: { fi: "Viimeisin arviointi", sv: "Senaste bedömning", en: "Latest review" },
  total: { fi: "Pisteet", sv: "Poäng", en: "Score" },
  band: { fi: "Laatutaso", sv: "Nivå", en: "Band" },
  trend: { fi: "Kehitys", sv: "Utveckling", en: "Trend" },
  caseload: {
    fi: `Asiakkaita / työhönvalmentaja (tavoite enintään ${IPS_CASELOAD_MAX})`,
    sv: `Klienter / coach (mål högst ${IPS_CASELOAD_MAX})`,
    en: `Clients per specialist (target ${IPS_CASELOAD_MAX} or fewer)`,
  },
  none: {
    fi: "Arviointeja ei ole vielä ladattu.",
    sv: "Inga bedömningar har laddats ännu.",
    en: "No reviews have been loaded yet.",
  },
  reviews: { fi: "Arvioinnit", sv: "Bedömningar", en: "Reviews" },
  date: { fi: "Päivämäärä", sv: "Datum", en: "Date" },
  kind: { fi: "Arvioija", sv: "Bedömare", en: "Reviewer" },
  ulkoinen: { fi: "ulkoinen", sv: "extern", en: "external" },
  itsearviointi: { fi: "itsearviointi", sv: "självvärdering", en: "self-review" },
  specialists: { fi: "Työhönvalmentajia", sv: "Coacher", en: "Specialists" },
  clients: { fi: "Asiakkaita", sv: "Klienter", en: "Clients" },
  profile: {
    fi: "Kriteerit heikoimmasta alkaen (viimeisin arviointi)",
    sv: "Kriterierna från det svagaste (senaste bedömning)",
    en: "Items, lowest first (latest review)",
  },
  profileIntro: {
    fi: "Matalimmat pisteet kertovat, mitä kehittää ensin.",
    sv: "De lägsta poängen visar vad som bör utvecklas först.",
    en: "The lowest scores show what to improve first.",
  },
  item: { fi: "Kriteeri", sv: "Kriterium", en: "Item" },
  section: { fi: "Osa-alue", sv: "Område", en: "Section" },
  score: { fi: "Pisteet 1–5", sv: "Poäng 1–5", en: "Score 1–5" },
  change: { fi: "Muutos edellisestä", sv: "Ändring från föregående", en: "Change from previous" },
  ok: { fi: "kyllä", sv: "ja", en: "yes" },
  over: { fi: "ei", sv: "nej", en: "no" },
  back: { fi: "Kaikki yksiköt", sv: "Alla enheter", en: "All units" },
  hiddenNote: {
    fi: ".. = peitetty tietosuojan vuoksi (pieni asiakasmäärä). – = ei ilmoitettu.",
    sv: ".. = dolt av dataskyddsskäl (litet antal klienter). – = inte rapporterat.",
    en: ".. = hidden to protect privacy (few clients). – = not reported.",
  },
  limits: {
    fi: "Rajoitukset: ulkoinen arviointi ja itsearviointi eivät ole täysin vertailukelpoisia; kriteeristö mittaa toimintamallin toteutumista, ei työllistymistä itsessään.",
    sv: "Begränsningar: extern bedömning och självvärdering är inte helt jämförbara; kriterierna mäter hur modellen genomförs, inte sysselsättningen i sig.",
    en: "Limits: external reviews and self-reviews are not fully comparable; the scale measures how faithfully the model is run, not employment itself.",
  },
  unknown: {
    fi: "Yksikköä ei löydy. Katso kaikki yksiköt IPS-sivulta.",
    sv: "Enheten finns inte. Se alla enheter på IPS-sidan.",
    en: "There is no such unit. See every unit on the IPS page.",
  },
} as const;

/** The path of a unit's page. */
export const unitPath = (lang: Lang, yksikko: string) => pathIn(lang, `/ips/${encodeURIComponent(yksikko)}`);

/** `?julkaisu=<id>` of a pinned page (its links and language switch keep the release); "" unpinned. */
const pinQuery = (pinned: PagePin | null) => (pinned ? `?julkaisu=${pinned.pin.id}` : "");

/** The units as the page shows them: pinned to a release (`?julkaisu=`), or as loaded. */
async function unitsFor(db: Queryable, config: Config, julkaisu: string | undefined) {
  const pinned = await pagePin(db, julkaisu);
  return { pinned, units: await readIpsUnits(db, config.suppressionThreshold, pinned?.pin.id ?? null) };
}

const dash = "–";

function dateText(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d}.${m}.${y}`;
}

function caseloadCell(review: IpsReview, lang: Lang): string {
  if (review.clientsHidden) return "..";
  if (review.caseload === null) return dash;
  const ok = caseloadOk(review) ? T.ok[lang] : T.over[lang];
  return `${formatNumber(review.caseload, 1, lang)} (${IPS_CASELOAD_MAX}: ${ok})`;
}

/** The units by band per county, as a table (and the whole country's row last). */
function bandTable(units: IpsUnit[], lang: Lang): string {
  const rows = unitsByBand(units).map(
    (c) =>
      `<tr><th scope="row">${escapeHtml(c.countyName[lang] || c.county)}</th>${IPS_BANDS.map((b) => `<td class="num">${c.bands[b.id]}</td>`).join("")}</tr>`,
  );
  return `<table><caption>${T.byCounty[lang]}</caption>
<thead><tr><th scope="col">${T.county[lang]}</th>${IPS_BANDS.map((b) => `<th scope="col" class="num">${escapeHtml(b.name[lang])}</th>`).join("")}</tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

/** /ips: units by band per county, and every unit with its latest review and trend (`?julkaisu=` pins a release). */
export async function ipsPage(db: Queryable, config: Config, lang: Lang, julkaisu?: string): Promise<string> {
  const { pinned, units } = await unitsFor(db, config, julkaisu);
  const rows = units.map((u) => {
    const r = latestReview(u);
    return `<tr><th scope="row"><a href="${escapeHtml(unitPath(lang, u.yksikko) + pinQuery(pinned))}">${escapeHtml(u.name)}</a></th>
<td>${escapeHtml(u.kuntaName[lang])}</td><td>${escapeHtml(dateText(r.date))}</td><td class="num">${r.total}</td>
<td>${escapeHtml(bandName(r.band)[lang])}</td><td>${escapeHtml(trendText(u, lang))}</td><td class="num">${escapeHtml(caseloadCell(r, lang))}</td></tr>`;
  });
  const banner = pinnedBanner(pinned, lang, pathIn(lang, "/ips"));
  const body =
    units.length === 0
      ? `${banner}<h1>${T.title[lang]}</h1><p>${T.intro[lang]}</p><p>${T.none[lang]}</p>`
      : `${banner}<h1>${T.title[lang]}</h1>
<p>${T.intro[lang]}</p>
${bandTable(units, lang)}
<h2>${T.units[lang]}</h2>
<table><caption>${T.units[lang]}</caption>
<thead><tr><th scope="col">${T.unit[lang]}</th><th scope="col">${T.kunta[lang]}</th><th scope="col">${T.latest[lang]}</th>
<th scope="col" class="num">${T.total[lang]}</th><th scope="col">${T.band[lang]}</th><th scope="col">${T.trend[lang]}</th><th scope="col" class="num">${T.caseload[lang]}</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p class="notes">${T.hiddenNote[lang]} ${T.limits[lang]}</p>`;
  return layout({ title: T.title[lang], lang, path: `/ips${pinQuery(pinned)}`, body, head: VALUE_CSS });
}

/** /ips/<unit>: the unit's reviews, its trend and its items lowest first (`?julkaisu=` pins a release). */
export async function ipsUnitPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  yksikko: string,
  julkaisu?: string,
): Promise<string> {
  const { pinned, units } = await unitsFor(db, config, julkaisu);
  const unit = units.find((u) => u.yksikko === yksikko);
  if (!unit) throw new HttpError(404, T.unknown);
  const last = latestReview(unit);
  const previous = unit.reviews.length > 1 ? unit.reviews[unit.reviews.length - 2] : undefined;
  const reviewRows = unit.reviews.map(
    (
      r,
    ) => `<tr><th scope="row">${escapeHtml(dateText(r.date))}</th><td>${T[r.kind][lang]}</td><td class="num">${r.total}</td>
<td>${escapeHtml(bandName(r.band)[lang])}</td><td class="num">${r.specialists ?? dash}</td>
<td class="num">${r.clientsHidden ? ".." : r.clients === null ? dash : formatCount(r.clients)}</td><td class="num">${escapeHtml(caseloadCell(r, lang))}</td></tr>`,
  );
  const profileRows = itemProfile(last).map((p) => {
    const item = IPS_ITEMS[p.index];
    const before = previous?.items[p.index];
    const change =
      before === undefined
        ? dash
        : p.score - before > 0
          ? `+${p.score - before}`
          : p.score - before < 0
            ? `−${before - p.score}`
            : "0";
    return `<tr><td class="num">${p.index + 1}</td><th scope="row">${escapeHtml(item?.name[lang] ?? p.id)}</th>
<td>${escapeHtml(item ? IPS_SECTIONS[item.section][lang] : "")}</td><td class="num">${p.score}</td><td class="num">${change}</td></tr>`;
  });
  const unitUrl = unitPath(lang, yksikko);
  const body = `${pinnedBanner(pinned, lang, unitUrl)}<p><a href="${escapeHtml(pathIn(lang, "/ips") + pinQuery(pinned))}">${T.back[lang]}</a></p>
<h1>${escapeHtml(unit.name)}</h1>
<p>${escapeHtml(unit.kuntaName[lang])} · ${escapeHtml(unit.countyName[lang])} · ${escapeHtml(unit.yksikko)}</p>
<p><strong>${T.trend[lang]}: ${escapeHtml(trendText(unit, lang))}</strong></p>
<h2>${T.reviews[lang]}</h2>
<table><caption>${T.reviews[lang]}</caption>
<thead><tr><th scope="col">${T.date[lang]}</th><th scope="col">${T.kind[lang]}</th><th scope="col" class="num">${T.total[lang]}</th>
<th scope="col">${T.band[lang]}</th><th scope="col" class="num">${T.specialists[lang]}</th><th scope="col" class="num">${T.clients[lang]}</th>
<th scope="col" class="num">${T.caseload[lang]}</th></tr></thead>
<tbody>${reviewRows.join("\n")}</tbody></table>
<h2>${T.profile[lang]}</h2>
<p>${T.profileIntro[lang]}</p>
<table><caption>${T.profile[lang]}</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">${T.item[lang]}</th><th scope="col">${T.section[lang]}</th>
<th scope="col" class="num">${T.score[lang]}</th><th scope="col" class="num">${T.change[lang]}</th></tr></thead>
<tbody>${profileRows.join("\n")}</tbody></table>
<p class="notes">${T.hiddenNote[lang]} ${T.limits[lang]}</p>`;
  return layout({
    title: `${unit.name} – IPS`,
    lang,
    path: `/ips/${encodeURIComponent(yksikko)}${pinQuery(pinned)}`,
    body,
    head: VALUE_CSS,
  });
}

/** The front page's IPS tile: the units of the county (or the country) by band, with a link (kept pinned). */
export async function ipsTile(
  db: Queryable,
  config: Config,
  lang: Lang,
  county: string | null,
  pinned: PagePin | null = null,
): Promise<string> {
  const units = (await readIpsUnits(db, config.suppressionThreshold, pinned?.pin.id ?? null)).filter(
    (u) => county === null || u.county === county,
  );
  const counts = IPS_BANDS.map(
    (b) =>
      `<li>${escapeHtml(b.name[lang])}: ${units.filter((u) => latestReview(u).band === b.id).length}</li>`,
  ).join("");
  const body =
    units.length === 0 ? `<p>${T.none[lang]}</p>` : `<p class="value">${units.length}</p><ul>${counts}</ul>`;
  return `<li class="tile"><h3>${T.byCounty[lang]}: ${T.title[lang]}</h3>${body}
<p><a href="${escapeHtml(pathIn(lang, "/ips") + pinQuery(pinned))}">${T.title[lang]}</a></p></li>`;
}
