import fs from "node:fs";
import { it } from "vitest";
import { buildApp } from "../../dashboard/app.ts";
import { KT, TIIMI, useComputed, VP } from "../indicators/support.ts";

const h = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });
it("dump", async () => {
  const app = await buildApp({ db: h.env.db, config: h.env.config });
  const out = "/tmp/privacy-explore";
  for (const [name, url] of [
    ["ind-pa.html", "/indikaattori/kt-paattymissyyt?taso=kunta&alue=092&jaksotyyppi=quarter&jakso=2024Q1"],
    ["ind-vp.html", "/indikaattori/vp-tyohonvalmennus?taso=kunta&alue=092&jaksotyyppi=quarter&jakso=2024Q1"],
    ["ind-avo-en.html", "/en/indikaattori/vp-avotyo-per-10000?taso=hyvinvointialue&alue=04&jaksotyyppi=quarter&jakso=2024Q1"],
    ["ind-tt.html", "/indikaattori/tt-terveydenhuollosta?taso=kunta&alue=092&jaksotyyppi=quarter&jakso=2024Q1"],
  ]) {
    const r = await app.inject(url as string);
    console.log(name, r.statusCode);
    fs.writeFileSync(`${out}/${name}`, r.rawPayload);
  }
  await app.close();
});
