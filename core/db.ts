import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { DuckDBConnection, DuckDBInstance as Instance } from "@duckdb/node-api";
import { migrate, SCHEMA_VERSION } from "./schema.ts";
import type { QueryValues } from "./sql.ts";

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

export type Row = Record<string, unknown>;

/** What a reader needs: queries that return rows. Both Database and its reader connection are one. */
export interface Queryable {
  all<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T[]>;
  one<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T | undefined>;
}

/**
 * One opened DuckDB file: its instance, the writing connection, the readers' connection (made when first
 * asked for) and how many queries are running on it. A replica moves to a new snapshot by opening it as a
 * new handle; the old one is retired and closed once its last running query is done.
 */
class Handle {
  private readerConnection: Promise<DuckDBConnection> | null = null;
  private running = 0;
  private retired = false;
  private closed = false;

  constructor(
    readonly instance: Instance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Runs a query on the writing connection, or on the readers' connection (committed data only). */
  all<T extends Row>(which: "writer" | "reader", sql: string, params?: QueryValues): Promise<T[]> {
    return this.use(async () => {
      const connection = which === "writer" ? this.connection : await this.reader();
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    });
  }

  private reader(): Promise<DuckDBConnection> {
    this.readerConnection ??= this.instance.connect();
    return this.readerConnection;
  }

  /** Runs a statement on the writing connection, its result not read. */
  run(sql: string, params?: QueryValues): Promise<void> {
    return this.use(async () => {
      await this.connection.run(sql, params);
    });
  }

  private async use<T>(fn: () => Promise<T>): Promise<T> {
    const release = this.hold();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Keeps the handle open (a retired one closes after the last holder lets go); returns the letting go. */
  hold(): () => void {
    this.running++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.running--;
      if (this.retired && this.running === 0) void this.close();
    };
  }

  /** Closes the handle now if nothing runs on it, else when its last query ends. */
  retire(): void {
    this.retired = true;
    if (this.running === 0) void this.close();
  }

  /** Closes the connections and the instance (releasing the file), once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reader = await this.readerConnection?.catch(() => null);
    reader?.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * A second connection for pages and the API: it sees only committed data, so a reader never sees a
 * load or a recompute half-done (the writing connection's open transaction is invisible to it). It
 * follows the database to a new handle (a replica's next snapshot), except inside Database.pinReads,
 * where it keeps reading the handle taken then.
 */
class ReaderConnection implements Queryable {
  constructor(private readonly handle: () => Handle) {}

  all<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T[]> {
    return this.handle().all<T>("reader", sql, params);
  }

  async one<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
}

/** The reads of one request held on one snapshot (Database.pinReads). */
export interface PinnedReads {
  /** Runs fn, and everything it starts, with the reader connection on the pinned snapshot. */
  run<T>(fn: () => T): T;
  /** Lets the snapshot go (closed then if a switch retired it); once, later calls do nothing. */
  release(): void;
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
  /** The handle the reads of the current request are pinned to (pinReads), if any. */
  private readonly pins = new AsyncLocalStorage<Handle>();

  private constructor(
    private filePath: string,
    private handle: Handle,
    /** Opened read-only (a replica's snapshot): nothing is ever written, and switchTo may move it. */
    readonly readOnly = false,
  ) {}

  /** The database file (a replica's: the snapshot it serves now). */
  get path(): string {
    return this.filePath;
  }

  /** The writing connection (appenders and raw runs of the indicator engine). */
  get connection(): DuckDBConnection {
    return this.handle.connection;
  }

  /** The connection for readers (pages, API, exports): committed data only, never a write in progress. */
  async reader(): Promise<Queryable> {
    this.readerConnection ??= new ReaderConnection(() => this.pins.getStore() ?? this.handle);
    return this.readerConnection;
  }

  /**
   * Pins the reader connection to the snapshot served now, for everything run through the returned
   * run(): a replica's request takes it at its start, so a page rendered while the replica switches
   * reads every query from one release. The snapshot stays open until release(), even if a switch
   * retires it meanwhile. Writes and the writing connection are never pinned.
   */
  pinReads(): PinnedReads {
    const handle = this.handle;
    const release = handle.hold();
    return { run: (fn) => this.pins.run(handle, fn), release };
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
    const db = new Database(dbPath, new Handle(instance, await instance.connect()));
    try {
      await migrate(db);
    } catch (error) {
      // a database this code cannot bring up to date is released at once (no lock left behind)
      await db.handle.close();
      throw error;
    }
    return db;
  }

  /**
   * Opens a snapshot file read-only (a replica): several processes may do so at once, as long as no
   * process opens it for writing. Its schema must be this code's (a replica runs the writer's version).
   */
  static async openReadOnly(dbPath: string): Promise<Database> {
    const db = new Database(dbPath, await Database.readOnlyHandle(dbPath), true);
    try {
      await db.checkSnapshotSchema(db.handle, dbPath);
    } catch (error) {
      await db.handle.close();
      throw error;
    }
    return db;
  }

  /**
   * Moves a read-only database to another snapshot file at once: queries started before go on to the
   * end on the old file (closed after the last of them), every later one reads the new file. Queued as
   * a write, so the afterWrite listeners (the response cache's data version) see the new file before
   * the caller resumes. A snapshot that cannot be opened leaves the database where it was (throws).
   */
  switchTo(dbPath: string): Promise<void> {
    if (!this.readOnly) return Promise.reject(new Error("Only a read-only database follows snapshots"));
    return this.exclusive(async () => {
      const next = await Database.readOnlyHandle(dbPath);
      try {
        await this.checkSnapshotSchema(next, dbPath);
      } catch (error) {
        await next.close();
        throw error;
      }
      const old = this.handle;
      this.handle = next;
      this.filePath = dbPath;
      old.retire();
    });
  }

  private static async readOnlyHandle(dbPath: string): Promise<Handle> {
    const instance = await DuckDBInstance.create(dbPath, { access_mode: "READ_ONLY" });
    return new Handle(instance, await instance.connect());
  }

  private async checkSnapshotSchema(handle: Handle, dbPath: string): Promise<void> {
    // a snapshot is written by COPY FROM DATABASE (indicators/release/snapshot.ts): meta is in it
    const rows = await handle.all<{ value: string }>(
      "writer",
      `SELECT value FROM meta WHERE key = 'schema_version'`,
    );
    const found = Number(rows[0]?.value ?? 0);
    if (found !== SCHEMA_VERSION) {
      throw new Error(
        `The snapshot ${dbPath} has schema version ${found}, this program ${SCHEMA_VERSION}: ` +
          "run the same version of Seuranta on the writer and the replicas.",
      );
    }
  }

  /** Runs a statement that returns nothing of interest. */
  async run(sql: string, params?: QueryValues): Promise<void> {
    await this.handle.run(sql, params);
  }

  /** Runs a query and returns its rows as plain JS objects (BIGINT as bigint). */
  all<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T[]> {
    return this.handle.all<T>("writer", sql, params);
  }

  /** Runs a query and returns its first row, or undefined. */
  async one<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T | undefined> {
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
    if (!this.readOnly)
      try {
        await this.run("CHECKPOINT");
      } catch {
        // an already broken database cannot checkpoint; closing still releases the lock
      }
    await this.handle.close();
  }
}
