import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { todayOf } from "../../core/config.ts";
import { lastEndedQuarter } from "../../core/quarter.ts";
import { writeExport } from "../../exports/export.ts";
import { FORMAT_NAMES } from "../../exports/formats/index.ts";
import { parseSelection } from "../../exports/report.ts";
import { badParameter } from "../api/params.ts";
import { markPinned, pinnedRelease, refuseUnsuppressedPin } from "../api/release.ts";
import { releaseParam } from "../api/schemas.ts";
import type { AppContext } from "../app.ts";
import { isAdmin, recordUnsuppressedRead } from "../auth/principal.ts";
import { asksUnsuppressed, requireRole } from "../auth/require-role.ts";
import { localisedPaths } from "../i18n.ts";
import { exportsPage } from "../pages/exports.ts";

/** The query of GET /api/v1/exports (DESIGN.md, "Contract details": HTTP names). */
export const exportQuerySchema = z.strictObject({
  format: z.enum(FORMAT_NAMES).describe("File format"),
  level: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "level names separated by commas, e.g. hyvinvointialue,kunta")
    .optional()
    .describe("Levels besides the whole country (default hyvinvointialue); several separated by commas"),
  year: z
    .string()
    .regex(/^\d{4}$/, "a year such as 2024")
    .optional()
    .describe("A calendar year (or give from and to)"),
  from: z
    .string()
    .regex(/^\d{4}Q[1-4]$/i, "a quarter such as 2024Q1")
    .optional()
    .describe("First quarter of a quarter range"),
  to: z
    .string()
    .regex(/^\d{4}Q[1-4]$/i, "a quarter such as 2024Q4")
    .optional()
    .describe("Last quarter of a quarter range"),
  lang: z.enum(["fi", "sv", "en"]).optional().describe("Language of names and notes (default fi)"),
  suppression: z
    .enum(["applied", "none"])
    .optional()
    .describe("none = raw small numbers, admins only; the file then says it is not for publication"),
  release: releaseParam,
});

/**
 * The reporting export GET /api/v1/exports and the reports page /raportit (with /sv, /en) whose GET
 * forms lead to it. Everything is read through the reader connection (committed data only).
 */
export default async function exportRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/exports",
    {
      schema: {
        summary: "A reporting export: every indicator for counties (and municipalities) and the country",
        description:
          "All indicators for the chosen levels and the whole country, for a year or a quarter range, as " +
          "csv-excel, csv, xlsx, jsonstat (JSON-stat 2.0), arrow (IPC file) or parquet. Small numbers are " +
          "suppressed; suppression=none needs an admin token. The file carries its metadata (data as of, " +
          "definitions' version, suppression threshold, municipalities that did not report).",
        tags: ["exports"],
        querystring: exportQuerySchema,
      },
      preHandler: requireRole("admin", {
        when: asksUnsuppressed,
        signIn: {
          text: {
            fi: "Peittämätön vienti vaatii ylläpitäjän tunnisteen.",
            en: "An unsuppressed export needs an admin token.",
          },
        },
        forbidden: {
          text: {
            fi: "Vain ylläpitäjä voi ottaa peittämättömän viennin.",
            en: "Only an admin may take an unsuppressed export.",
          },
        },
      }),
    },
    async (request, reply) => {
      const query = request.query;
      const unsuppressed = query.suppression === "none";
      const parsed = parseSelection(query, lastEndedQuarter(todayOf(deps.config)));
      if (!parsed.ok)
        throw badParameter(parsed.error.parameter, { fi: parsed.error.message, en: parsed.error.message_en });
      const reader = await deps.db.reader();
      refuseUnsuppressedPin(unsuppressed, query.release !== undefined);
      const release = await pinnedRelease(reader, query.release);
      const file = await writeExport(reader, {
        selection: parsed.selection,
        format: query.format,
        lang: query.lang ?? "fi",
        threshold: deps.config.suppressionThreshold,
        unsuppressed,
        release: release ?? undefined,
      });
      markPinned(reply, release !== null);
      if (unsuppressed) {
        reply.header("Cache-Control", "private, no-store");
        request.log.warn(
          { event: "export.unsuppressed", token: request.principal?.tokenId, file: file.name },
          "unsuppressed export",
        );
        await recordUnsuppressedRead(deps.db, request.principal, { export: file.name, format: query.format });
      }
      return reply
        .type(file.contentType)
        .header("Content-Disposition", `attachment; filename="${file.name}"`)
        .send(file.body);
    },
  );

  for (const { lang, url } of localisedPaths("/raportit")) {
    app.get(url, async (request, reply) => {
      reply.type("text/html; charset=utf-8");
      const admin = isAdmin(request.principal);
      if (admin) reply.header("Cache-Control", "private, no-store");
      return exportsPage(await deps.db.reader(), deps.config, lang, { admin });
    });
  }
}
