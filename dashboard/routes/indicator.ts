import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { localisedPaths, pathIn } from "../i18n.ts";
import { indicatorCsv } from "../pages/csv.ts";
import { indicatorPage, pageQuery } from "../pages/indicator.ts";
import { chartDownload, INDICATOR_CHARTS as charts } from "../pages/indicator-charts.ts";
import { indicatorData, type Query } from "../pages/indicator-data.ts";
import { sendPage } from "../pages/values.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The XLSX download, its module (and exceljs with it) imported on the first request, not at start-up. */
const indicatorXlsx: typeof import("../pages/xlsx.ts").indicatorXlsx = async (...args) =>
  (await import("../pages/xlsx.ts")).indicatorXlsx(...args);

/**
 * The indicator page /indikaattori/:id, its data downloads /indikaattori/:id.csv and .xlsx, and its
 * charts /indikaattori/:id/kaavio/:chart.svg and .png, in every language.
 */
export default async function indicatorRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // pages read committed data only: never a load or recompute in progress
  const reader = await deps.db.reader();
  for (const { lang, url } of localisedPaths("/indikaattori/:id")) {
    app.get<{ Params: { id: string }; Querystring: Query }>(url, (request, reply) => {
      const { id } = request.params;
      const data = /^(.*)\.(csv|xlsx)$/.exec(id);
      if (data) {
        const [, indicator = "", format] = data;
        return sendPage(reply, async () => {
          const file =
            format === "csv"
              ? await indicatorCsv(reader, deps.config, lang, indicator, request.query)
              : await indicatorXlsx(reader, deps.config, lang, indicator, request.query);
          reply
            .type(format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE)
            .header("Content-Disposition", `attachment; filename="${file.name}"`);
          return file.body;
        });
      }
      // the page's form: answered with a 303 to the page's own address (one address per view)
      if (request.query.lomake !== undefined) {
        return indicatorData(reader, deps.config, id, request.query).then((d) =>
          reply.redirect(`${pathIn(lang, `/indikaattori/${d.definition.id}`)}?${pageQuery(d)}`, 303),
        );
      }
      return sendPage(reply, () => indicatorPage(reader, deps.config, lang, id, request.query, charts));
    });
    app.get<{ Params: { id: string; file: string }; Querystring: Query }>(
      `${url}/kaavio/:file`,
      (request, reply) => {
        const { id, file } = request.params;
        return sendPage(reply, async () => {
          const chart = await chartDownload(reader, deps.config, lang, id, file, request.query, charts);
          reply.type(chart.type).header("Content-Disposition", `attachment; filename="${chart.name}"`);
          return chart.body;
        });
      },
    );
  }
}
