import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { UNIT_TEXT } from "../../indicators/format.ts";
import { KOKO_MAA, LEVELS, type LevelName } from "../../indicators/levels.ts";
import { readValues } from "../../indicators/read.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, layout } from "./html.ts";
import { pageQuery } from "./indicator.ts";
import { pagePin, pinnedBanner } from "./pinned.ts";
import {
  type Area,
  Footnotes,
  latest,
  loadAreas,
  PageError,
  periodText,
  VALUE_CSS,
  valueCell,
} from "./values.ts";

const T = {
  intro: {
    fi: "Jokaisen indikaattorin viimeisin neljännesvuosiluku alueelle, vertailuna hyvinvointialue ja koko maa.",
    sv: "Varje indikators senaste kvartalstal för området, jämfört med välfärdsområdet och hela landet.",
    en: "Every indicator's latest quarterly figure for the area, compared with its county and the whole country.",
  },
  caption: {
    fi: "{area}: indikaattorien viimeisimmät arvot",
    sv: "{area}: indikatorernas senaste värden",
    en: "{area}: latest values of the indicators",
  },
  heading: { fi: "Indikaattorit", sv: "Indikatorer", en: "Indicators" },
  indicator: { fi: "Indikaattori", sv: "Indikator", en: "Indicator" },
  period: { fi: "Jakso", sv: "Period", en: "Period" },
  unit: { fi: "Yksikkö", sv: "Enhet", en: "Unit" },
  unknown: {
    fi: "Tuntematon alue. Anna kunnan kolminumeroinen koodi, hyvinvointialueen koodi tai SSS (koko maa).",
    sv: "Okänt område. Ange kommunens tresiffriga kod, välfärdsområdets kod eller SSS (hela landet).",
    en: "Unknown area. Give a municipality's three-digit code, a county code or SSS (whole country).",
  },
  members: { fi: "Alueen kunnat", sv: "Områdets kommuner", en: "Municipalities of the area" },
} as const;

/** The level of an area code: 3 digits a municipality, SSS the whole country, else a county. */
function levelOf(code: string): LevelName {
  if (code === KOKO_MAA) return "koko_maa";
  return /^\d{3}$/.test(code) ? "kunta" : "hyvinvointialue";
}

/** The area page: every indicator's latest value for a municipality, a county or the whole country. */
export async function areaPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  code: string,
  julkaisu?: string,
): Promise<string> {
  const pinned = await pagePin(db, julkaisu);
  const areas = await loadAreas(db);
  const level = levelOf(code);
  const area = areas.get(level, code);
  if (!area) throw new PageError(404, T.unknown);
  const catalogue = await loadCatalogue();
  const notes = new Footnotes(lang, config.suppressionThreshold);
  const county = level === "kunta" && area.county ? areas.get("hyvinvointialue", area.county) : undefined;
  const country = level === "koko_maa" ? undefined : areas.get("koko_maa", KOKO_MAA);
  const columns = [area, county, country].filter((a): a is Area => a !== undefined);

  const rows: string[] = [];
  for (const { definition: def } of catalogue.entries) {
    if (!def.levels.includes(level)) continue;
    const periodType = def.periods.includes("quarter") ? "quarter" : def.periods[0];
    if (!periodType) continue;
    const values = async (a: Area) =>
      (
        await readValues(
          db,
          { indicator: def.id, level: a.level, area: a.code, periodType, category: "" },
          { catalogue, release: pinned?.pin },
        )
      ).values;
    const own = await values(area);
    const now = latest(own);
    const cells = [now];
    for (const other of columns.slice(1)) {
      if (!def.levels.includes(other.level)) cells.push(undefined);
      else cells.push((await values(other)).find((v) => v.period === now?.period));
    }
    const link = `${pathIn(lang, `/indikaattori/${def.id}`)}?${pageQuery({ level, area, periodType, period: now?.period ?? null, pinned })}`;
    rows.push(
      `<tr><th scope="row"><a href="${escapeHtml(link)}">${escapeHtml(def.title[lang])}</a></th><td>${now ? escapeHtml(periodText(now.period)) : ""}</td><td>${escapeHtml(UNIT_TEXT[def.unit][lang])}</td>${cells
        .map((v) => `<td class="num">${valueCell(v, def.decimals, lang, notes)}</td>`)
        .join("")}</tr>`,
    );
  }
  const levelTitle = LEVELS.find((l) => l.name === level)?.title[lang] ?? "";
  const caption = T.caption[lang].replace("{area}", area.name[lang]);
  const memberList =
    level === "hyvinvointialue"
      ? `<h2>${T.members[lang]}</h2><ul class="members">${area.members
          .map((k) => areas.get("kunta", k))
          .filter((a): a is Area => a !== undefined)
          .sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang))
          .map((a) => `<li><a href="${pathIn(lang, `/alue/${a.code}`)}">${escapeHtml(a.name[lang])}</a></li>`)
          .join("")}</ul>`
      : "";
  const countyLink = county
    ? `<p><a href="${pathIn(lang, `/alue/${county.code}`)}">${escapeHtml(county.name[lang])}</a></p>`
    : "";
  const body = `${pinnedBanner(pinned, lang, pathIn(lang, `/alue/${area.code}`))}<h1>${escapeHtml(area.name[lang])}</h1>
<p>${escapeHtml(levelTitle)}${level === "koko_maa" ? "" : ` ${escapeHtml(area.code)}`}. ${T.intro[lang]}</p>
${countyLink}
<h2>${T.heading[lang]}</h2>
<table><caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">${T.indicator[lang]}</th><th scope="col">${T.period[lang]}</th><th scope="col">${T.unit[lang]}</th>${columns
    .map((a) => `<th scope="col" class="num">${escapeHtml(a.name[lang])}</th>`)
    .join("")}</tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
${memberList}
${notes.html()}`;
  return layout({ title: area.name[lang], lang, path: `/alue/${area.code}`, body, head: VALUE_CSS });
}
