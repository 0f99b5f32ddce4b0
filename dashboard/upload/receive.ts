import multipart, { type MultipartFile, type MultipartValue } from "@fastify/multipart";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../../core/config.ts";
import { messageEn, messageFi, type ProblemCode } from "../../core/errors.ts";
import { HttpError } from "../errors.ts";

/** A file taken in by the upload, with the form's fields. */
export interface ReceivedUpload {
  fileName: string;
  bytes: Buffer;
  dryRun: boolean;
}

/** Why an upload was refused before its file reached the pipeline: a problem code of the catalogue. */
function refused(status: number, code: ProblemCode, params: Record<string, unknown> = {}): HttpError {
  return new HttpError(status, { fi: messageFi(code, params), en: messageEn(code, params) }, { code });
}

/**
 * Multipart parsing with hard limits: one file of at most SEURANTA_UPLOAD_MB, a few small fields.
 * The whole file is kept in memory (20 MB at most) because the pipeline hashes and sniffs it whole.
 */
export async function registerUploadParsing(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 8, parts: 9, fieldSize: 4096 },
  });
}

const MEGABYTES = new Intl.NumberFormat("fi-FI", { maximumFractionDigits: 2 });

const TRUE = new Set(["true", "1", "on", "yes", "kyllä"]);

function isFile(part: unknown): part is MultipartFile {
  return typeof part === "object" && part !== null && (part as MultipartFile).type === "file";
}

/** Takes the one file and the dry-run flag out of a parsed multipart body. */
export async function receiveUpload(request: FastifyRequest): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw refused(415, "SEU_UPLOAD_NOT_MULTIPART");
  const body = (request.body ?? {}) as Record<string, unknown>;
  const files = Object.values(body)
    .flatMap((part) => (Array.isArray(part) ? part : [part]))
    .filter(isFile);
  if (files.length > 1) throw refused(413, "SEU_UPLOAD_ONE_FILE");
  const file = body.file;
  if (!isFile(file)) throw refused(400, "SEU_UPLOAD_NO_FILE");
  const dryField = body.dry_run as MultipartValue | undefined;
  const query = request.query as Record<string, unknown>;
  const dryRun =
    TRUE.has(String(dryField?.value ?? "").toLowerCase()) ||
    TRUE.has(String(query.dry_run ?? "").toLowerCase());
  return { fileName: file.filename || "tiedosto.csv", bytes: await file.toBuffer(), dryRun };
}

/** The refusal for an error the multipart parser threw (limits), or null when it is not one of those. */
export function refusalOf(error: FastifyError, config: Config): HttpError | null {
  const limitMb = MEGABYTES.format(config.uploadMaxBytes / 1024 / 1024);
  switch (error.code) {
    case "FST_REQ_FILE_TOO_LARGE":
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return refused(413, "SEU_UPLOAD_TOO_LARGE", { limit_mb: limitMb });
    case "FST_FILES_LIMIT":
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return refused(413, "SEU_UPLOAD_ONE_FILE");
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return refused(415, "SEU_UPLOAD_NOT_MULTIPART");
    default:
      return null;
  }
}
