import { beforeAll, describe, expect, test } from "vitest";
import { ReleaseRejectedError, recomputeAll } from "../../indicators/compute.ts";
import { readValues } from "../../indicators/read.ts";
import { KT } from "../indicators/support.ts";
import { auditUnderLegacyRule } from "../support/legacy-audit.ts";
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
