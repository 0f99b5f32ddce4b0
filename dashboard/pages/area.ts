import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { formatPeriod, LABELS, UNIT_TEXT } from "../../indicators/format.ts";
import { KOKO_MAA, LEVEL_NAMES, LEVELS, type LevelName } from "../../indicators/levels.ts";
import { readManyValues } from "../../indicators/read.ts";
import { catalogueFor } from "../../indicators/release/definitions.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml, layout } from "./html.ts";
import { pageQuery } from "./indicator.ts";
import { pagePin, pinnedBanner, pinnedQuery } from "./pinned.ts";
import {
  type Area,
  type Areas,
  areaPath,
  Footnotes,
  latest,
  loadAreas,
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
  period: LABELS.period,
  unit: LABELS.unit,
  unknown: {
    fi: "Tuntematon alue. Osoite on muotoa /alue/<taso>/<koodi>, esim. /alue/kunta/179, /alue/tyollisyysalue/18, /alue/hyvinvointialue/15 tai /alue/koko_maa/SSS.",
    sv: "Okänt område. Adressen har formen /alue/<nivå>/<kod>, t.ex. /alue/kunta/179, /alue/tyollisyysalue/18, /alue/hyvinvointialue/15 eller /alue/koko_maa/SSS.",
    en: "Unknown area. The address has the form /alue/<level>/<code>, e.g. /alue/kunta/179, /alue/tyollisyysalue/18, /alue/hyvinvointialue/15 or /alue/koko_maa/SSS.",
  },
  members: { fi: "Alueen kunnat", sv: "Områdets kommuner", en: "Municipalities of the area" },
  employmentAreas: {
    fi: "Alueen työllisyysalueet",
    sv: "Områdets sysselsättningsområden",
    en: "Employment areas of the county",
  },
  partOf: { fi: "Kuuluu alueisiin", sv: "Hör till områdena", en: "Part of" },
  compare: {
    fi: "Vertaile aluetta muihin alueisiin",
    sv: "Jämför området med andra områden",
    en: "Compare the area with other areas",
  },
} as const;

/** Whether a path segment names a level (`kunta`, `tyollisyysalue`, `hyvinvointialue`, `koko_maa`). */
export function isLevel(name: string): name is LevelName {
  return (LEVEL_NAMES as string[]).includes(name);
}

/** The areas of a level that hold every member of the area (a municipality's employment area and county). */
function containing(areas: Areas, area: Area, level: LevelName): Area[] {
  return [...(areas.byLevel.get(level)?.values() ?? [])].filter(
    (a) => a.code !== area.code && area.members.every((m) => a.members.includes(m)),
  );
}

/**
 * The area page /alue/<level>/<code>: every indicator's latest value for a municipality, an employment
 * area, a county or the whole country, beside its county and the whole country.
 */
export async function areaPage(
  db: Queryable,
  config: Config,
  lang: Lang,
  levelName: string,
  code: string,
  julkaisu?: string,
): Promise<string> {
  const pinned = await pagePin(db, julkaisu);
  const areas = await loadAreas(db);
  if (!isLevel(levelName)) throw new HttpError(404, T.unknown);
  const level = levelName;
  const area = areas.get(level, code);
  if (!area) throw new HttpError(404, T.unknown);
  const catalogue = await catalogueFor(db, pinned);
  const notes = new Footnotes(lang, config.suppressionThreshold);
  const county =
    (level === "kunta" || level === "tyollisyysalue") && area.county
      ? areas.get("hyvinvointialue", area.county)
      : undefined;
  const country = level === "koko_maa" ? undefined : areas.get("koko_maa", KOKO_MAA);
  const columns = [area, county, country].filter((a): a is Area => a !== undefined);

  // one read for every indicator of the page and every column of its row
  const shown = catalogue.entries.flatMap(({ definition: def }) => {
    const periodType = def.periods.includes("quarter") ? "quarter" : def.periods[0];
    return def.levels.includes(level) && periodType ? [{ def, periodType }] : [];
  });
  const results = await readManyValues(
    db,
    shown.map(({ def, periodType }) => ({
      indicator: def.id,
      areas: columns
        .filter((a) => def.levels.includes(a.level))
        .map((a) => ({ level: a.level, area: a.code })),
      periodType,
      category: "",
    })),
    { catalogue, release: pinned?.pin },
  );
  const rows = shown.map(({ def, periodType }, i) => {
    const values = results[i]?.values ?? [];
    const of = (a: Area) => values.filter((v) => v.level === a.level && v.area === a.code);
    const now = latest(of(area));
    const cells = [now];
    for (const other of columns.slice(1)) {
      if (!def.levels.includes(other.level)) cells.push(undefined);
      else cells.push(of(other).find((v) => v.period === now?.period));
    }
    const link = `${pathIn(lang, `/indikaattori/${def.id}`)}?${pageQuery({ level, area, periodType, period: now?.period ?? null, pinned })}`;
    // each cell names its column (data-label): a phone shows a row as a card of labelled lines
    return `<tr role="row"><th scope="row" role="rowheader"><a href="${escapeHtml(link)}">${escapeHtml(def.title[lang])}</a></th><td role="cell" class="nowrap" data-label="${T.period[lang]}">${now ? escapeHtml(formatPeriod(now.period)) : ""}</td><td role="cell" class="nowrap" data-label="${T.unit[lang]}">${escapeHtml(UNIT_TEXT[def.unit][lang])}</td>${cells
      .map(
        (v, c) =>
          `<td role="cell" class="num" data-label="${escapeHtml(columns[c]?.name[lang] ?? "")}">${valueCell(v, def.decimals, lang, notes)}</td>`,
      )
      .join("")}</tr>`;
  });
  const levelTitle = LEVELS.find((l) => l.name === level)?.title[lang] ?? "";
  const caption = T.caption[lang].replace("{area}", area.name[lang]);
  // links to other areas, the compare page and the language switch keep a pinned page's release
  const pin = pinnedQuery(pinned);
  const link = (a: Area) =>
    `<li><a href="${escapeHtml(`${pathIn(lang, areaPath(a))}${pin}`)}">${escapeHtml(a.name[lang])}</a></li>`;
  const byName = (a: Area, b: Area) => a.name[lang].localeCompare(b.name[lang], lang);
  const memberList =
    level === "hyvinvointialue" || level === "tyollisyysalue"
      ? `<h2>${T.members[lang]}</h2><ul class="members">${area.members
          .map((k) => areas.get("kunta", k))
          .filter((a): a is Area => a !== undefined)
          .sort(byName)
          .map(link)
          .join("")}</ul>`
      : "";
  const employmentAreas =
    level === "hyvinvointialue"
      ? [...(areas.byLevel.get("tyollisyysalue")?.values() ?? [])]
          .filter((a) => a.members.some((m) => area.members.includes(m)))
          .sort(byName)
      : [];
  const employmentList =
    employmentAreas.length > 0
      ? `<h2>${T.employmentAreas[lang]}</h2><ul class="members">${employmentAreas.map(link).join("")}</ul>`
      : "";
  const parents = (["tyollisyysalue", "hyvinvointialue"] as const).flatMap((l) =>
    l === level ? [] : containing(areas, area, l),
  );
  const countyLink =
    level === "koko_maa" || parents.length === 0
      ? ""
      : `<p>${T.partOf[lang]}:</p><ul class="members">${parents.map(link).join("")}</ul>`;
  const compareQuery = new URLSearchParams({
    alueet: [area, county, country]
      .filter((a): a is Area => a !== undefined)
      .map((a) => `${a.level}:${a.code}`)
      .join(","),
  });
  if (pinned) compareQuery.set("julkaisu", String(pinned.pin.id));
  const compareLink = `<p><a href="${escapeHtml(`${pathIn(lang, "/vertailu")}?${compareQuery}`)}">${T.compare[lang]}</a></p>`;
  const body = `${pinnedBanner(pinned, lang, pathIn(lang, areaPath(area)))}<h1>${escapeHtml(area.name[lang])}</h1>
<p>${escapeHtml(levelTitle)}${level === "koko_maa" ? "" : ` ${escapeHtml(area.code)}`}. ${T.intro[lang]}</p>
${countyLink}
${compareLink}
<h2>${T.heading[lang]}</h2>
<table class="cards" role="table"><caption>${escapeHtml(caption)}</caption>
<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">${T.indicator[lang]}</th><th scope="col" role="columnheader">${T.period[lang]}</th><th scope="col" role="columnheader">${T.unit[lang]}</th>${columns
    .map((a) => `<th scope="col" role="columnheader" class="num">${escapeHtml(a.name[lang])}</th>`)
    .join("")}</tr></thead><tbody role="rowgroup">
${rows.join("\n")}
</tbody></table>
${memberList}
${employmentList}
${notes.html()}`;
  return layout({
    title: area.name[lang],
    lang,
    path: `${areaPath(area)}${pin}`,
    body,
    head: `${VALUE_CSS}<style>${AREA_CSS}</style>`,
  });
}

/**
 * The indicator table on a phone: each row a card (the indicator, then its period, unit and each
 * area's figure on a line of its own, named by the cell's data-label), so that no figure is off-screen.
 * The explicit ARIA roles keep it a table for screen readers when its cells are laid out as blocks.
 */
const AREA_CSS = `
table.cards td.nowrap { white-space: nowrap; }
@media (max-width: 40rem) {
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.cards, table.cards tbody, table.cards tr, table.cards th, table.cards td { display: block; }
  table.cards tr { border-bottom: 1px solid var(--border); padding: 0.5rem 0; }
  table.cards caption { display: block; }
  table.cards th, table.cards td { border: 0; padding: 0.1rem 0; }
  table.cards td { text-align: right; }
  table.cards td::before { content: attr(data-label); float: left; max-width: 70%; font-weight: 600; text-align: left; }
  table.cards td::after { content: ""; display: block; clear: both; }
}
`;
