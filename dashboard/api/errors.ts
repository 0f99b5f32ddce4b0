import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/** The body of every API error: a stable code, the Finnish message for people and the English one for logs. */
export interface ApiError {
  error: string;
  message: string;
  message_en: string;
  /** Which parameters were wrong and why (validation errors). */
  details?: { parameter: string; message: string }[];
}

/** Sends an API error with its status. */
export function sendApiError(reply: FastifyReply, status: number, body: ApiError): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

/**
 * Errors of /api/ routes answer JSON ({@link ApiError}); a request the schema refuses is a 400 that
 * names each wrong parameter, never a 500. Pages keep Fastify's own error handling.
 */
export function registerApiErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!request.url.startsWith("/api/")) throw error;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        parameter: [error.validationContext, ...issue.instancePath.split("/").filter(Boolean)].join("."),
        message: issue.message ?? "invalid",
      }));
      return sendApiError(reply, 400, {
        error: "invalid_request",
        message: `Virheellinen pyyntö: ${details.map((d) => `${d.parameter}: ${d.message}`).join("; ")}`,
        message_en: `Invalid request: ${details.map((d) => `${d.parameter}: ${d.message}`).join("; ")}`,
        details,
      });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, "API request failed");
    return sendApiError(reply, status, {
      error: status >= 500 ? "internal_error" : (error.code ?? "request_error"),
      message: status >= 500 ? "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen." : error.message,
      message_en: status >= 500 ? "Internal error" : error.message,
    });
  });
}
