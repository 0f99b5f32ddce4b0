import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../core/config.ts";
import type { Database } from "../core/db.ts";
import { statusPage } from "./pages/status.ts";

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
  app.get("/", async (_request, reply) => {
    reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache");
    return statusPage(deps.db);
  });
  return app;
}
