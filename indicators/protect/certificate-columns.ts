import type { Certificate } from "./protect.ts";

/**
 * Certificates (protect.ts) as columns of typed arrays, the shape of release_certificates: how they are
 * read from the database and how they cross between the main thread and the worker thread.
 */

/** Certificates as columns, one row per (certificate, term), ordered by id (as release_certificates). */
export interface CertificateColumns {
  id: Int32Array;
  component: Int32Array;
  kid: Int32Array;
  qi: Int32Array;
  atom: Int32Array;
  sign: Int32Array;
}

/** The certificates of a column set, their ranges unset. */
export function certificatesOf(c: CertificateColumns): Certificate[] {
  const out: Certificate[] = [];
  for (let start = 0; start < c.id.length; ) {
    let end = start;
    while (end < c.id.length && c.id[end] === c.id[start]) end++;
    out.push({
      component: c.component[start] ?? 0,
      kunta: c.kid.slice(start, end),
      qi: c.qi.slice(start, end),
      atom: c.atom.slice(start, end),
      sign: Int8Array.from(c.sign.subarray(start, end)),
      range: 0,
    });
    start = end;
  }
  return out;
}

/** Certificates as columns (ids in order), with their ranges beside them: what crosses between threads. */
export function certificateColumns(list: Certificate[]): CertificateColumns & { range: Float64Array } {
  const n = list.reduce((sum, c) => sum + c.kunta.length, 0);
  const out = {
    id: new Int32Array(n),
    component: new Int32Array(n),
    kid: new Int32Array(n),
    qi: new Int32Array(n),
    atom: new Int32Array(n),
    sign: new Int32Array(n),
    range: Float64Array.from(list, (c) => c.range),
  };
  let at = 0;
  list.forEach((c, id) => {
    const end = at + c.kunta.length;
    out.id.fill(id, at, end);
    out.component.fill(c.component, at, end);
    out.kid.set(c.kunta, at);
    out.qi.set(c.qi, at);
    out.atom.set(c.atom, at);
    out.sign.set(c.sign, at);
    at = end;
  });
  return out;
}

/** Certificates back from columns with their ranges (certificateColumns' inverse). */
export function certificatesWithRanges(c: CertificateColumns & { range: Float64Array }): Certificate[] {
  return certificatesOf(c).map((certificate, i) => ({ ...certificate, range: c.range[i] ?? 0 }));
}
