import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { Params, sqlList, sqlString } from "../../core/sql.ts";

async function one(sql: string, values?: Params["values"]): Promise<unknown[]> {
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  try {
    return (await connection.runAndReadAll(sql, values)).getRowsJS()[0] ?? [];
  } finally {
    connection.closeSync();
  }
}

describe("SQL text helpers", () => {
  it("a literal and a list keep a value with a quote in it whole", async () => {
    const row = await one(
      `SELECT ${sqlString("it's")}, 'Mäntyharju''s' IN (${sqlList(["x", "Mäntyharju's"])})`,
    );
    expect(row).toEqual(["it's", true]);
  });

  it("parameters of one statement get placeholders of their own", async () => {
    const params = new Params();
    const row = await one(`SELECT ${params.bind("a'b")} || ${params.bind("c")}`, params.values);
    expect(row).toEqual(["a'bc"]);
  });
});
