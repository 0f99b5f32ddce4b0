import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database } from "../../core/db.ts";

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-db-"));
  db = await Database.open(path.join(dir, "t.duckdb"));
  await db.run("CREATE TABLE t (x INTEGER)");
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the database", () => {
  it("a reader does not see a transaction in progress, only what is committed", async () => {
    const reader = await db.reader();
    let seenDuring: unknown;

    await db.withTransaction(async (tx) => {
      await tx.run("INSERT INTO t VALUES (1)");
      seenDuring = await reader.one("SELECT count(*)::INTEGER AS n FROM t");
    });

    expect(seenDuring).toEqual({ n: 0 });
    expect(await reader.one("SELECT count(*)::INTEGER AS n FROM t")).toEqual({ n: 1 });
  });

  it("a transaction that throws leaves nothing behind", async () => {
    await expect(
      db.withTransaction(async (tx) => {
        await tx.run("INSERT INTO t VALUES (1)");
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");

    expect(await db.one("SELECT count(*)::INTEGER AS n FROM t")).toEqual({ n: 0 });
  });

  it("queued transactions run one after the other, never interleaved", async () => {
    const order: string[] = [];
    const slow = db.withTransaction(async (tx) => {
      order.push("a start");
      await tx.run("INSERT INTO t VALUES (1)");
      await new Promise((r) => setTimeout(r, 20));
      order.push("a end");
    });
    const fast = db.withTransaction(async () => {
      order.push("b");
    });

    await Promise.all([slow, fast]);

    expect(order).toEqual(["a start", "a end", "b"]);
  });

  it("an afterWrite listener has seen a commit before the transaction's caller resumes", async () => {
    const seen: number[] = [];
    db.afterWrite(async (writer) => {
      seen.push((await writer.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM t"))?.n ?? -1);
    });

    await db.withTransaction((tx) => tx.run("INSERT INTO t VALUES (1)"));

    expect(seen).toEqual([1]);
  });

  it("an afterWrite listener also runs after work that failed, and stops when removed", async () => {
    let calls = 0;
    const stop = db.afterWrite(async () => {
      calls++;
    });

    await expect(
      db.exclusive(async () => {
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    stop();
    await db.withTransaction(async () => undefined);

    expect(calls).toBe(1);
  });
});
