import { beforeAll, describe, expect, test } from "vitest";
import { ReleaseRejectedError, recomputeAll } from "../../indicators/compute.ts";
import { readValues } from "../../indicators/read.ts";
import { publicationOf } from "../../indicators/release/publication.ts";
import { KT } from "../indicators/support.ts";
import { auditUnderLegacyRule } from "../support/legacy-audit.ts";
import { KUNNAT, smallCounts } from "../support/small-counts.ts";
import { useAuthApp } from "./auth-fixture.ts";

// A release the disclosure audit rejects is not published: the previous one stays served, and admins
// see the rejection on /tila. The rejection is made real: the release served is replaced by what the
// old rule published, which the next recompute must keep shown (a figure once published stays) and
// cannot protect against.

describe("a release the audit rejects", () => {
  const t = useAuthApp();
  let before: string;
  let error: unknown;
  beforeAll(async () => {
    const env = t.env();
    expect((await env.ingest("kt.csv", KT)).errors).toEqual([]);
    await recomputeAll(env.db, env.config);
    await auditUnderLegacyRule(env.db, env.config);
    before = JSON.stringify((await readValues(env.db, { indicator: "kt-tyohon" })).values);
    error = await recomputeAll(env.db, env.config).catch((e: unknown) => e);
  });

  test("is not published: the recompute fails and the values served stay as they were", async () => {
    expect(error).toBeInstanceOf(ReleaseRejectedError);
    const after = JSON.stringify((await readValues(t.env().db, { indicator: "kt-tyohon" })).values);
    expect(after).toBe(before);
  });

  test("is shown to an admin on /tila", async () => {
    const page = await t.app().inject({ url: "/tila", headers: { authorization: `Bearer ${t.admin()}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/hylättiin tietosuojatarkastuksessa/);
  });

  test("is not shown to anyone else", async () => {
    const page = await t.app().inject("/tila");
    expect(page.body).not.toMatch(/tietosuojatarkastuksessa/);
  });
});

describe("a load whose release the audit rejects", () => {
  const t = useAuthApp();
  let loadId: number;
  let served: number;
  beforeAll(async () => {
    const env = t.env();
    expect((await env.ingest("kt.csv", KT)).errors).toEqual([]);
    await recomputeAll(env.db, env.config);
    await auditUnderLegacyRule(env.db, env.config);
    const revised = KT.replace("092;2024Q3;900;20;20", "092;2024Q3;901;20;20");
    const load = await env.ingest("kt-korjattu.csv", revised);
    expect(load.status).toBe("loaded");
    loadId = Number(load.load_id);
    served = Number((await env.db.one<{ id: number }>("SELECT max(release_id) AS id FROM releases"))?.id);
    await expect(recomputeAll(env.db, env.config)).rejects.toBeInstanceOf(ReleaseRejectedError);
  });

  test("is reported to its sender as rejected, with the release still served", async () => {
    const publication = await publicationOf(await t.env().db.reader(), loadId);
    expect(publication).toEqual({ status: "rejected", release: served });
    const page = await t
      .app()
      .inject({ url: `/lataukset/${loadId}`, headers: { authorization: `Bearer ${t.admin()}` } });
    expect(page.body).toContain(
      `aiempi julkaisu <a href="/julkaisut/${served}">${served}</a> on edelleen käytössä`,
    );
  });

  test("is on the status page as not published yet, without saying why", async () => {
    const page = await t.app().inject("/tila");
    expect(page.body).toContain(
      `Uusimpia latauksia ei ole vielä julkaistu; käytössä on julkaisu <a href="/julkaisut/${served}">${served}</a>`,
    );
    expect(page.body).not.toMatch(/tietosuojatarkastu/i);
  });
});

describe("a resend of small counts, audited together with the release before it", () => {
  const t = useAuthApp();
  let summary: Awaited<ReturnType<typeof recomputeAll>>;
  beforeAll(async () => {
    const env = t.env();
    expect((await env.ingest("kt.csv", smallCounts(7, KUNNAT))).status).toBe("loaded");
    await recomputeAll(env.db, env.config);
    // three municipalities send their year again with other small counts
    expect((await env.ingest("kt.csv", smallCounts(8, KUNNAT.slice(0, 3)))).status).toBe("loaded");
    summary = await recomputeAll(env.db, env.config);
  }, 600_000);

  test("is published, giving no number away together with the release before it", () => {
    expect(summary.release?.id).toBe(2);
    expect(summary.suppressed.together?.findings).toBe(0);
  });

  test("shows admins on /tila the values before the correction that the two still tell", async () => {
    const superseded = summary.suppressed.together?.superseded ?? 0;
    expect(superseded).toBeGreaterThan(0);
    const page = await t.app().inject({ url: "/tila", headers: { authorization: `Bearer ${t.admin()}` } });
    expect(page.body).toContain(`${superseded} korjatun luvun korjausta edeltävä arvo`);
    const open = await t.app().inject("/tila");
    expect(open.body).not.toMatch(/tietosuojatarkastu/i);
  });
});
