import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import type { z } from "zod";
import { invalidParameters } from "./api/params.ts";
import type { apiErrorSchema } from "./api/schemas.ts";
import { type Lang, langOfUrl, pagePathOfUrl, pathIn } from "./i18n.ts";
import { escapeHtml, layout } from "./pages/html.ts";

/**
 * One way a request is refused (after Fastify's lib/errors.js: an error carries its status and a stable
 * code): routes and hooks throw an {@link HttpError}; the app's error handler answers it as JSON under
 * /api/ and as a page in the URL's language elsewhere.
 */

/** The body of every API error (its zod schema in api/schemas.ts). */
export type ApiError = z.infer<typeof apiErrorSchema>;

/** An error's text: Finnish and English always, Swedish where a Swedish page can show it (Finnish else). */
export interface ErrorText {
  fi: string;
  sv?: string;
  en: string;
}

/** A refused request: its HTTP status, a stable code, its text and, for bad parameters, which ones. */
export class HttpError extends Error {
  readonly code: string;
  readonly details?: ApiError["details"];
  /** Headers the answer carries (WWW-Authenticate of a 401). */
  readonly headers: Record<string, string>;

  constructor(
    readonly statusCode: number,
    readonly text: ErrorText,
    options: { code?: string; details?: ApiError["details"]; headers?: Record<string, string> } = {},
  ) {
    super(text.en);
    this.name = "HttpError";
    this.code = options.code ?? codeOfStatus(statusCode);
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** The JSON body of the error under /api/. */
  body(): ApiError {
    return {
      error: this.code,
      message: this.text.fi,
      message_en: this.text.en,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

function codeOfStatus(status: number): string {
  if (status === 401) return "unauthorised";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  return status >= 500 ? "internal_error" : "invalid_request";
}

const INTERNAL: ErrorText = {
  fi: "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen.",
  sv: "Ett fel inträffade i tjänsten. Försök igen senare.",
  en: "Internal error",
};

/**
 * Any error as an HttpError: a request the route's schema refused is a 400 naming each wrong parameter
 * (api/params.ts), a 4xx of the framework or a plugin keeps its status and code, anything else is a 500
 * that says nothing of its cause.
 */
export function httpErrorOf(error: unknown, request: FastifyRequest): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof Error && hasZodFastifySchemaValidationErrors(error))
    return invalidParameters(request, error);
  const { statusCode, code, message } = error as Partial<FastifyError>;
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500)
    return new HttpError(
      statusCode,
      { fi: message ?? "", en: message ?? "" },
      { code: code ?? "request_error" },
    );
  return new HttpError(500, INTERNAL);
}

const PAGE = {
  title: { fi: "Sivua ei voi näyttää", sv: "Sidan kan inte visas", en: "The page cannot be shown" },
  home: { fi: "Etusivulle", sv: "Till startsidan", en: "To the home page" },
} as const;

/** The error page in the page's language: the message and a link home. */
export function errorPage(lang: Lang, path: string, error: HttpError): string {
  const body = `<h1>${PAGE.title[lang]}</h1><p class="notice">${escapeHtml(error.text[lang] ?? error.text.fi)}</p>
<p><a href="${pathIn(lang, "/")}">${PAGE.home[lang]}</a></p>`;
  return layout({ title: PAGE.title[lang], lang, path, body });
}

/** Answers an error: JSON under /api/, the error page elsewhere; a 500 is logged with its cause. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const refused = httpErrorOf(error, request);
  if (refused.statusCode >= 500) request.log.error({ err: error }, "request failed");
  reply.code(refused.statusCode).headers(refused.headers);
  if (request.url.startsWith("/api/"))
    return reply.type("application/json; charset=utf-8").send(refused.body());
  if (!reply.hasHeader("Cache-Control")) reply.header("Cache-Control", "no-cache");
  return reply
    .type("text/html; charset=utf-8")
    .send(errorPage(langOfUrl(request.url), pagePathOfUrl(request.url), refused));
}

/** The app's one error handler (routes may put a mapping of their own errors in front of sendError). */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
}
