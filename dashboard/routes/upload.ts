import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { messageEn, messageFi } from "../../core/errors.ts";
import { templateFiles } from "../../pipelines/templates.ts";
import { apiErrorSchema, uploadAnswerSchema } from "../api/schemas.ts";
import type { AppContext } from "../app.ts";
import { requireRole, signedInPrincipal } from "../auth/require-role.ts";
import { type HttpError, httpErrorOf, sendError } from "../errors.ts";
import { langOfUrl, localisedPaths } from "../i18n.ts";
import { uploadPage, uploadRefusedPage, uploadResultPage } from "../pages/upload.ts";
import { RATE_LIMITS } from "../security.ts";
import { handleUpload } from "../upload/handle.ts";
import { receiveUpload, refusalOf, registerUploadParsing } from "../upload/receive.ts";

/** Both upload routes refuse a request without a token or session before its body is read. */
const signedIn = requireRole("signed-in", {
  signIn: {
    code: "SEU_UPLOAD_SIGN_IN",
    text: { fi: messageFi("SEU_UPLOAD_SIGN_IN"), en: messageEn("SEU_UPLOAD_SIGN_IN") },
  },
});

const TEMPLATES = new Map(templateFiles().map((f) => [f.name, f.content]));

/**
 * The analyst's way in: the upload page /lataa (form → Finnish report), the API POST /api/v1/uploads
 * (the JSON report of the contract) and the templates /mallipohjat/<name>. Both upload routes send the
 * file through the same pipeline as the inbox and the CLI.
 */
export default async function uploadRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  await registerUploadParsing(app, deps.config);
  const maxBytes = deps.config.uploadMaxBytes;
  // both routes send the file through the same pipeline as the inbox and the CLI
  const upload = async (request: FastifyRequest) =>
    handleUpload(deps, signedInPrincipal(request), await receiveUpload(request));

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
        response: {
          200: uploadAnswerSchema,
          // the report (rows of municipalities the analyst may not send), or a refusal: the CSRF check's
          // (auth/hook.ts) or a read replica's, which names the writer to send to (replica.ts)
          403: z.union([
            uploadAnswerSchema,
            apiErrorSchema.extend({ writer: z.string().optional().describe("A read replica's writer") }),
          ]),
          422: uploadAnswerSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          413: apiErrorSchema,
          415: apiErrorSchema,
        },
      },
      config: { rateLimit: RATE_LIMITS.upload },
      onRequest: signedIn,
      // the multipart parser's limits are refusals of the upload's own (SEU_UPLOAD_…)
      errorHandler: (error: FastifyError, request, reply) =>
        sendError(request, reply, refusalOf(error, deps.config) ?? error),
    },
    async (request, reply) => {
      const outcome = await upload(request);
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

  // a refused upload page shows the form again under the message (Finnish: the analyst's language)
  const pageRefusal = (request: FastifyRequest, reply: FastifyReply, error: HttpError) =>
    reply
      .code(error.statusCode)
      .type("text/html; charset=utf-8")
      .header("Cache-Control", "no-store")
      .send(uploadRefusedPage(langOfUrl(request.url), request.principal, error.text.fi, maxBytes));

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
        onRequest: signedIn,
        errorHandler: (error: FastifyError, request, reply) => {
          const refusal = httpErrorOf(refusalOf(error, deps.config) ?? error, request);
          if (refusal.statusCode >= 500) request.log.error({ err: error }, "upload failed");
          return pageRefusal(request, reply, refusal);
        },
      },
      async (request, reply) => {
        const outcome = await upload(request);
        return reply
          .code(outcome.status)
          .type("text/html; charset=utf-8")
          .header("Cache-Control", "no-store")
          .send(uploadResultPage(lang, signedInPrincipal(request), outcome, maxBytes));
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
