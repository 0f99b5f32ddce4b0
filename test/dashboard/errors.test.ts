import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpError, registerErrorHandler } from "../../dashboard/errors.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const refused = () => {
    throw new HttpError(
      404,
      { fi: "Ei löydy.", sv: "Hittas inte.", en: "Not found." },
      { code: "unknown_x" },
    );
  };
  const broken = () => {
    throw new Error("secret detail of the cause");
  };
  const query = { schema: { querystring: z.strictObject({ n: z.coerce.number().int().optional() }) } };
  for (const prefix of ["/api/v1", "", "/sv"]) {
    app.get(`${prefix}/refused`, refused);
    app.get(`${prefix}/broken`, broken);
    app.withTypeProvider<ZodTypeProvider>().get(`${prefix}/checked`, query, async () => "ok");
  }
  await app.ready();
});
afterAll(() => app.close());

describe("the one error path", () => {
  it("a refusal under /api/ is JSON with its status, code and Finnish and English text", async () => {
    const response = await app.inject("/api/v1/refused");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: "unknown_x", message: "Ei löydy.", message_en: "Not found." });
  });

  it("the same refusal of a page is the error page in the URL's language", async () => {
    const response = await app.inject("/sv/refused");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.body).toContain('<html lang="sv">');
    expect(response.body).toContain("Hittas inte.");
  });

  it("an unexpected error is a 500 that does not tell its cause, as JSON or as a page", async () => {
    const api = await app.inject("/api/v1/broken");
    const page = await app.inject("/broken");
    expect(api.statusCode).toBe(500);
    expect(api.json()).toMatchObject({ error: "internal_error", message_en: "Internal error" });
    expect(page.statusCode).toBe(500);
    expect(page.body).toContain("Palvelussa tapahtui virhe");
    expect(api.body + page.body).not.toContain("secret detail");
  });

  it("a request the schema refuses is a 400 naming the parameter, as JSON or as a page", async () => {
    const api = await app.inject("/api/v1/checked?n=x");
    const page = await app.inject("/checked?n=x");
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error: "invalid_request", details: [{ parameter: "querystring.n" }] });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain("Parametri n ei kelpaa");
  });
});
