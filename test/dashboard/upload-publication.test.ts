import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeAll, recomputeIfStale } from "../../indicators/compute.ts";
import { Publisher } from "../../indicators/publisher.ts";
import { KT } from "../indicators/support.ts";
import { csvUpload, postMultipart } from "../support/multipart.ts";
import { signIn, useAuthApp } from "./auth-fixture.ts";

// The upload answers right after the load's commit; the recompute, protection, audit and release
// follow in the background. Here the background run waits for a gate, so that what the analyst and
// the status page see before and after the new release is certain.

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
const JYVASKYLA_2024Q2 = `${HEADER}\n179;2024Q2;120;12;25;9;2;1;2;2;4;1;1;1;2\n`;
const JAMSA_2024Q2 = `${HEADER}\n182;2024Q2;40;4;6;1;1;0;1;1;1;0;0;0;1\n`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("an upload of one municipality-quarter", () => {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const publisher = new Publisher(
    async (trigger) => {
      await gate;
      await recomputeIfStale(f.env().db, f.env().config, { trigger });
    },
    (error) => {
      throw error;
    },
  );
  const f = useAuthApp({}, { publisher });
  let answer: { files: { status: string; load_id: number }[]; publication: unknown };
  let releaseBefore: number;
  let formAnswer: string;

  beforeAll(async () => {
    const env = f.env();
    expect((await env.ingest("kt.csv", KT)).status).toBe("loaded");
    await recomputeAll(env.db, env.config);
    releaseBefore = Number(
      (await env.db.one<{ id: number }>("SELECT max(release_id) AS id FROM releases"))?.id,
    );
    const response = await postMultipart(
      f.app(),
      "/api/v1/uploads",
      csvUpload("jyvaskyla.csv", JYVASKYLA_2024Q2),
      bearer(f.analyst()),
    );
    expect(response.statusCode).toBe(200);
    answer = response.json();
    const { cookie, csrf } = await signIn(f.app(), f.analyst());
    const form = csvUpload("jamsa.csv", JAMSA_2024Q2, { _csrf: csrf });
    formAnswer = (await postMultipart(f.app(), "/lataa", form, { cookie })).body;
  });
  afterAll(() => open());

  it("answers once the load is committed, saying the new figures are being prepared", () => {
    expect(answer.files[0]?.status).toBe("loaded");
    expect(answer.publication).toEqual({ status: "preparing", release: releaseBefore });
  });

  it("the form's report says the new figures are being prepared and links to the load's report", () => {
    expect(formAnswer).toContain("Tiedosto ladattiin");
    expect(formAnswer).toMatch(/Uusia lukuja valmistellaan/);
    expect(formAnswer).toMatch(/<a href="\/lataukset\/\d+">Tilanteen näet latauksen raportista<\/a>/);
  });

  it("the status page says new figures are being prepared while they are", async () => {
    const page = await f.app().inject("/tila");
    expect(page.body).toMatch(
      /Uusia lukuja valmistellaan.*\(ladattu \d{4}-\d\d-\d\d \d\d:\d\d UTC alkaen\)/s,
    );
    const en = await f.app().inject("/en/tila");
    expect(en.body).toMatch(/New figures are being prepared/);
  });

  it("once the release has passed the audit, the load's report and the status page name it", async () => {
    open();
    await publisher.idle();
    const release = releaseBefore + 1;
    const report = await f.app().inject({
      url: `/api/v1/loads/${answer.files[0]?.load_id}/report`,
      headers: bearer(f.analyst()),
    });
    expect(report.json().publication).toEqual({ status: "published", release });
    const reportPage = await f.app().inject({
      url: `/lataukset/${answer.files[0]?.load_id}`,
      headers: bearer(f.analyst()),
    });
    expect(reportPage.body).toContain(`julkaistu julkaisussa <a href="/julkaisut/${release}">${release}</a>`);
    const status = await f.app().inject("/tila");
    expect(status.body).toContain(`julkaistu julkaisussa <a href="/julkaisut/${release}">${release}</a>`);
    expect(status.body).not.toMatch(/valmistellaan/);
    expect(reportPage.body).not.toMatch(/valmistellaan/);
  });
});
