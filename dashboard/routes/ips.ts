import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths } from "../i18n.ts";
import { ipsPage, ipsUnitPage } from "../pages/ips.ts";
import { sendPage } from "../pages/values.ts";

/** The IPS fidelity review pages: /ips and /ips/<unit> in every language. */
export default async function ipsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/ips")) {
    // ?julkaisu=<id>: the reviews as that release published them
    app.get<{ Querystring: { julkaisu?: string } }>(url, (request, reply) =>
      sendPage(reply, () => ipsPage(reader, deps.config, lang, request.query.julkaisu)),
    );
    app.get<{ Params: { unit: string }; Querystring: { julkaisu?: string } }>(
      `${url}/:unit`,
      (request, reply) =>
        sendPage(reply, () =>
          ipsUnitPage(reader, deps.config, lang, request.params.unit, request.query.julkaisu),
        ),
    );
  }
}
