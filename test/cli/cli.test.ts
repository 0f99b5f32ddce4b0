import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { Database } from "../../core/db.ts";
import { runCli } from "../support/cli.ts";
import { TEST_TODAY } from "../support/env.ts";

const GOOD = "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q1;tulo;kela;7\n";
const BROKEN =
  "kunta;vuosineljannes;suunta;luokka;lukumaara\n179;2024Q5;tulo;kela;7\nJyvaskyla;2024Q1;tulo;kela;3,5\n";

let dir: string;
let env: Record<string, string>;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-cli-"));
  env = { SEURANTA_DATA_DIR: dir, SEURANTA_TODAY: TEST_TODAY };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("seuranta validate", () => {
  it("prints the Finnish report of a broken file and exits 2", () => {
    const result = runCli(["validate", write("rikki.csv", BROKEN)], env);

    expect(result.status).toBe(2);
    expect(result.stdout).toContain("rikki.csv: HYLÄTTY");
    expect(result.stdout).toContain("rivi 2, sarake vuosineljannes");
    expect(result.stdout).toContain("Tarkoititko Jyväskylä (179)?");
    expect(result.stdout).toContain("[SEU_VAL_COUNT_DECIMAL]");
  });

  it("answers valid for a good file without creating the database", () => {
    const result = runCli(["validate", "--json", write("hyva.csv", GOOD)], env);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).files[0]).toMatchObject({ status: "valid", dataset: "tiimi", rows: 1 });
    expect(fs.existsSync(path.join(dir, "seuranta.duckdb"))).toBe(false);
  });
});

describe("seuranta ingest", () => {
  it("loads a folder of files and exits 0", () => {
    fs.mkdirSync(path.join(dir, "lähetys"));
    fs.writeFileSync(path.join(dir, "lähetys", "a.csv"), GOOD);

    const result = runCli(["ingest", "--json", path.join(dir, "lähetys")], env);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).files.map((f: { status: string }) => f.status)).toEqual(["loaded"]);
  });

  it("exits 2 when any file is rejected, and still loads the good ones", () => {
    const result = runCli(["ingest", "--json", write("a.csv", GOOD), write("b.csv", BROKEN)], env);

    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).files.map((f: { status: string }) => f.status)).toEqual([
      "loaded",
      "rejected",
    ]);
  });

  it("gives the machine-readable report with the contract's fields", () => {
    const result = runCli(["ingest", "--json", write("b.csv", BROKEN)], env);
    const file = JSON.parse(result.stdout).files[0];

    expect(Object.keys(file)).toEqual(
      expect.arrayContaining([
        "file",
        "sha256",
        "dataset",
        "status",
        "rows",
        "keys_replaced",
        "warnings",
        "errors",
      ]),
    );
    expect(Object.keys(file.errors[0]).sort()).toEqual(["code", "column", "line", "message", "row", "value"]);
  });

  it("recomputes the indicators after a load, so `show` gives the new figures at once", () => {
    const kt =
      "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa\n" +
      "179;2024Q1;120;30;40;10;0;5;5;5;5;5;5;0;0\n";
    const ingest = runCli(["ingest", write("kt.csv", kt)], env);
    expect(ingest.stderr).toContain("Indikaattorit laskettu uudelleen");

    const show = runCli(
      ["show", "kt-tyohon", "--level", "kunta", "--area", "179", "--period", "2024Q1", "--json"],
      env,
    );

    expect(show.status).toBe(0);
    expect(JSON.parse(show.stdout).values[0]).toMatchObject({ value: 25, numerator: 10, denominator: 40 });
  });

  it("exits 1 with a usage message when no file is named", () => {
    const result = runCli(["ingest"], env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Käyttö: seuranta ingest");
  });

  it("exits 1 naming a path that does not exist", () => {
    const result = runCli(["ingest", path.join(dir, "puuttuu.csv")], env);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("puuttuu.csv");
  });

  it("says plainly that the server holds the database instead of crashing", async () => {
    const db = await Database.open(loadConfig(env).dbPath);
    try {
      const result = runCli(["ingest", write("a.csv", GOOD)], env);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain("on toisen ohjelman käytössä");
      expect(result.stderr).not.toContain("    at ");
    } finally {
      await db.close();
    }
  });
});

describe("seuranta inbox", () => {
  it("waits the settle time for a file changed just now, then loads it", () => {
    fs.mkdirSync(path.join(dir, "inbox"));
    fs.writeFileSync(path.join(dir, "inbox", "tiimi.csv"), GOOD);
    // dated a minute ahead, so that it is still "changed just now" when the command, which takes
    // seconds to start, first looks
    const aheadByAMinute = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, "inbox", "tiimi.csv"), aheadByAMinute, aheadByAMinute);

    const result = runCli(["inbox", "--json"], { ...env, SEURANTA_INBOX_SETTLE_S: "1" });

    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      "Odotetaan 1 s, että juuri muuttunut tiedosto on kokonaan tallennettu: tiimi.csv",
    );
    expect(JSON.parse(result.stdout).files.map((f: { status: string }) => f.status)).toEqual(["loaded"]);
    expect(fs.readdirSync(path.join(dir, "inbox"))).toEqual([]);
  });

  it("never takes a name that programs use while writing", () => {
    fs.mkdirSync(path.join(dir, "inbox"));
    fs.writeFileSync(path.join(dir, "inbox", "tiimi.csv.part"), GOOD);

    const result = runCli(["inbox", "--json"], { ...env, SEURANTA_INBOX_SETTLE_S: "0" });

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).files).toEqual([]);
    expect(fs.readdirSync(path.join(dir, "inbox"))).toEqual(["tiimi.csv.part"]);
  });
});
