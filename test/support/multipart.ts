import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

export interface Part {
  name: string;
  value: string | Uint8Array;
  /** Set for file parts. */
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body as a browser sends it, for app.inject() and fetch(). */
export function multipartBody(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----seuranta${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ""}`;
    const type = part.filename !== undefined ? `\r\nContent-Type: ${part.contentType ?? "text/csv"}` : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(typeof part.value === "string" ? Buffer.from(part.value, "utf8") : Buffer.from(part.value));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** A multipart body holding one CSV file (and optional extra fields). */
export function csvUpload(
  fileName: string,
  csv: string | Uint8Array,
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  return multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: "file", filename: fileName, value: csv },
  ]);
}

/** POSTs a multipart body to the app (app.inject), with extra headers such as a token or a cookie. */
export function postMultipart(
  app: FastifyInstance,
  url: string,
  body: { payload: Buffer; headers: Record<string, string> },
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: "POST", url, payload: body.payload, headers: { ...body.headers, ...headers } });
}
