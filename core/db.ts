import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { DuckDBConnection, DuckDBValue, DuckDBInstance as Instance } from "@duckdb/node-api";
import { migrate } from "./schema.ts";

// DuckDB's Node API is CommonJS spread over many files. Imported as ESM, Node first lexes every file
// for its export names; required, it loads in about half the time, which every command's start pays.
const { DuckDBInstance } = createRequire(import.meta.url)(
  "@duckdb/node-api",
) as typeof import("@duckdb/node-api");

/** Thrown when another process (usually the running server) holds the database file. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    readonly holder: string | null,
  ) {
    super(
      `The database ${dbPath} is in use by another process${holder ? ` (${holder})` : ""}. ` +
        "Stop the server (seuranta serve / npm start) or send the file through its inbox or upload page.",
    );
    this.name = "DatabaseLockedError";
  }
}

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/** What a reader needs: queries that return rows. Both Database and its reader connection are one. */
export interface Queryable {
  all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined>;
}

/**
 * A second connection for pages and the API: it sees only committed data, so a reader never sees a
 * load or a recompute half-done (the writing connection's open transaction is invisible to it).
 */
class ReaderConnection implements Queryable {
  constructor(private readonly connection: DuckDBConnection) {}

  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  close(): void {
    this.connection.closeSync();
  }
}

/** Called after each exclusive section; see Database.afterWrite. */
export type WriteListener = (db: Database) => Promise<void>;

/**
 * The one DuckDB database of the process: a single connection, with transactions serialised so that
 * a scheduler run, an upload and a recompute never interleave their writes. Every write goes through
 * exclusive() (withTransaction, loads, recomputes), which is what lets afterWrite see every change.
 */
export class Database implements Queryable {
  private queue: Promise<unknown> = Promise.resolve();
  private readerConnection: ReaderConnection | null = null;
  private readonly writeListeners = new Set<WriteListener>();

  private constructor(
    readonly path: string,
    private readonly instance: Instance,
    readonly connection: DuckDBConnection,
  ) {}

  /** The connection for readers (pages, API, exports): committed data only, never a write in progress. */
  async reader(): Promise<Queryable> {
    if (!this.readerConnection) this.readerConnection = new ReaderConnection(await this.instance.connect());
    return this.readerConnection;
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static async open(dbPath: string): Promise<Database> {
    if (dbPath !== ":memory:") fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    let instance: Instance;
    try {
      instance = await DuckDBInstance.create(dbPath);
    } catch (error) {
      const message = String((error as Error).message ?? error);
      if (/lock/i.test(message)) {
        const holder = /held in (.*?\(PID \d+\))/.exec(message)?.[1]?.trim() ?? null;
        throw new DatabaseLockedError(dbPath, holder);
      }
      throw error;
    }
    const connection = await instance.connect();
    const db = new Database(dbPath, instance, connection);
    try {
      await migrate(db);
    } catch (error) {
      // a database this code cannot bring up to date is released at once (no lock left behind)
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
    return db;
  }

  /** Runs a statement that returns nothing of interest. */
  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT as bigint). */
  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  /** Runs a query and returns its first row, or undefined. */
  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * Runs fn inside BEGIN … COMMIT, queued behind other work; any throw rolls back. fn must not call
   * withTransaction or exclusive again (that would wait for itself).
   */
  withTransaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.inTransaction(fn));
  }

  /** BEGIN … COMMIT without queueing: only for use inside exclusive(). */
  async inTransaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    await this.run("BEGIN TRANSACTION");
    try {
      const result = await fn(this);
      await this.run("COMMIT");
      return result;
    } catch (error) {
      await this.run("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  /** Runs fn alone (no other queued work meanwhile) without opening a transaction. */
  exclusive<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      try {
        return await fn(this);
      } finally {
        await this.notifyWrite();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Calls listener after every exclusive section, committed or not, still inside it: the next queued
   * work waits, and the section's caller resumes only once every listener is done. So whoever awaits
   * a load or a recompute finds its effect already seen by the listeners (the in-memory data version
   * of the response cache). Listeners must not throw and must not call exclusive(). Returns the
   * function that removes the listener.
   */
  afterWrite(listener: WriteListener): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  private async notifyWrite(): Promise<void> {
    for (const listener of this.writeListeners) await listener(this);
  }

  /** Writes the WAL into the file and releases it. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    try {
      await this.run("CHECKPOINT");
    } catch {
      // a read-only or already broken database cannot checkpoint; closing still releases the lock
    }
    this.readerConnection?.close();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
