import type { FastifyReply } from "fastify";
import type { Queryable } from "../../core/db.ts";
import type { Localised } from "../../core/lang.ts";
import type { PlacedAnnotation } from "../../indicators/annotations.ts";
import { formatPeriod, formatPublished } from "../../indicators/format.ts";
import { KOKO_MAA, KOKO_MAA_NAME, LEVELS, type LevelName } from "../../indicators/levels.ts";
import type { PeriodType } from "../../indicators/periods.ts";
import type { ReaderValue } from "../../indicators/read.ts";
import { type Reason, reasonText } from "../../indicators/suppress/status.ts";
import type { Lang } from "../i18n.ts";
import { escapeHtml } from "./html.ts";

/**
 * What the indicator pages share: the areas of the municipality key, period labels, value cells with
 * their footnotes, and the parameter checks that turn a bad URL into a 400 or 404 in the page's language.
 */

/** UI texts shared by the value pages (each string in fi/sv/en). */
export const V = {
  notReported: { fi: "ei ilmoitettu", sv: "inte rapporterat", en: "not reported" },
  notes: { fi: "Huomautukset", sv: "Anmärkningar", en: "Notes" },
  note: { fi: "Huomautus", sv: "Anmärkning", en: "Note" },
  symbols: {
    fi: "Merkinnät: .. peitetty tietosuojan vuoksi, . ei ilmoitettu, – ei laskettavissa.",
    sv: "Symboler: .. dolt av dataskyddsskäl, . inte rapporterat, – kan inte beräknas.",
    en: "Symbols: .. hidden to protect privacy, . not reported, – cannot be computed.",
  },
  municipalities: { fi: "kuntaa", sv: "kommuner", en: "municipalities" },
  reportedOf: { fi: "ilmoitti", sv: "rapporterade", en: "reported" },
} as const;

export const PERIOD_TYPE_TEXT: Record<PeriodType, Localised> = {
  quarter: { fi: "Vuosineljännes", sv: "Kvartal", en: "Quarter" },
  year: { fi: "Vuosi", sv: "År", en: "Year" },
  rolling4q: { fi: "Liukuva 4 neljännestä", sv: "Rullande 4 kvartal", en: "Rolling 4 quarters" },
};

const PERIOD_FORMS: Record<PeriodType, RegExp> = {
  quarter: /^\d{4}Q[1-4]$/,
  year: /^\d{4}$/,
  rolling4q: /^\d{4}Q[1-4]-\d{4}Q[1-4]$/,
};

/** Whether a period label has the form of its type (the page answers 400 otherwise). */
export function periodFormOk(type: PeriodType, period: string): boolean {
  return PERIOD_FORMS[type].test(period);
}

/** An area of the municipality key at one level. */
export interface Area {
  level: LevelName;
  code: string;
  name: Localised;
  /** Municipality codes of the area (itself for a municipality). */
  members: string[];
  /** The wellbeing services county of the area, when it lies in one. */
  county: string | null;
}

/** Every area of every level, read from ref_kunta (the municipality key). */
export interface Areas {
  byLevel: Map<LevelName, Map<string, Area>>;
  get(level: LevelName, code: string): Area | undefined;
  /** Areas of a level, sorted by name in the language. */
  list(level: LevelName, lang: Lang): Area[];
}

type KuntaRow = Record<string, string | null>;

/** Reads the areas of every level from the reference data (no user input reaches the SQL). */
export async function loadAreas(db: Queryable): Promise<Areas> {
  const rows = await db.all<KuntaRow>(`SELECT * FROM ref_kunta ORDER BY kunta`);
  const byLevel = new Map<LevelName, Map<string, Area>>();
  for (const level of LEVELS) {
    const map = new Map<string, Area>();
    if (level.column === null) {
      map.set(KOKO_MAA, {
        level: level.name,
        code: KOKO_MAA,
        name: KOKO_MAA_NAME,
        members: rows.map((r) => String(r.kunta)),
        county: null,
      });
    } else {
      for (const r of rows) {
        const code = r[level.column];
        if (code === null || code === undefined || code === "") continue;
        const county = r.hyvinvointialue ?? null;
        let area = map.get(code);
        if (!area) {
          const names = level.names;
          area = {
            level: level.name,
            code,
            name: { fi: r[names.fi] ?? code, sv: r[names.sv] ?? code, en: r[names.en] ?? code },
            members: [],
            county,
          };
          map.set(code, area);
        }
        area.members.push(String(r.kunta));
        if (area.county !== county) area.county = null;
      }
    }
    byLevel.set(level.name, map);
  }
  return {
    byLevel,
    get: (level, code) => byLevel.get(level)?.get(code),
    list: (level, lang) =>
      [...(byLevel.get(level)?.values() ?? [])].sort((a, b) =>
        a.name[lang].localeCompare(b.name[lang], lang),
      ),
  };
}

/**
 * The path of an area's page: `/alue/<level>/<code>` (`/alue/tyollisyysalue/18`). Codes of counties and
 * employment areas overlap (`18` is both), so the level is part of the path.
 */
export function areaPath(area: Pick<Area, "level" | "code">): string {
  return `/alue/${area.level}/${encodeURIComponent(area.code)}`;
}

/**
 * The level an old area link `/alue/<code>` meant (before employment areas had pages): three digits a
 * municipality, SSS the whole country, anything else a county.
 */
export function legacyAreaLevel(code: string): LevelName {
  if (code === KOKO_MAA) return "koko_maa";
  return /^\d{3}$/.test(code) ? "kunta" : "hyvinvointialue";
}

/** Collects the reasons of hidden values on a page and numbers them for footnotes. */
export class Footnotes {
  private readonly reasons: Reason[] = [];
  constructor(
    private readonly lang: Lang,
    private readonly threshold: number,
  ) {}

  /** The footnote number of a reason. */
  number(reason: Reason): number {
    let i = this.reasons.indexOf(reason);
    if (i < 0) i = this.reasons.push(reason) - 1;
    return i + 1;
  }

  /** The footnote list, or "" when nothing was hidden. */
  html(): string {
    const { lang } = this;
    return `<section class="notes" aria-labelledby="notes-h"><h2 id="notes-h">${V.notes[lang]}</h2>
<p>${V.symbols[lang]}</p>${
      this.reasons.length === 0
        ? ""
        : `<ol>${this.reasons
            .map((r, i) => `<li id="note-${i + 1}">${escapeHtml(reasonText(r, lang, this.threshold))}</li>`)
            .join("")}</ol>`
    }</section>`;
  }
}

/** A value for a table cell: the formatted number, or its symbol with a link to the reason's footnote. */
export function valueCell(
  v: ReaderValue | undefined,
  decimals: number,
  lang: Lang,
  notes: Footnotes,
): string {
  if (!v) return `<span title="${V.notReported[lang]}">.</span>`;
  const text = escapeHtml(formatPublished(v, decimals, lang));
  if (v.value !== null || v.reason === null) return text;
  const n = notes.number(v.reason);
  return `${text}<sup><a href="#note-${n}" aria-label="${V.note[lang]} ${n}">${n}</a></sup>`;
}

/** "12/13 kuntaa ilmoitti" */
export function completenessText(v: ReaderValue, lang: Lang): string {
  return `${v.reported}/${v.members} ${V.municipalities[lang]} ${V.reportedOf[lang]}`;
}

/** The latest value of a series that carries data (else the latest of all). */
export function latest(values: ReaderValue[]): ReaderValue | undefined {
  const sorted = [...values].sort((a, b) => a.lastQuarter.localeCompare(b.lastQuarter));
  const reported = sorted.filter((v) => v.status !== "missing");
  return reported.at(-1) ?? sorted.at(-1);
}

const A = {
  heading: { fi: "Merkinnät aikasarjassa", sv: "Markeringar i tidsserien", en: "Marks in the series" },
} as const;

/** The annotations of a time series as a list under its table (the chart marks them with a rule). */
export function annotationNotes(list: PlacedAnnotation[], lang: Lang): string {
  if (list.length === 0) return "";
  return `<div class="annotations"><p><strong>${A.heading[lang]}</strong></p><ul>${list
    .map(
      (a) =>
        `<li><strong>${escapeHtml(formatPeriod(a.period))}, ${escapeHtml(a.annotation.label[lang])}:</strong> ${escapeHtml(a.annotation.text[lang])}</li>`,
    )
    .join("")}</ul></div>`;
}

/** Extra styles of the value pages (tiles, figures, forms). */
export const VALUE_CSS = `<style>
.tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(min(16rem, 100%), 1fr)); gap: 1rem; }
.tile { border: 1px solid var(--border); border-top: 4px solid var(--brand); padding: 0.75rem 1rem; }
.tile h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
.tile .value { font-size: 1.75rem; font-weight: 700; margin: 0; }
.tile p { margin: 0.25rem 0; }
form.switch { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0.5rem 0 1rem; }
form.switch label { display: flex; flex-direction: column; font-weight: 600; max-width: 100%; min-width: 0; }
select, button { font: inherit; padding: 0.25rem 0.5rem; }
button { background: var(--highlight); color: #fff; border: 0; border-radius: 2px; padding: 0.35rem 1rem; }
figure { margin: 1rem 0; max-width: 100%; overflow-x: auto; }
figcaption { color: var(--text-secondary); }
dl.definition dt { font-weight: 700; } dl.definition dd { margin: 0 0 0.75rem; }
.notes { font-size: 0.9rem; }
</style>`;

/** Sends a rendered page (HTML) or file, revalidated on every use; an error its render throws (an
 * HttpError for bad input, never a 500) is answered by the app's error handler (dashboard/errors.ts). */
export async function sendPage(
  reply: FastifyReply,
  render: () => Promise<string | Buffer>,
): Promise<FastifyReply> {
  reply.header("Cache-Control", "no-cache");
  const body = await render();
  if (typeof body === "string") reply.type("text/html; charset=utf-8");
  return reply.send(body);
}
