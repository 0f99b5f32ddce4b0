import type { Migration } from "./migration.ts";

/**
 * The schema as the code left it at version 2 (before numbered migrations), frozen here as SQL: a new
 * database gets it whole, an older one the tables it lacks (a database of version 0, made before
 * uploads, keeps its loads table without sender_id until migration 2).
 */
export const baseline: Migration = {
  version: 1,
  name: "baseline: loads, inbox runs, sessions, audit log and the three datasets",
  statements: [
    `CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1`,
    `CREATE TABLE IF NOT EXISTS loads (
      load_id BIGINT PRIMARY KEY DEFAULT nextval('load_id_seq'),
      file_name VARCHAR NOT NULL,
      sha256 VARCHAR NOT NULL,
      dataset VARCHAR,
      status VARCHAR NOT NULL,
      sender VARCHAR NOT NULL,
      sender_id VARCHAR,
      source VARCHAR NOT NULL,
      received_at TIMESTAMPTZ NOT NULL,
      rows INTEGER NOT NULL,
      keys_replaced JSON NOT NULL,
      warnings INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      report JSON NOT NULL
    )`,
    `CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1`,
    `CREATE TABLE IF NOT EXISTS runs (
      run_id BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),
      trigger VARCHAR NOT NULL,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ,
      status VARCHAR NOT NULL,
      files INTEGER NOT NULL DEFAULT 0,
      loaded INTEGER NOT NULL DEFAULT 0,
      unchanged INTEGER NOT NULL DEFAULT 0,
      rejected INTEGER NOT NULL DEFAULT 0,
      message VARCHAR
    )`,
    `CREATE TABLE IF NOT EXISTS sessions (
      id_hash VARCHAR PRIMARY KEY,
      token_id VARCHAR NOT NULL,
      csrf VARCHAR NOT NULL,
      created_at TIMESTAMPTZ NOT NULL,
      expires_at TIMESTAMPTZ NOT NULL
    )`,
    `CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1`,
    `CREATE TABLE IF NOT EXISTS audit_log (
      audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
      occurred_at TIMESTAMPTZ NOT NULL,
      action VARCHAR NOT NULL,
      actor VARCHAR NOT NULL,
      actor_name VARCHAR,
      load_id BIGINT,
      detail JSON NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS kuntouttava (
      load_id BIGINT NOT NULL, vuosi INTEGER NOT NULL, neljannes INTEGER NOT NULL,
      kunta VARCHAR NOT NULL, vuosineljannes VARCHAR NOT NULL,
      asiakkaat INTEGER, aloittaneet INTEGER, paattyneet INTEGER, tyo INTEGER, palkkatuettu_tyo INTEGER,
      opiskelu INTEGER, te_palvelut INTEGER, tyoton INTEGER, jatkaa INTEGER, sote_palvelut INTEGER,
      muu_toimeentulo INTEGER, muutto INTEGER, ei_tietoa INTEGER
    )`,
    `CREATE TABLE IF NOT EXISTS vammaispalvelut (
      load_id BIGINT NOT NULL, vuosi INTEGER NOT NULL, neljannes INTEGER NOT NULL,
      kunta VARCHAR NOT NULL, vuosineljannes VARCHAR NOT NULL, kohderyhma VARCHAR NOT NULL,
      palkkatyo INTEGER, avotyotoiminta INTEGER, tyotoiminta INTEGER, paivatoiminta INTEGER, tyohonvalmennus INTEGER
    )`,
    `CREATE TABLE IF NOT EXISTS tiimi (
      load_id BIGINT NOT NULL, vuosi INTEGER NOT NULL, neljannes INTEGER NOT NULL,
      kunta VARCHAR NOT NULL, vuosineljannes VARCHAR NOT NULL, suunta VARCHAR NOT NULL, luokka VARCHAR NOT NULL,
      lukumaara INTEGER
    )`,
  ],
};
