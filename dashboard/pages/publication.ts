import type { Publication, PublicationState } from "../../indicators/release/publication.ts";
import { type Lang, pathIn } from "../i18n.ts";
import { escapeHtml } from "./html.ts";

const T = {
  heading: { fi: "Uudet luvut", sv: "Nya siffror", en: "New figures" },
  preparing: {
    fi: "Uusia lukuja valmistellaan: ladattu aineisto julkaistaan, kun tietosuojakäsittely ja -tarkastus on tehty koko julkaisulle.",
    sv: "Nya siffror förbereds: de laddade uppgifterna publiceras när dataskyddsbehandlingen och granskningen av hela publiceringen är klara.",
    en: "New figures are being prepared: the loaded data is published once the privacy protection and audit of the whole release are done.",
  },
  published: {
    fi: "Uudet luvut on julkaistu julkaisussa {n}.",
    sv: "De nya siffrorna är publicerade i publicering {n}.",
    en: "The new figures are published in release {n}.",
  },
  unchanged: {
    fi: "Aineisto on käsitelty: julkaistut luvut eivät muuttuneet (käytössä julkaisu {n}).",
    sv: "Uppgifterna är behandlade: de publicerade siffrorna ändrades inte (publicering {n} används).",
    en: "The data is processed: no published figure changed (release {n} is served).",
  },
  rejected: {
    fi: "Tietosuojatarkastus hylkäsi uuden julkaisun, joten sitä ei julkaistu; aiempi julkaisu {n} on edelleen käytössä. Ylläpito on saanut tiedon.",
    sv: "Dataskyddsgranskningen underkände den nya publiceringen, så den publicerades inte; den tidigare publiceringen {n} används fortfarande.",
    en: "The privacy audit rejected the new release, so it was not published; the previous release {n} keeps being served.",
  },
  notYet: {
    fi: "Uusimpia latauksia ei ole vielä julkaistu; käytössä on julkaisu {n}.",
    sv: "De senaste laddningarna är ännu inte publicerade; publicering {n} används.",
    en: "The latest loads are not published yet; release {n} is served.",
  },
  since: { fi: "ladattu {t} alkaen", sv: "laddade sedan {t}", en: "loaded since {t}" },
  follow: {
    fi: "Tilanteen näet latauksen raportista",
    sv: "Läget syns i laddningens rapport",
    en: "Follow it in the load's report",
  },
} as const;

function releaseRef(lang: Lang, release: number | null): string {
  if (release === null) return "–";
  return `<a href="${pathIn(lang, `/julkaisut/${release}`)}">${release}</a>`;
}

/** One sentence on where the figures are (see Publication), with a link to the release. */
export function publicationSentence(publication: Publication, lang: Lang): string {
  return T[publication.status][lang].replace("{n}", releaseRef(lang, publication.release));
}

/**
 * The upload report's box on the new figures; while they are being prepared it links to the load's
 * report page, which says when they are out (no script: the analyst reloads it).
 */
export function publicationBox(publication: Publication, lang: Lang, loadId: number | null): string {
  const follow =
    publication.status === "preparing" && loadId !== null
      ? ` <a href="${pathIn(lang, `/lataukset/${loadId}`)}">${T.follow[lang]}</a>.`
      : "";
  return `<section class="notice" aria-labelledby="publication-title" role="status">
<h2 id="publication-title">${T.heading[lang]}</h2>
<p>${publicationSentence(publication, lang)}${follow}</p>
</section>`;
}

/** The status page's line on the figures being served: preparing since when, or the release. */
export function publicationStatusLine(state: PublicationState | null, lang: Lang): string {
  if (!state) return "";
  const since =
    state.since === null
      ? ""
      : ` (${T.since[lang].replace("{t}", `${escapeHtml(state.since.slice(0, 16))} UTC`)})`;
  // why a release was not published is for admins (the status page's audit section), not for everyone
  const sentence =
    state.status === "rejected"
      ? T.notYet[lang].replace("{n}", releaseRef(lang, state.release))
      : publicationSentence(state, lang);
  return `<p class="notice" role="status" id="publication">${sentence}${since}</p>`;
}
