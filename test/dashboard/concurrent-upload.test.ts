import { describe, expect, it } from "vitest";
import { csvUpload, postMultipart } from "../support/multipart.ts";
import { useAuthApp } from "./auth-fixture.ts";

const HEADER = "kunta;vuosineljannes;suunta;luokka;lukumaara";
// two versions of Jyväskylä's 2024Q2 arrivals: A lists three sources, B two (its third is then 0)
const A = `${HEADER}\n179;2024Q2;tulo;tyoterveyshuolto;1\n179;2024Q2;tulo;perusterveydenhuolto;2\n179;2024Q2;tulo;tyollisyyspalvelut;3\n`;
const B = `${HEADER}\n179;2024Q2;tulo;tyoterveyshuolto;10\n179;2024Q2;tulo;perusterveydenhuolto;20\n`;

describe("two uploads of the same key at the same time", () => {
  const f = useAuthApp();

  it("are taken one after the other: the later replaces the earlier whole, says so, and nothing mixes", async () => {
    const send = (name: string, csv: string) => {
      const body = csvUpload(name, csv);
      return postMultipart(f.app(), "/api/v1/uploads", body, { authorization: `Bearer ${f.analyst()}` });
    };
    const responses = await Promise.all([send("a.csv", A), send("b.csv", B)]);
    const reports = responses.map((r) => r.json().files[0]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(reports.map((r) => r.status)).toEqual(["loaded", "loaded"]);

    const [first, second] = [...reports].sort((x, y) => x.load_id - y.load_id);
    expect(first.keys_replaced).toEqual([]);
    expect(second.keys_replaced).toEqual([{ kunta: "179", vuosineljannes: "2024Q2", suunta: "tulo" }]);

    const rows = await f.env().db.all<{ luokka: string; lukumaara: number; load_id: bigint }>(
      `SELECT luokka, lukumaara, load_id FROM tiimi
       WHERE kunta = '179' AND vuosi = 2024 AND neljannes = 2 AND suunta = 'tulo' AND lukumaara > 0
       ORDER BY luokka`,
    );
    expect(new Set(rows.map((r) => Number(r.load_id)))).toEqual(new Set([second.load_id]));
    const winner = second.file === "a.csv" ? { a: 1, b: 2, c: 3 } : { a: 10, b: 20, c: undefined };
    const byClass = Object.fromEntries(rows.map((r) => [r.luokka, r.lukumaara]));
    expect(byClass.tyoterveyshuolto).toBe(winner.a);
    expect(byClass.perusterveydenhuolto).toBe(winner.b);
    expect(byClass.tyollisyyspalvelut).toBe(winner.c);
  });
});
