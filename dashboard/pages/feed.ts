import type { Queryable } from "../../core/db.ts";
import { listReleases } from "../../indicators/release/figures.ts";
import { escapeHtml, formatCount } from "./html.ts";
import { timeText } from "./releases.ts";

/**
 * The Atom 1.0 feed of releases, /julkaisut.atom (RFC 4287): one entry per release, newest first, each
 * linking to its page and to its changes in the API. In Finnish, as the site is first; `origin` is the
 * scheme and host the request came to, for the absolute links the feed's ids and links need.
 */
export async function releasesFeed(db: Queryable, origin: string): Promise<string> {
  const releases = await listReleases(db);
  const x = escapeHtml;
  const updated = releases[0]?.createdAt ?? "1970-01-01T00:00:00Z";
  const entries = releases.map((r) => {
    const page = `${origin}/julkaisut/${r.id}`;
    const summary =
      `Julkaisu ${r.id}: ${formatCount(r.changed)} muuttunutta lukua ${formatCount(r.figures)} luvusta; ` +
      `uusia tiedostoja ${formatCount(r.loadIds.length)}; aineisto ladattu viimeksi ${timeText(r.dataAsOf, "fi")}.`;
    return `  <entry>
    <id>${x(page)}</id>
    <title>Julkaisu ${r.id} (${x(timeText(r.createdAt, "fi"))})</title>
    <link rel="alternate" type="text/html" href="${x(page)}"/>
    <link rel="related" type="application/json" href="${x(`${origin}/api/v1/releases/${r.id}/changes`)}"/>
    <published>${x(r.createdAt)}</published>
    <updated>${x(r.createdAt)}</updated>
    <summary type="text">${x(summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fi">
  <id>${x(`${origin}/julkaisut`)}</id>
  <title>Seuranta: julkaisut</title>
  <subtitle>Osatyökykyisten palvelujen seurantaindikaattorien julkaisut: mitä kukin julkaisu muutti.</subtitle>
  <link rel="self" type="application/atom+xml" href="${x(`${origin}/julkaisut.atom`)}"/>
  <link rel="alternate" type="text/html" href="${x(`${origin}/julkaisut`)}"/>
  <updated>${x(updated)}</updated>
  <author><name>Seuranta</name></author>
${entries.join("\n")}
</feed>
`;
}
