import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { messageEn, messageFi } from "../../core/errors.ts";
import { templateFiles } from "../../pipelines/templates.ts";
import { sendApiError } from "../api/errors.ts";
import type { AppContext } from "../app.ts";
import { langOfUrl } from "../auth/userbar.ts";
import { localisedPaths } from "../i18n.ts";
import { uploadPage, uploadRefusedPage, uploadResultPage } from "../pages/upload.ts";
import { RATE_LIMITS } from "../security.ts";
import { handleUpload } from "../upload/handle.ts";
import { receiveUpload, refusalOf, registerUploadParsing, type UploadRefused } from "../upload/receive.ts";

/** A 4xx from the framework or a plugin (a rate limit, a malformed body): passed on with its status. */
function isClientError(error: FastifyError): error is FastifyError & { statusCode: number } {
  return typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500;
}

const TEMPLATES = new Map(templateFiles().map((f) => [f.name, f.content]));

/**
 * The analyst's way in: the upload page /lataa (form → Finnish report), the API POST /api/v1/uploads
 * (the JSON report of the contract) and the templates /mallipohjat/<name>. Both upload routes send the
 * file through the same pipeline as the inbox and the CLI.
 */
export default async function uploadRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  await registerUploadParsing(app, deps.config);
  const maxBytes = deps.config.uploadMaxBytes;

  const apiRefusal = (reply: FastifyReply, refusal: UploadRefused) =>
    sendApiError(reply, refusal.status, {
      error: refusal.code,
      message: refusal.fi,
      message_en: refusal.message,
    });

  app.post(
    "/api/v1/uploads",
    {
      schema: {
        summary: "Send one CSV file through the validation and loading pipeline",
        description:
          "multipart/form-data with the field `file` (one file, at most SEURANTA_UPLOAD_MB, default 20 MB) and optionally `dry_run=true` (also as a query parameter) to validate without loading. Needs `Authorization: Bearer <token>` or the session cookie with its CSRF token. Answers the report of the contract, and for a loaded file `publication`: where its figures are (`preparing` at first; then `published` in `release`, `unchanged`, or `rejected` by the audit with the previous `release` still served; follow it at /api/v1/loads/{id}/report): 200 loaded / unchanged / valid, 403 when rows belong to municipalities the analyst may not send, 422 other rejections, 413 too large or several files.",
        tags: ["uploads"],
        security: [{ bearer: [] }],
        consumes: ["multipart/form-data"],
      },
      config: { rateLimit: RATE_LIMITS.upload },
      onRequest: async (request, reply) => {
        if (!request.principal) {
          return sendApiError(reply.header("WWW-Authenticate", 'Bearer realm="seuranta"'), 401, {
            error: "SEU_UPLOAD_SIGN_IN",
            message: messageFi("SEU_UPLOAD_SIGN_IN"),
            message_en: messageEn("SEU_UPLOAD_SIGN_IN"),
          });
        }
      },
      errorHandler: (error: FastifyError, request, reply) => {
        const refusal = refusalOf(error, deps.config);
        if (refusal) return apiRefusal(reply, refusal);
        if (isClientError(error)) {
          return sendApiError(reply, error.statusCode, {
            error: error.code ?? "request_error",
            message: error.message,
            message_en: error.message,
          });
        }
        request.log.error({ err: error }, "upload failed");
        return sendApiError(reply, 500, {
          error: "internal_error",
          message: "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen.",
          message_en: "Internal error",
        });
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) return;
      const outcome = await handleUpload(deps, principal, await receiveUpload(request));
      return reply
        .code(outcome.status)
        .header("Cache-Control", "no-store")
        .send(
          outcome.publication
            ? { files: [outcome.report], publication: outcome.publication }
            : { files: [outcome.report] },
        );
    },
  );

  const pageRefusal = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .header("Cache-Control", "no-store")
      .send(uploadRefusedPage(langOfUrl(request.url), request.principal, message, maxBytes));

  for (const { lang, url } of localisedPaths("/lataa")) {
    app.get(url, { config: { cache: false } }, (request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .send(uploadPage(lang, request.principal, maxBytes)),
    );
    app.post(
      url,
      {
        config: { rateLimit: RATE_LIMITS.upload },
        onRequest: async (request, reply) => {
          if (!request.principal) return pageRefusal(request, reply, 401, messageFi("SEU_UPLOAD_SIGN_IN"));
        },
        errorHandler: (error: FastifyError, request, reply) => {
          const refusal = refusalOf(error, deps.config);
          if (refusal) return pageRefusal(request, reply, refusal.status, refusal.fi);
          if (isClientError(error)) return pageRefusal(request, reply, error.statusCode, error.message);
          request.log.error({ err: error }, "upload failed");
          return pageRefusal(request, reply, 500, "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen.");
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (!principal) return;
        const outcome = await handleUpload(deps, principal, await receiveUpload(request));
        return reply
          .code(outcome.status)
          .type("text/html; charset=utf-8")
          .header("Cache-Control", "no-store")
          .send(uploadResultPage(lang, principal, outcome, maxBytes));
      },
    );
  }

  // only the generated templates by name: a request never becomes a file path
  app.get<{ Params: { name: string } }>("/mallipohjat/:name", (request, reply) => {
    const content = TEMPLATES.get(request.params.name);
    if (!content) return reply.code(404).type("text/plain; charset=utf-8").send("Ei tällaista mallipohjaa.");
    const markdown = request.params.name.endsWith(".md");
    return reply
      .type(markdown ? "text/markdown; charset=utf-8" : "text/csv; charset=utf-8")
      .header(
        "Content-Disposition",
        `${markdown ? "inline" : "attachment"}; filename="${request.params.name}"`,
      )
      .send(Buffer.from(content));
  });
}
