import type { FastifyInstance, FastifySchema } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { loadCatalogue } from "../../indicators/registry.ts";
import { catalogueAt, catalogueFor } from "../../indicators/release/definitions.ts";
import { areasJson } from "../api/areas.ts";
import { type ApiDocs, docsPage, EXAMPLE_KEY } from "../api/docs-page.ts";
import { availablePeriods, indicatorJson } from "../api/indicators.ts";
import { apiMeta } from "../api/meta.ts";
import { markPinned, pinnedRelease } from "../api/release.ts";
import { changesJson, releasesJson } from "../api/releases.ts";
import {
  apiErrorSchema,
  areasQuerySchema,
  areasResponseSchema,
  changesResponseSchema,
  indicatorParamsSchema,
  indicatorResponseSchema,
  indicatorsQuerySchema,
  indicatorsResponseSchema,
  noQuerySchema,
  releaseParamsSchema,
  releasesResponseSchema,
  valuesQuerySchema,
  valuesResponseSchema,
} from "../api/schemas.ts";
import { MAX_VALUES, valuesJson } from "../api/values.ts";
import type { AppContext } from "../app.ts";
import { recordUnsuppressedRead } from "../auth/principal.ts";
import { asksUnsuppressed, requireRole } from "../auth/require-role.ts";
import { HttpError } from "../errors.ts";
import { localisedPaths } from "../i18n.ts";

const errors = { 400: apiErrorSchema, 404: apiErrorSchema };

/** A route schema with the example request the docs page shows (an OpenAPI `x-` extension). */
const withExample = <S extends FastifySchema>(schema: S, example: string): S =>
  ({ ...schema, [EXAMPLE_KEY]: example }) as S;

/**
 * The public JSON API under /api/v1/ (indicators, areas, values, the OpenAPI document) and its docs
 * page /api in every language. Everything is read through the reader connection (committed data
 * only); anonymous GET answers go through the response cache with an ETag.
 */
export default async function apiRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  const reader = await deps.db.reader();
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/indicators",
    {
      schema: withExample(
        {
          summary: "The indicator catalogue",
          description:
            "Every indicator with its definition in Finnish, Swedish and English (what is counted, numerator and denominator, unit, levels, period types, breakdown, interpretation, limitations, source) and the periods that have values.",
          querystring: indicatorsQuerySchema,
          response: { 200: indicatorsResponseSchema, ...errors },
        },
        "/api/v1/indicators",
      ),
    },
    async (request, reply) => {
      const pinned = await pinnedRelease(reader, request.query.release);
      // a pinned catalogue is the definitions as they were when the release was made
      const catalogue = await catalogueFor(reader, pinned);
      const periods = await availablePeriods(reader, catalogue.entries, pinned?.pin);
      markPinned(reply, pinned !== null);
      return {
        meta: await apiMeta(reader, deps.config, catalogue, { release: pinned?.release }),
        indicators: catalogue.entries.map((e) => indicatorJson(e, periods.get(e.definition.id))),
      };
    },
  );

  api.get(
    "/api/v1/indicators/:id",
    {
      schema: withExample(
        {
          summary: "One indicator",
          description:
            "One indicator of the catalogue, as in GET /api/v1/indicators. An unknown id is a 404.",
          params: indicatorParamsSchema,
          querystring: noQuerySchema,
          response: { 200: indicatorResponseSchema, ...errors },
        },
        "/api/v1/indicators/kt-tyohon",
      ),
    },
    async (request) => {
      const catalogue = await loadCatalogue();
      const { id } = request.params;
      const entry = catalogue.byId(id);
      if (!entry) {
        const valid = catalogue.entries.map((e) => e.definition.id).join(", ");
        throw new HttpError(
          404,
          {
            fi: `Tuntematon indikaattori: ${id}. Tunnetut indikaattorit: ${valid}.`,
            en: `Unknown indicator: ${id}. Known indicators: ${valid}.`,
          },
          { code: "unknown_indicator" },
        );
      }
      const periods = await availablePeriods(reader, [entry]);
      return {
        meta: await apiMeta(reader, deps.config, catalogue),
        indicator: indicatorJson(entry, periods.get(id)),
      };
    },
  );

  api.get(
    "/api/v1/areas",
    {
      schema: withExample(
        {
          summary: "Areas",
          description:
            "Municipalities, employment areas, wellbeing services counties and the whole country (SSS) with their codes and names, from Statistics Finland's 2026 municipality key: each municipality with its county and employment area, each area with its member municipalities.",
          querystring: areasQuerySchema,
          response: { 200: areasResponseSchema, 400: apiErrorSchema },
        },
        "/api/v1/areas?level=hyvinvointialue",
      ),
    },
    async (request) => {
      return await areasJson(reader, request.query);
    },
  );

  api.get(
    "/api/v1/values",
    {
      schema: withExample(
        {
          summary: "Indicator values",
          description: `Values of one or more indicators by level, area, period type and period (or a range), each with its numerator and denominator, status, suppression flag and reason, and reporting completeness. Small numbers are hidden: a suppressed value carries neither its numerator nor its denominator. At most ${MAX_VALUES} values per request: narrow larger queries or use the exports.`,
          querystring: valuesQuerySchema,
          response: { 200: valuesResponseSchema, ...errors, 403: apiErrorSchema },
        },
        "/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue&area=02&period_type=year",
      ),
      preHandler: requireRole("admin", {
        when: asksUnsuppressed,
        forbidden: {
          text: {
            fi: "Peittämättömät luvut (suppression=none) näkyvät vain ylläpitäjän tunnisteella.",
            en: "Unsuppressed figures (suppression=none) need an admin token.",
          },
        },
      }),
    },
    async (request, reply) => {
      const unsuppressed = request.query.suppression === "none";
      if (unsuppressed) {
        // raw small numbers: never kept by a shared cache or the browser
        reply.header("Cache-Control", "private, no-store");
        await recordUnsuppressedRead(deps.db, request.principal, { values: request.url });
      }
      const body = await valuesJson(reader, deps.config, await loadCatalogue(), request.query, {
        unsuppressed,
      });
      markPinned(reply, request.query.release !== undefined);
      // tens of thousands of values: plain JSON.stringify, without a second pass through zod (a
      // custom serializer leaves the content type unset)
      return reply
        .type("application/json; charset=utf-8")
        .serializer((payload) => JSON.stringify(payload))
        .send(body);
    },
  );

  api.get(
    "/api/v1/releases",
    {
      schema: withExample(
        {
          summary: "Releases",
          description:
            "Every release (julkaisu), newest first: a numbered, immutable version of the published figures, made by each recompute that changed one. Pin any read to one with `release=<id>` (values, indicators, exports).",
          querystring: noQuerySchema,
          response: { 200: releasesResponseSchema, ...errors },
        },
        "/api/v1/releases",
      ),
    },
    async () => releasesJson(reader),
  );

  api.get(
    "/api/v1/releases/:id/changes",
    {
      schema: withExample(
        {
          summary: "What changed in a release",
          description:
            "What changed from the previous release: the municipality-quarters its loads brought (new or sent again), the figures that moved (before → after), figures newly hidden or shown, and counts of new figures. Only published figures are compared: a hidden figure never says why it is hidden.",
          params: releaseParamsSchema,
          querystring: noQuerySchema,
          response: { 200: changesResponseSchema, ...errors },
        },
        "/api/v1/releases/1/changes",
      ),
    },
    async (request, reply) => {
      const body = await changesJson(
        reader,
        request.params.id,
        await catalogueAt(reader, request.params.id, await loadCatalogue()),
      );
      // a release's changes never change
      markPinned(reply, true);
      return reply
        .type("application/json; charset=utf-8")
        .serializer((payload) => JSON.stringify(payload))
        .send(body);
    },
  );

  api.get(
    "/api/v1/openapi.json",
    {
      schema: withExample(
        {
          summary: "This API described in OpenAPI 3.0",
          description: "The OpenAPI document of every /api/v1 route, generated from the routes' schemas.",
        },
        "/api/v1/openapi.json",
      ),
    },
    async () => app.swagger(),
  );

  for (const { lang, url } of localisedPaths("/api")) {
    // the examples name the server as the request reached it, so the page is not shared between hosts
    app.get(url, { config: { cache: false } }, async (request, reply) => {
      const origin = `${request.protocol}://${request.headers.host ?? "127.0.0.1:3000"}`;
      const html = await docsPage(app.swagger() as ApiDocs, lang, origin, async (path) => {
        const response = await app.inject({ method: "GET", url: path });
        return response.statusCode === 200 ? (response.json() as unknown) : null;
      });
      return reply.header("Cache-Control", "no-cache").type("text/html; charset=utf-8").send(html);
    });
  }
}
