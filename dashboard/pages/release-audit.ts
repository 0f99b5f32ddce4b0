import type { Queryable } from "../../core/db.ts";
import type { Lang } from "../i18n.ts";
import { escapeHtml } from "./html.ts";

const T = {
  title: { fi: "Tietosuojatarkastus", sv: "Dataskyddsgranskning", en: "Disclosure audit" },
  rejected: {
    fi: "Uusin laskenta hylättiin tietosuojatarkastuksessa {at}: {n} peitettyä lukua olisi voitu laskea tai rajata julkaistuista. Sivuilla on yhä edellinen julkaisu. Katso `seuranta audit`.",
    sv: "Den senaste beräkningen avvisades i dataskyddsgranskningen {at}: {n} dolda tal hade kunnat räknas ut eller avgränsas ur de publicerade. Sidorna visar fortfarande den föregående publiceringen. Se `seuranta audit`.",
    en: "The latest recompute was rejected by the disclosure audit at {at}: {n} hidden numbers could have been worked out or narrowed from the published ones. The pages still show the previous release. See `seuranta audit`.",
  },
  together: {
    fi: "Julkaisu {at} julkaistiin. Yhdessä sitä edeltäneen julkaisun kanssa {n} korjatun luvun korjausta edeltävä arvo voidaan laskea tai rajata: niitä ei suojata koko maan lukujen kustannuksella. Katso laskennan yhteenveto (`together`).",
    sv: "Publiceringen {at} publicerades. Tillsammans med den föregående publiceringen kan {n} korrigerade tals värden före korrigeringen räknas ut eller avgränsas: de skyddas inte på bekostnad av hela landets tal. Se beräkningens sammanfattning (`together`).",
    en: "The release of {at} was published. Together with the release before it, the values {n} corrected numbers had before their correction can be worked out or narrowed: they are not protected at the cost of the whole country's figures. See the run's summary (`together`).",
  },
} as const;

/**
 * For admins on /tila: the latest release the disclosure audit rejected, when it is newer than the
 * release being served, and the values before a correction that the latest run's release tells
 * together with the one before it (empty when neither).
 */
export async function releaseAuditSection(db: Queryable, lang: Lang): Promise<string> {
  const exists = await db.one(
    `SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'release_rejections'`,
  );
  if (!exists) return "";
  const rejected = await db.one<{ at: string; findings: string }>(
    `SELECT strftime(rejected_at, '%Y-%m-%d %H:%M') AS at, findings::VARCHAR AS findings FROM release_rejections
     WHERE rejected_at > coalesce((SELECT max(started_at) FROM indicator_runs), '-infinity'::TIMESTAMPTZ)
     ORDER BY rejected_at DESC LIMIT 1`,
  );
  const together = await db.one<{ at: string; n: number | null }>(
    `SELECT strftime(started_at, '%Y-%m-%d %H:%M') AS at,
       (summary->'$.suppressed.together.superseded')::INTEGER AS n
     FROM indicator_runs ORDER BY run_id DESC LIMIT 1`,
  );
  const texts: string[] = [];
  if (rejected) {
    const n = (JSON.parse(rejected.findings) as { findings?: number }).findings ?? 0;
    texts.push(T.rejected[lang].replace("{at}", escapeHtml(rejected.at)).replace("{n}", String(n)));
  }
  if (together && (together.n ?? 0) > 0)
    texts.push(T.together[lang].replace("{at}", escapeHtml(together.at)).replace("{n}", String(together.n)));
  if (texts.length === 0) return "";
  return `<section aria-labelledby="release-audit"><h2 id="release-audit">${T.title[lang]}</h2>
${texts.map((text) => `<p>${text}</p>`).join("\n")}</section>`;
}
