import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { EXAMPLE_KEY } from "../api/docs-page.ts";
import { ipsJson, ipsResponseSchema } from "../api/ips.ts";
import { markPinned, pinnedRelease } from "../api/release.ts";
import { apiErrorSchema, ipsQuerySchema } from "../api/schemas.ts";
import type { AppContext } from "../app.ts";

/** GET /api/v1/ips: the IPS fidelity reviews of every unit (scores as they are, small client counts hidden). */
export default async function ipsApiRoutes(app: FastifyInstance, deps: AppContext): Promise<void> {
  const reader = await deps.db.reader();
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/ips",
    {
      schema: {
        summary: "IPS fidelity reviews",
        description:
          "Every supported-employment unit with its reviews against the IPS fidelity scale (25 items scored 1–5): total, band (115–125 exemplary, 100–114 good, 74–99 fair, 73 or less not supported employment), trend, items lowest first and clients per specialist. A unit is not a person, so scores are not hidden; a small number of clients is.",
        querystring: ipsQuerySchema,
        response: { 200: ipsResponseSchema, 400: apiErrorSchema, 404: apiErrorSchema },
        [EXAMPLE_KEY]: "/api/v1/ips",
      },
    },
    async (request, reply) => {
      const pinned = await pinnedRelease(reader, request.query.release);
      const answer = await ipsJson(reader, deps.config, pinned?.pin.id ?? null);
      markPinned(reply, pinned !== null);
      return answer;
    },
  );
}
