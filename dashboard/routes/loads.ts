import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Queryable } from "../../core/db.ts";
import { type Publication, publicationOf } from "../../indicators/release/publication.ts";
import type { FileReport } from "../../pipelines/report.ts";
import { apiErrorSchema, uploadAnswerSchema } from "../api/schemas.ts";
import type { AppContext } from "../app.ts";
import { requireRole, signedInPrincipal } from "../auth/require-role.ts";
import { HttpError } from "../errors.ts";
import { localisedPaths } from "../i18n.ts";
import { readLoadReport, readLoads } from "../loads/history.ts";
import { loadNotFoundPage, loadReportPage, loadsPage, loadsSignInPage } from "../pages/loads.ts";
import { loadSummary } from "../upload/summary.ts";

const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe("How many loads (1–1000, default 100)"),
  offset: z.coerce.number().int().min(0).default(0).describe("How many of the newest to skip"),
});
const idParams = z.object({ id: z.coerce.number().int().positive().describe("The load id (load_id)") });

const loadEntrySchema = z.object({
  load_id: z.number().int(),
  file: z.string().describe("File name as sent"),
  dataset: z.string().nullable(),
  status: z.enum(["loaded", "rejected"]),
  sender: z.string().describe("Display name of the token, or inbox / cli / demo"),
  source: z.string().describe("upload | inbox | cli | demo"),
  received_at: z.string().describe("UTC time, ISO 8601"),
  rows: z.number().int(),
  keys_replaced: z.array(z.record(z.string(), z.string())),
  warnings: z.number().int(),
  errors: z.number().int(),
});

const signedIn = requireRole("signed-in", {
  signIn: {
    text: {
      fi: "Kirjaudu sisään tai käytä tunnistetta (Authorization: Bearer).",
      en: "Sign in or send a token (Authorization: Bearer).",
    },
  },
});

/** Where a loaded file's figures are; null for a file that loaded nothing. */
function loadPublication(db: Queryable, report: FileReport): Promise<Publication | null> | null {
  return report.status === "loaded" && report.load_id !== null ? publicationOf(db, report.load_id) : null;
}

/**
 * The load history: GET /api/v1/loads and /api/v1/loads/{id}/report, and the pages /lataukset and
 * /lataukset/:id. An analyst sees the files they sent; an admin sees every load. Never cached (personal).
 */
export default async function loadRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const reader = await deps.db.reader();

  api.get(
    "/api/v1/loads",
    {
      schema: {
        summary: "The load history: own uploads for an analyst, every load for an admin",
        tags: ["uploads"],
        security: [{ bearer: [] }],
        querystring: pageQuery,
        response: {
          200: z.object({ total: z.number().int(), loads: z.array(loadEntrySchema) }),
          401: apiErrorSchema,
        },
      },
      preHandler: signedIn,
    },
    async (request, reply) => {
      reply.header("Cache-Control", "private, no-store");
      return readLoads(reader, signedInPrincipal(request), request.query);
    },
  );

  api.get(
    "/api/v1/loads/:id/report",
    {
      schema: {
        summary:
          "A load's report again (the same JSON the upload answered), with `publication`: where its figures are now",
        tags: ["uploads"],
        security: [{ bearer: [] }],
        params: idParams,
        response: {
          200: uploadAnswerSchema,
          401: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
      preHandler: signedIn,
    },
    async (request, reply) => {
      const found = await readLoadReport(reader, signedInPrincipal(request), request.params.id);
      // someone else's load answers as if it did not exist: ids reveal nothing
      if (!found)
        throw new HttpError(404, {
          fi: `Latausta ${request.params.id} ei ole tai se ei ole sinun.`,
          en: `No load ${request.params.id} visible to this token.`,
        });
      reply.header("Cache-Control", "private, no-store");
      const publication = await loadPublication(reader, found.report);
      return publication ? { files: [found.report], publication } : { files: [found.report] };
    },
  );

  for (const { lang, url } of localisedPaths("/lataukset")) {
    api.get(
      url,
      { config: { cache: false }, schema: { querystring: pageQuery, hide: true } },
      async (request, reply) => {
        reply.type("text/html; charset=utf-8").header("Cache-Control", "private, no-store");
        if (!request.principal) return reply.code(401).send(loadsSignInPage(lang, "/lataukset"));
        const history = await readLoads(reader, request.principal, request.query);
        return reply.send(loadsPage(lang, request.principal, history, request.query));
      },
    );
    api.get(
      `${url}/:id`,
      { config: { cache: false }, schema: { params: idParams, hide: true } },
      async (request, reply) => {
        reply.type("text/html; charset=utf-8").header("Cache-Control", "private, no-store");
        const path = `/lataukset/${request.params.id}`;
        if (!request.principal) return reply.code(401).send(loadsSignInPage(lang, path));
        const found = await readLoadReport(reader, request.principal, request.params.id);
        if (!found) return reply.code(404).send(loadNotFoundPage(lang, request.params.id));
        const summary = await loadSummary(reader, found.report);
        const publication = await loadPublication(reader, found.report);
        return reply.send(
          loadReportPage(lang, request.params.id, found.entry, found.report, summary, publication),
        );
      },
    );
  }
}
