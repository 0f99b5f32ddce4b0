import fs from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../core/config.ts";
import type { Database } from "../core/db.ts";

/** A route module: registers its routes on the app. */
export type RouteModule = (app: FastifyInstance, deps: AppDeps) => Promise<void>;

const ROUTES_DIR = path.join(import.meta.dirname, "routes");

export interface AppDeps {
  db: Database;
  config: Config;
  /** Fastify's logger settings; false in tests. */
  logger?: boolean | { level: string };
}

/** Builds the web application (tested with app.inject(), served by `seuranta serve`). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false });
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      await deps.db.one("SELECT 1");
      return { status: "ready" };
    } catch (error) {
      return reply.code(503).send({ status: "not ready", error: (error as Error).message });
    }
  });
  // every module in routes/ registers its own pages: a new page is a new file there
  for (const file of fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => f.endsWith(".ts"))
    .sort()) {
    const module = (await import(path.join(ROUTES_DIR, file))) as { default: RouteModule };
    await module.default(app, deps);
  }
  return app;
}
