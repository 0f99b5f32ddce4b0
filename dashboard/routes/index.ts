import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app.ts";
import apiRoutes from "./api.ts";
import ipsApiRoutes from "./api-ips.ts";
import areaRoutes from "./area.ts";
import compareRoutes from "./compare.ts";
import embedRoutes from "./embed.ts";
import exportRoutes from "./exports.ts";
import homeRoutes from "./home.ts";
import indicatorRoutes from "./indicator.ts";
import ipsRoutes from "./ips.ts";
import loadRoutes from "./loads.ts";
import releaseRoutes from "./releases.ts";
import scriptRoutes from "./script.ts";
import signInRoutes from "./signin.ts";
import statusRoutes from "./status.ts";
import uploadRoutes from "./upload.ts";

/** A route module: registers its routes on the app. */
export type RouteModule = (app: FastifyInstance, deps: AppContext) => Promise<void>;

/**
 * Every route module of the app, registered in this order by buildApp: a new page is a module in
 * dashboard/routes/ and an entry here (as a command is in cli/main.ts and a format in exports/formats/).
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  ipsApiRoutes,
  apiRoutes,
  areaRoutes,
  compareRoutes,
  embedRoutes,
  exportRoutes,
  homeRoutes,
  indicatorRoutes,
  ipsRoutes,
  loadRoutes,
  releaseRoutes,
  scriptRoutes,
  signInRoutes,
  statusRoutes,
  uploadRoutes,
];
