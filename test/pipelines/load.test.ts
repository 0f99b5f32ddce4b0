import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { sha256 } from "../../pipelines/archive.ts";
import { reportSchema } from "../../pipelines/report.ts";
import { codes, ktFile, NO_OUTCOMES, tiimiFile, useEnv, vpFile } from "./csv.ts";

type Db = ReturnType<typeof useEnv>["env"]["db"];

const dataTables = ["kuntouttava", "vammaispalvelut", "tiimi"] as const;

/** Every row of every data table, as JSON text (to compare before and after). */
async function snapshot(db: Db): Promise<string> {
  const all: Record<string, unknown[]> = {};
  for (const table of dataTables) all[table] = await db.all(`SELECT * FROM ${table} ORDER BY ALL`);
  return JSON.stringify(all, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
}

describe("what is stored", () => {
  const t = useEnv();

  test("a kuntouttava file is stored with canonical codes and quarters, and empty cells as NULL", async () => {
    const report = await t.ingest(
      "kt.csv",
      ktFile(
        { kunta: "91", vuosineljannes: "2024-Q1", asiakkaat: "1 234" },
        {
          kunta: "Jyväskylä",
          vuosineljannes: "Q2/2024",
          asiakkaat: "",
          aloittaneet: "0",
          paattyneet: "",
          ...NO_OUTCOMES,
        },
      ),
    );
    expect(report).toMatchObject({ status: "loaded", dataset: "kuntouttava", rows: 2, keys_replaced: [] });
    const rows = await t.env.db.all(`SELECT * EXCLUDE (load_id) FROM kuntouttava ORDER BY vuosineljannes`);
    expect(rows).toEqual([
      {
        vuosi: 2024,
        neljannes: 1,
        kunta: "091",
        vuosineljannes: "2024Q1",
        asiakkaat: 1234,
        aloittaneet: 10,
        paattyneet: 6,
        tyo: 2,
        palkkatuettu_tyo: 0,
        opiskelu: 0,
        te_palvelut: 0,
        tyoton: 0,
        jatkaa: 4,
        sote_palvelut: 0,
        muu_toimeentulo: 0,
        muutto: 0,
        ei_tietoa: 0,
      },
      {
        vuosi: 2024,
        neljannes: 2,
        kunta: "179",
        vuosineljannes: "2024Q2",
        asiakkaat: null,
        aloittaneet: 0,
        paattyneet: null,
        tyo: null,
        palkkatuettu_tyo: null,
        opiskelu: null,
        te_palvelut: null,
        tyoton: null,
        jatkaa: null,
        sote_palvelut: null,
        muu_toimeentulo: null,
        muutto: null,
        ei_tietoa: null,
      },
    ]);
    const ids = await t.env.db.all<{ load_id: bigint }>(`SELECT DISTINCT load_id FROM kuntouttava`);
    expect(ids.map((r) => Number(r.load_id))).toEqual([report.load_id]);
  });

  test("a vammaispalvelut file is stored with canonical kohderyhma and empty counts as NULL", async () => {
    const report = await t.ingest(
      "vp.csv",
      vpFile(["KU853", "2024 Q3", "Mielenterveys-päihde", "2", "8", "12", "", "5"]),
    );
    expect(report.status).toBe("loaded");
    expect(await t.env.db.all(`SELECT * EXCLUDE (load_id) FROM vammaispalvelut`)).toEqual([
      {
        vuosi: 2024,
        neljannes: 3,
        kunta: "853",
        vuosineljannes: "2024Q3",
        kohderyhma: "mielenterveys_paihde",
        palkkatyo: 2,
        avotyotoiminta: 8,
        tyotoiminta: 12,
        paivatoiminta: null,
        tyohonvalmennus: 5,
      },
    ]);
  });

  test("a tiimi file is stored with canonical categories, and a reported direction's unlisted categories as 0", async () => {
    const report = await t.ingest(
      "tiimi.csv",
      tiimiFile(
        ["Tavastehus", "2024/4", "Lähtö", "Työkokeilu", "4"],
        ["109", "2024Q4", "lahto", "ei tietoa", ""],
      ),
    );
    expect(report).toMatchObject({ status: "loaded", rows: 2 });
    const rows = await t.env.db.all<{ suunta: string; luokka: string; lukumaara: number | null }>(
      `SELECT suunta, luokka, lukumaara FROM tiimi WHERE kunta = '109' AND vuosineljannes = '2024Q4' ORDER BY luokka`,
    );
    expect(rows.every((r) => r.suunta === "lahto")).toBe(true);
    expect(rows).toHaveLength(13);
    const byLuokka = Object.fromEntries(rows.map((r) => [r.luokka, r.lukumaara]));
    expect(byLuokka.tyokokeilu).toBe(4);
    expect(byLuokka.ei_tietoa).toBeNull();
    expect(byLuokka.tyo).toBe(0);
    expect(byLuokka.muu).toBe(0);
  });

  test("Pertunmaa (588) is stored as 588 before 2025 and as Mäntyharju (507) from 2025Q1", async () => {
    const report = await t.ingest(
      "pertunmaa.csv",
      ktFile({ kunta: "588", vuosineljannes: "2024Q4" }, { kunta: "588", vuosineljannes: "2025Q1" }),
      { allowedKunnat: ["507"] },
    );
    expect(report.status).toBe("loaded");
    expect(codes(report.warnings)).toEqual(["SEU_VAL_KUNTA_MERGED"]);
    const rows = await t.env.db.all(
      `SELECT kunta, vuosineljannes FROM kuntouttava WHERE kunta IN ('588', '507') ORDER BY vuosineljannes`,
    );
    expect(rows).toEqual([
      { kunta: "588", vuosineljannes: "2024Q4" },
      { kunta: "507", vuosineljannes: "2025Q1" },
    ]);
  });

  test("the load is recorded: file, hash, dataset, sender, rows, keys replaced, warnings", async () => {
    const bytes = Buffer.from(ktFile({ kunta: "5", vuosineljannes: "2023Q1" }));
    const report = await t.ingest("alajarvi.csv", bytes, { sender: "analyytikko@alajarvi" });
    const load = await t.env.db.one(
      `SELECT file_name, sha256, dataset, status, sender, rows, keys_replaced::VARCHAR AS keys, warnings, errors
       FROM loads WHERE load_id = ?`,
      [report.load_id],
    );
    expect(load).toEqual({
      file_name: "alajarvi.csv",
      sha256: sha256(bytes),
      dataset: "kuntouttava",
      status: "loaded",
      sender: "analyytikko@alajarvi",
      rows: 1,
      keys: "[]",
      warnings: 1,
      errors: 0,
    });
    expect(report.sha256).toBe(sha256(bytes));
  });

  test("the raw bytes of a loaded file are archived under their hash", async () => {
    const bytes = Buffer.from(ktFile({ kunta: "009", vuosineljannes: "2023Q1" }).replaceAll("\n", "\r\n"));
    const report = await t.ingest("arkisto.csv", bytes);
    const archived = fs
      .readdirSync(path.join(t.env.dir, "archive"))
      .filter((f) => f.startsWith(report.sha256));
    expect(archived).toHaveLength(1);
    expect(fs.readFileSync(path.join(t.env.dir, "archive", archived[0] as string))).toEqual(bytes);
  });
});

describe("a rejected file", () => {
  const t = useEnv();

  test("changes nothing in the data tables, even when most of its rows are good", async () => {
    await t.ingest("hyva.csv", ktFile({ kunta: "091" }, { kunta: "179" }));
    const before = await snapshot(t.env.db);
    const report = await t.ingest(
      "osin-huono.csv",
      ktFile({ kunta: "091", asiakkaat: "99" }, { kunta: "049" }, { kunta: "179", tyo: "x" }),
    );
    expect(report).toMatchObject({ status: "rejected", rows: 0, keys_replaced: [] });
    expect(await snapshot(t.env.db)).toBe(before);
  });

  test("lands in quarantine with its bytes, a .report.json and a .report.txt", async () => {
    const bytes = Buffer.from(tiimiFile(["Jyvaskyla", "2024Q1", "tulo", "kela", "5"]));
    const report = await t.ingest("jyvaskyla.csv", bytes);
    expect(report.status).toBe("rejected");
    const dir = path.join(t.env.dir, "quarantine");
    const mine = fs.readdirSync(dir).filter((f) => f.includes(report.sha256.slice(0, 12)));
    const file = mine.find((f) => f.endsWith(".data")) as string;
    expect(file).toBeDefined();
    expect(mine.sort()).toEqual([file, `${file}.report.json`, `${file}.report.txt`].sort());
    expect(fs.readFileSync(path.join(dir, file))).toEqual(bytes);

    const json = reportSchema.parse(
      JSON.parse(fs.readFileSync(path.join(dir, `${file}.report.json`), "utf8")),
    );
    expect(json.files).toHaveLength(1);
    expect(json.files[0]).toMatchObject({ status: "rejected", sha256: report.sha256, dataset: "tiimi" });
    expect(json.files[0]?.errors).toEqual(report.errors);

    const text = fs.readFileSync(path.join(dir, `${file}.report.txt`), "utf8");
    expect(text).toContain("HYLÄTTY");
    expect(text).toContain("rivi 2");
    expect(text).toContain("Jyväskylä (179)");
    expect(text).toContain("SEU_VAL_KUNTA_UNKNOWN");
  });

  test("is kept in the load history as rejected", async () => {
    const report = await t.ingest("tyhja.csv", "kunta;vuosineljannes;suunta;luokka;lukumaara\n");
    const load = await t.env.db.one(`SELECT status, rows, errors FROM loads WHERE load_id = ?`, [
      report.load_id,
    ]);
    expect(load).toEqual({ status: "rejected", rows: 0, errors: 1 });
  });

  test("sent again is validated again, not taken as unchanged", async () => {
    const bytes = tiimiFile(["091", "2024Q1", "tulo", "kela", "-1"]);
    expect((await t.ingest("a.csv", bytes)).status).toBe("rejected");
    const again = await t.ingest("a.csv", bytes);
    expect(again.status).toBe("rejected");
    expect(codes(again.errors)).toEqual(["SEU_VAL_COUNT_NEGATIVE"]);
  });

  test("a dry run neither loads, records, archives nor quarantines anything", async () => {
    const before = await snapshot(t.env.db);
    const loads = await t.env.db.one<{ n: bigint }>(`SELECT count(*) AS n FROM loads`);
    const good = await t.ingest("dry.csv", ktFile({ kunta: "020" }), { dryRun: true });
    const bad = await t.ingest("dry-bad.csv", ktFile({ kunta: "020", tyo: "x" }), { dryRun: true });
    expect([good.status, bad.status]).toEqual(["valid", "rejected"]);
    expect([good.load_id, bad.load_id]).toEqual([null, null]);
    expect(await snapshot(t.env.db)).toBe(before);
    expect(await t.env.db.one(`SELECT count(*) AS n FROM loads`)).toEqual(loads);
    for (const r of [good, bad]) {
      for (const sub of ["archive", "quarantine"]) {
        const folder = path.join(t.env.dir, sub);
        const names = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
        expect(names.some((n) => n.includes(r.sha256.slice(0, 12)))).toBe(false);
      }
    }
  });
});

// A file whose structure is sound is loaded straight from its typing view; a problem row or a repeated
// key found there undoes that load, and the file is validated in full as any other.
describe("a file loaded straight from its typing view", () => {
  const t = useEnv();

  test("one that turns out to have a problem gets the same report, and load ids stay in sequence", async () => {
    const clean = await t.ingest("puhdas.csv", tiimiFile(["091", "2024Q1", "tulo", "kela", "5"]));
    expect(clean).toMatchObject({ status: "loaded", load_id: 1, warnings: [], errors: [] });

    const warned = await t.ingest("varoitus.csv", tiimiFile(["91", "2024Q2", "tulo", "kela", "5"]));
    expect(warned).toMatchObject({ status: "loaded", load_id: 2, rows: 1 });
    expect(codes(warned.warnings)).toEqual(["SEU_VAL_KUNTA_CODE_FORM"]);
    expect(
      await t.env.db.one(`SELECT kunta, lukumaara FROM tiimi WHERE load_id = 2 AND luokka = 'kela'`),
    ).toEqual({ kunta: "091", lukumaara: 5 });

    const before = await snapshot(t.env.db);
    const negative = await t.ingest("negatiivinen.csv", tiimiFile(["179", "2024Q1", "tulo", "kela", "-1"]));
    expect(negative).toMatchObject({ status: "rejected", load_id: 3 });
    expect(codes(negative.errors)).toEqual(["SEU_VAL_COUNT_NEGATIVE"]);
    const repeated = await t.ingest(
      "toisto.csv",
      tiimiFile(["179", "2024Q1", "tulo", "kela", "1"], ["179", "2024Q1", "tulo", "kela", "2"]),
    );
    expect(repeated).toMatchObject({ status: "rejected", load_id: 4 });
    expect(codes(repeated.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY"]);
    expect(await snapshot(t.env.db)).toBe(before);

    const next = await t.ingest("seuraava.csv", tiimiFile(["179", "2024Q1", "tulo", "kela", "2"]));
    expect(next).toMatchObject({ status: "loaded", load_id: 5 });
    const ids = await t.env.db.all<{ load_id: bigint; status: string }>(
      `SELECT load_id, status FROM loads ORDER BY load_id`,
    );
    expect(ids.map((r) => [Number(r.load_id), r.status])).toEqual([
      [1, "loaded"],
      [2, "loaded"],
      [3, "rejected"],
      [4, "rejected"],
      [5, "loaded"],
    ]);
  });
});

describe("revisions and idempotence", () => {
  const t = useEnv();

  test('the same bytes twice are "unchanged" and change nothing', async () => {
    const bytes = ktFile({ kunta: "091", vuosineljannes: "2023Q3" });
    const first = await t.ingest("kt.csv", bytes);
    expect(first.status).toBe("loaded");
    const before = await snapshot(t.env.db);
    const loads = await t.env.db.all(`SELECT load_id, status FROM loads ORDER BY load_id`);
    const second = await t.ingest("kt-uudelleen.csv", bytes);
    expect(second).toMatchObject({
      status: "unchanged",
      dataset: "kuntouttava",
      keys_replaced: [],
      errors: [],
    });
    expect(await snapshot(t.env.db)).toBe(before);
    expect(
      await t.env.db.all(`SELECT load_id, status FROM loads WHERE status = 'loaded' ORDER BY load_id`),
    ).toEqual(loads.filter((l) => l.status === "loaded"));
  });

  test("a new file for an existing key replaces that key wholesale and lists it in keys_replaced", async () => {
    const first = await t.ingest(
      "v1.csv",
      ktFile({ kunta: "179", vuosineljannes: "2024Q1" }, { kunta: "179", vuosineljannes: "2024Q2" }),
    );
    // the second file no longer reports outcomes for 2024Q1: the old outcomes must not survive
    const second = await t.ingest(
      "v2.csv",
      ktFile({
        kunta: "179",
        vuosineljannes: "2024Q1",
        asiakkaat: "41",
        paattyneet: "",
        ...NO_OUTCOMES,
      }),
    );
    expect(second.status).toBe("loaded");
    expect(second.keys_replaced).toEqual([{ kunta: "179", vuosineljannes: "2024Q1" }]);
    const rows = await t.env.db.all<Record<string, unknown>>(
      `SELECT vuosineljannes, load_id, asiakkaat, paattyneet, tyo FROM kuntouttava WHERE kunta = '179' ORDER BY ALL`,
    );
    expect(rows.map((r) => ({ ...r, load_id: Number(r.load_id) }))).toEqual([
      { vuosineljannes: "2024Q1", load_id: second.load_id, asiakkaat: 41, paattyneet: null, tyo: null },
      { vuosineljannes: "2024Q2", load_id: first.load_id, asiakkaat: 40, paattyneet: 6, tyo: 2 },
    ]);
    const history = await t.env.db.all(
      `SELECT load_id, status, keys_replaced::VARCHAR AS keys FROM loads WHERE load_id IN (?, ?) ORDER BY load_id`,
      [first.load_id, second.load_id],
    );
    expect(history.map((h) => ({ ...h, load_id: Number(h.load_id) }))).toEqual([
      { load_id: first.load_id, status: "loaded", keys: "[]" },
      {
        load_id: second.load_id,
        status: "loaded",
        keys: JSON.stringify([{ kunta: "179", vuosineljannes: "2024Q1" }]),
      },
    ]);
  });

  test("an earlier version sent again after a later one is unchanged: the same bytes are a no-op", async () => {
    const v1 = ktFile({ kunta: "005", vuosineljannes: "2024Q3" });
    await t.ingest("v1.csv", v1);
    await t.ingest("v2.csv", ktFile({ kunta: "005", vuosineljannes: "2024Q3", asiakkaat: "41" }));

    expect((await t.ingest("v1-uudelleen.csv", v1)).status).toBe("unchanged");
    expect(await t.env.db.all(`SELECT asiakkaat FROM kuntouttava WHERE kunta = '005'`)).toEqual([
      { asiakkaat: 41 },
    ]);
  });

  test("the same content in other bytes (CRLF instead of LF) is loaded again and replaces its keys", async () => {
    const text = ktFile({ kunta: "049", vuosineljannes: "2024Q3" });
    expect((await t.ingest("lf.csv", text)).status).toBe("loaded");
    const again = await t.ingest("crlf.csv", text.replaceAll("\n", "\r\n"));
    expect(again).toMatchObject({
      status: "loaded",
      keys_replaced: [{ kunta: "049", vuosineljannes: "2024Q3" }],
    });
    expect(await t.env.db.all(`SELECT count(*)::INT AS n FROM kuntouttava WHERE kunta = '049'`)).toEqual([
      { n: 1 },
    ]);
  });

  test("a vammaispalvelut file replaces only the target groups it reports", async () => {
    await t.ingest(
      "vp1.csv",
      vpFile(
        ["091", "2024Q1", "kehitysvammaiset", "1", "2", "3", "4", "5"],
        ["091", "2024Q1", "muut_vammaiset", "1", "2", "3", "4", "5"],
      ),
    );
    const second = await t.ingest(
      "vp2.csv",
      vpFile(["091", "2024Q1", "muut_vammaiset", "9", "9", "9", "9", "9"]),
    );
    expect(second.keys_replaced).toEqual([
      { kunta: "091", vuosineljannes: "2024Q1", kohderyhma: "muut_vammaiset" },
    ]);
    expect(
      await t.env.db.all(
        `SELECT kohderyhma, palkkatyo FROM vammaispalvelut WHERE kunta = '091' ORDER BY ALL`,
      ),
    ).toEqual([
      { kohderyhma: "kehitysvammaiset", palkkatyo: 1 },
      { kohderyhma: "muut_vammaiset", palkkatyo: 9 },
    ]);
  });

  test("a tiimi file that reports one suunta replaces only that suunta; its unlisted categories become 0", async () => {
    await t.ingest(
      "t1.csv",
      tiimiFile(
        ["853", "2024Q2", "tulo", "kela", "3"],
        ["853", "2024Q2", "tulo", "muu", "2"],
        ["853", "2024Q2", "lahto", "tyokokeilu", "5"],
        ["853", "2024Q2", "lahto", "koulutus", "1"],
      ),
    );
    const second = await t.ingest("t2.csv", tiimiFile(["853", "2024Q2", "lahto", "koulutus", "7"]));
    expect(second).toMatchObject({ status: "loaded", rows: 1 });
    expect(second.keys_replaced).toEqual([{ kunta: "853", vuosineljannes: "2024Q2", suunta: "lahto" }]);
    const rows = await t.env.db.all<{ suunta: string; luokka: string; lukumaara: number | null }>(
      `SELECT suunta, luokka, lukumaara FROM tiimi WHERE kunta = '853' AND vuosineljannes = '2024Q2'`,
    );
    const value = (suunta: string, luokka: string) =>
      rows.filter((r) => r.suunta === suunta && r.luokka === luokka).map((r) => r.lukumaara);
    expect(value("lahto", "koulutus")).toEqual([7]);
    expect(value("lahto", "tyokokeilu")).toEqual([0]);
    expect(value("tulo", "kela")).toEqual([3]);
    expect(value("tulo", "muu")).toEqual([2]);
    expect(value("tulo", "jarjesto")).toEqual([0]);
    expect(rows.filter((r) => r.suunta === "lahto")).toHaveLength(13);
    expect(rows.filter((r) => r.suunta === "tulo")).toHaveLength(13);
  });

  test("a direction with no rows at all is not reported: nothing is stored for it", async () => {
    await t.ingest("t3.csv", tiimiFile(["020", "2024Q2", "tulo", "kela", "3"]));
    const lahto = await t.env.db.all(`SELECT * FROM tiimi WHERE kunta = '020' AND suunta = 'lahto'`);
    expect(lahto).toEqual([]);
  });
});
