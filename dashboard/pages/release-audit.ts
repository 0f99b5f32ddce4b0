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
  withServed: {
    fi: "Luvut paljastuisivat vasta yhdessä nyt julkaistujen lukujen kanssa, jotka pysyvät julkisina.",
    sv: "Talen skulle avslöjas först tillsammans med de nu publicerade talen, som förblir offentliga.",
    en: "The numbers would be given away only together with the figures published now, which stay public.",
  },
} as const;

/**
 * For admins on /tila: the latest release the disclosure audit rejected, when it is newer than the
 * release being served (empty otherwise).
 */
export async function releaseAuditSection(db: Queryable, lang: Lang): Promise<string> {
  const exists = await db.one(
    `SELECT 1 AS x FROM information_schema.tables WHERE table_name = 'release_rejections'`,
  );
  if (!exists) return "";
  const row = await db.one<{ at: string; findings: string }>(
    `SELECT strftime(rejected_at, '%Y-%m-%d %H:%M') AS at, findings::VARCHAR AS findings FROM release_rejections
     WHERE rejected_at > coalesce((SELECT max(started_at) FROM indicator_runs), '-infinity'::TIMESTAMPTZ)
     ORDER BY rejected_at DESC LIMIT 1`,
  );
  if (!row) return "";
  const recorded = JSON.parse(row.findings) as { findings?: number; withServed?: boolean };
  const text = T.rejected[lang]
    .replace("{at}", escapeHtml(row.at))
    .replace("{n}", String(recorded.findings ?? 0));
  const withServed = recorded.withServed ? ` ${T.withServed[lang]}` : "";
  return `<section aria-labelledby="release-audit"><h2 id="release-audit">${T.title[lang]}</h2>
<p>${text}${withServed}</p></section>`;
}
