import fs from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const inst = await DuckDBInstance.create("/tmp/exp/x.duckdb");
const c = await inst.connect();
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await c.run(
    `create or replace table s as select * from read_csv('/tmp/exp/tiimi.csv', all_varchar=true, delim=';', header=true, quote='"')`,
  );
  const t1 = performance.now();
  await c.run(
    `create or replace temp table s2 as select * from read_csv('/tmp/exp/tiimi.csv', all_varchar=true, delim=';', header=false, skip=1, quote='"', store_rejects=true, columns={'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR','d':'VARCHAR','e':'VARCHAR'})`,
  );
  const t2 = performance.now();
  const buf = fs.readFileSync("/tmp/exp/tiimi.csv");
  const txt = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  const t3 = performance.now();
  let lines = 0,
    inq = false;
  const starts = new Int32Array(2_000_000);
  let nrec = 0;
  for (let j = 0; j < txt.length; j++) {
    const ch = txt.charCodeAt(j);
    if (ch === 34) inq = !inq;
    else if (ch === 10) {
      lines++;
      if (!inq) {
        starts[nrec++] = lines;
      }
    }
  }
  const t4 = performance.now();
  console.log({ readcsv: t1 - t, readcsvRejects: t2 - t1, decode: t3 - t2, scan: t4 - t3, nrec });
}
