import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";

/**
 * Route schemas are zod schemas (fastify-type-provider-zod): they validate requests and describe the
 * API in the OpenAPI document served at /api/v1/openapi.json. Only /api/ routes are documented; pages
 * are not part of the API.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Seuranta API",
        description:
          "Osatyökykyisten palvelujen seurantaindikaattorit. Follow-up indicators of services for people with partial work ability (Finnish wellbeing services counties). Every figure is suppressed as the privacy rules require unless an admin asks otherwise.",
        version,
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "A token made with `seuranta token create`",
          },
        },
      },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      if (!input.url.startsWith("/api/"))
        return { ...transformed, schema: { ...transformed.schema, hide: true } };
      return transformed;
    },
  });
}
