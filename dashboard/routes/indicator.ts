import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths } from "../i18n.ts";
import { indicatorCsv } from "../pages/csv.ts";
import { indicatorPage } from "../pages/indicator.ts";
import { INDICATOR_CHARTS as charts } from "../pages/indicator-charts.ts";
import type { Query } from "../pages/indicator-data.ts";
import { sendPage } from "../pages/values.ts";

/** The indicator page /indikaattori/:id and its CSV download /indikaattori/:id.csv, in every language. */
export default async function indicatorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/indikaattori/:id")) {
    app.get<{ Params: { id: string }; Querystring: Query }>(url, (request, reply) => {
      const { id } = request.params;
      if (id.endsWith(".csv")) {
        return sendPage(reply, lang, "/", async () => {
          const csv = await indicatorCsv(reader, deps.config, lang, id.slice(0, -4), request.query);
          reply
            .type("text/csv; charset=utf-8")
            .header("Content-Disposition", `attachment; filename="${csv.name}"`);
          return csv.body;
        });
      }
      return sendPage(reply, lang, `/indikaattori/${id}`, () =>
        indicatorPage(reader, deps.config, lang, id, request.query, charts),
      );
    });
  }
}
