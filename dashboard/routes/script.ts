import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { SCRIPT_PATH } from "../pages/html.ts";

/** The script's bytes, read once: a file of the build (bin/build.js copies it beside the compiled code). */
const SCRIPT = fs.readFileSync(path.join(import.meta.dirname, "..", "static", "seuranta.js"));

/**
 * /seuranta.js, the pages' one optional script (auto-submit of the choice forms, tooltips on chart
 * marks): a static file from our own origin, through the response cache like a page (ETag, 304).
 */
export default async function scriptRoutes(app: FastifyInstance): Promise<void> {
  app.get(SCRIPT_PATH, (_request, reply) => reply.type("text/javascript; charset=utf-8").send(SCRIPT));
}
