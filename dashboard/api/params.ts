import type { FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import type { Localised } from "../../core/lang.ts";
import { type ApiError, HttpError } from "../errors.ts";

/**
 * Bad requests of the public API: every refusal says in Finnish and English which parameter was
 * wrong, what it held and what is expected. API routes take their schema refusals here
 * (`attachValidation`) rather than to the generic handler, whose message repeats zod's English text.
 */

type FiEn = Pick<Localised, "fi" | "en">;

/** What each parameter takes, for the messages. */
const EXPECTED: Record<string, FiEn> = {
  indicator: {
    fi: "indikaattorin tunnus tai useampi pilkuin eroteltuna (esim. kt-tyohon,kt-jatkaa)",
    en: "an indicator id or several separated by commas (e.g. kt-tyohon,kt-jatkaa)",
  },
  id: { fi: "indikaattorin tunnus (esim. kt-tyohon)", en: "an indicator id (e.g. kt-tyohon)" },
  level: {
    fi: "kunta, tyollisyysalue, hyvinvointialue tai koko_maa",
    en: "kunta, tyollisyysalue, hyvinvointialue or koko_maa",
  },
  area: {
    fi: "aluekoodi tai useampi pilkuin eroteltuna: kunta kolmella numerolla (091), hyvinvointialue tai työllisyysalue kahdella (02), koko maa SSS",
    en: "an area code or several separated by commas: a municipality in three digits (091), a county or employment area in two (02), the whole country SSS",
  },
  county: { fi: "hyvinvointialueen koodi kahdella numerolla (02)", en: "a county code in two digits (02)" },
  period_type: { fi: "quarter, year tai rolling4q", en: "quarter, year or rolling4q" },
  period: {
    fi: "jakso tai useampi pilkuin eroteltuna: 2024Q1, 2024 tai 2023Q2-2024Q1",
    en: "a period or several separated by commas: 2024Q1, 2024 or 2023Q2-2024Q1",
  },
  from: { fi: "jakso: 2024Q1, 2024 tai 2023Q2-2024Q1", en: "a period: 2024Q1, 2024 or 2023Q2-2024Q1" },
  to: { fi: "jakso: 2024Q1, 2024 tai 2023Q2-2024Q1", en: "a period: 2024Q1, 2024 or 2023Q2-2024Q1" },
  category: {
    fi: "total tai indikaattorin luokan koodi (pienet kirjaimet, numerot ja _)",
    en: "total or a category code of the indicator (lower-case letters, digits and _)",
  },
  suppression: { fi: "applied tai none", en: "applied or none" },
  release: { fi: "julkaisun numero (1, 2, …)", en: "a release number (1, 2, …)" },
};

/** The parameter names of the route's zod object schema for a context (querystring, params). */
function knownParameters(request: FastifyRequest, context: string): string {
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape).join(", ") : "";
}

const shown = (value: unknown) => (typeof value === "string" ? `"${value}"` : JSON.stringify(value));

/** The refusal of a request whose parameters the route's zod schema did not accept. */
export function invalidParameters(request: FastifyRequest, error: Error): HttpError {
  if (!hasZodFastifySchemaValidationErrors(error))
    return new HttpError(400, { fi: "Virheellinen pyyntö.", en: error.message });
  const context = (error as { validationContext?: string }).validationContext ?? "querystring";
  const input = (context === "params" ? request.params : request.query) as Record<string, unknown>;
  const fi: string[] = [];
  const en: string[] = [];
  const details: NonNullable<ApiError["details"]> = [];
  for (const issue of error.validation) {
    const name = issue.instancePath.split("/").filter(Boolean)[0];
    if (issue.keyword === "unrecognized_keys") {
      const keys = ((issue.params as { keys?: string[] }).keys ?? []).join(", ");
      const allowed = knownParameters(request, context);
      fi.push(`Tuntematon parametri ${keys}. ${allowed ? `Sallitut: ${allowed}.` : "Parametreja ei ole."}`);
      en.push(`Unknown parameter ${keys}. ${allowed ? `Known: ${allowed}.` : "There are none."}`);
      details.push({
        parameter: `${context}.${keys}`,
        message: `unknown parameter; known: ${allowed || "none"}`,
      });
      continue;
    }
    if (name === undefined) {
      fi.push("Parametrit eivät kelpaa.");
      en.push(`Invalid parameters: ${issue.message}.`);
      details.push({ parameter: context, message: issue.message ?? "invalid" });
      continue;
    }
    const value = input?.[name];
    const expected = EXPECTED[name] ?? { fi: issue.message ?? "", en: issue.message ?? "" };
    if (Array.isArray(value)) {
      fi.push(`Parametri ${name} on annettu useammin kuin kerran: anna arvot kerran pilkuin eroteltuina.`);
      en.push(`The parameter ${name} is given more than once: give the values once, separated by commas.`);
    } else if (value === undefined) {
      fi.push(`Parametri ${name} puuttuu: anna ${expected.fi}.`);
      en.push(`The parameter ${name} is missing: give ${expected.en}.`);
    } else {
      fi.push(`Parametri ${name} ei kelpaa (${shown(value)}): odotetaan ${expected.fi}.`);
      en.push(`The parameter ${name} is not valid (${shown(value)}): expected ${expected.en}.`);
    }
    details.push({ parameter: `${context}.${name}`, message: issue.message ?? "invalid" });
  }
  return new HttpError(
    400,
    { fi: `Virheellinen pyyntö. ${fi.join(" ")}`, en: `Invalid request. ${en.join(" ")}` },
    { details },
  );
}

/** A 400 that names a query parameter: `{ fi, en }` texts with the parameter in details. */
export function badParameter(parameter: string, text: FiEn, code = "invalid_request"): HttpError {
  return new HttpError(400, text, {
    code,
    details: [{ parameter: `querystring.${parameter}`, message: text.en }],
  });
}
