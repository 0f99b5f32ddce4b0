import type { Queryable } from "../../core/db.ts";
import type { ReleasePin } from "../../indicators/read.ts";
import { findRelease, type Release } from "../../indicators/release/figures.ts";
import { HttpError } from "../errors.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml } from "./html.ts";
import { timeText } from "./releases.ts";

/** A page pinned to a release (`?julkaisu=<id>`): its figures instead of the latest. */
export interface PagePin {
  pin: ReleasePin;
  release: Release;
}

/** The release a page's `julkaisu` parameter names; null without it, a 400/404 page for a bad one. */
export async function pagePin(db: Queryable, julkaisu: string | undefined): Promise<PagePin | null> {
  if (julkaisu === undefined || julkaisu.trim() === "") return null;
  const text = julkaisu.trim();
  if (!/^\d{1,9}$/.test(text))
    throw new HttpError(400, {
      fi: `Julkaisun numero on kokonaisluku (julkaisu=${text} ei ole).`,
      sv: `Publiceringens nummer är ett heltal (julkaisu=${text} är det inte).`,
      en: `A release number is a whole number (julkaisu=${text} is not).`,
    });
  const found = await findRelease(db, Number(text));
  if (!found)
    throw new HttpError(404, {
      fi: `Julkaisua ${text} ei ole. Julkaisut: /julkaisut.`,
      sv: `Publiceringen ${text} finns inte. Publiceringarna: /sv/julkaisut.`,
      en: `There is no release ${text}. The releases: /en/julkaisut.`,
    });
  return found;
}

const B = {
  old: {
    fi: "Näytät julkaisun {n} lukuja (julkaistu {time}). Se ei ole uusin julkaisu.",
    sv: "Du ser talen i publicering {n} (publicerad {time}). Den är inte den senaste publiceringen.",
    en: "You are looking at the figures of release {n} (published {time}). It is not the latest release.",
  },
  latest: {
    fi: "Näytät julkaisun {n} lukuja (julkaistu {time}); se on uusin julkaisu.",
    sv: "Du ser talen i publicering {n} (publicerad {time}); den är den senaste publiceringen.",
    en: "You are looking at the figures of release {n} (published {time}); it is the latest release.",
  },
  note: {
    fi: "Luvut ovat julkaisusta {n} (julkaistu {time}).",
    sv: "Talen är från publicering {n} (publicerad {time}).",
    en: "The figures are those of release {n} (published {time}).",
  },
  toLatest: { fi: "Näytä uusimmat luvut", sv: "Visa de senaste talen", en: "Show the latest figures" },
  release: {
    fi: "Mitä julkaisussa muuttui",
    sv: "Vad ändrades i publiceringen",
    en: "What changed in the release",
  },
} as const;

/** The banner of a pinned page: which release, whether it is the latest, a link to the latest figures. */
export function pinnedBanner(p: PagePin | null, lang: Lang, latestPath: string): string {
  if (!p) return "";
  const isLatest = p.pin.id === p.pin.latest;
  const text = (isLatest ? B.latest : B.old)[lang]
    .replace("{n}", String(p.pin.id))
    .replace("{time}", timeText(p.release.createdAt, lang));
  const toLatest = isLatest ? "" : ` <a href="${escapeHtml(latestPath)}">${B.toLatest[lang]}</a>.`;
  return `<div class="notice release-banner" role="note"><p>${escapeHtml(text)}${toLatest}
<a href="${escapeHtml(pathIn(lang, `/julkaisut/${p.pin.id}`))}">${B.release[lang]}</a>.</p></div>`;
}

/** The line that says which release a pinned page's figures are from (embeds, download notes); "" unpinned. */
export function pinnedNote(p: PagePin | null, lang: Lang): string {
  return p
    ? B.note[lang].replace("{n}", String(p.pin.id)).replace("{time}", timeText(p.release.createdAt, lang))
    : "";
}

/** `_julkaisu-<id>` in a pinned download's file name (as the report exports name theirs); "" unpinned. */
export function pinnedFileTag(p: PagePin | null): string {
  return p ? `_julkaisu-${p.pin.id}` : "";
}

/** `?julkaisu=<id>` for a link from a pinned page that keeps it pinned; "" for the latest figures. */
export function pinnedQuery(p: PagePin | null): string {
  return p ? `?julkaisu=${p.pin.id}` : "";
}

/** A hidden form field that keeps the page pinned when a chooser is submitted. */
export function pinnedField(p: PagePin | null): string {
  return p ? `<input type="hidden" name="julkaisu" value="${p.pin.id}">` : "";
}
