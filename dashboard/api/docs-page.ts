import type { Lang } from "../i18n.ts";
import { escapeHtml, layout } from "../pages/html.ts";

/**
 * The browsable API documentation (/api, /sv/api, /en/api): plain HTML rendered on the server from
 * the OpenAPI document, with every endpoint, its parameters, an example request and a real example
 * response. No JavaScript.
 */

/** The operation extension holding a route's example request (a path with its query). */
export const EXAMPLE_KEY = "x-example-request";

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  items?: Schema;
  anyOf?: Schema[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  responses?: Record<string, { description?: string }>;
  [EXAMPLE_KEY]?: string;
}

/** The parts of the OpenAPI document the page shows. */
export interface ApiDocs {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
}

const T = {
  title: { fi: "Rajapinta (API)", sv: "Gränssnitt (API)", en: "API" },
  intro: {
    fi: "Seurannan luvut saa koneluettavina JSON-muodossa osoitteista /api/v1/. Kaikki luvut on peitetty pienten lukujen osalta kuten sivuillakin: peitetyllä arvolla ei ole osoittajaa eikä nimittäjää. Virheellinen pyyntö saa vastaukseksi JSON-virheen (error, message suomeksi, message_en englanniksi).",
    sv: "Uppföljningens tal finns maskinläsbara i JSON-format under /api/v1/. Små tal är dolda som på sidorna: ett dolt värde har varken täljare eller nämnare. En felaktig begäran får ett JSON-fel (error, message på finska, message_en på engelska).",
    en: "Seuranta's figures are available as JSON under /api/v1/. Small numbers are hidden as on the pages: a hidden value carries neither its numerator nor its denominator. A bad request gets a JSON error (error, message in Finnish, message_en in English).",
  },
  document: {
    fi: "Koko kuvaus OpenAPI-muodossa:",
    sv: "Hela beskrivningen i OpenAPI-format:",
    en: "The full description in OpenAPI format:",
  },
  endpoints: { fi: "Osoitteet", sv: "Adresser", en: "Endpoints" },
  parameters: { fi: "Parametrit", sv: "Parametrar", en: "Parameters" },
  noParameters: { fi: "Ei parametreja.", sv: "Inga parametrar.", en: "No parameters." },
  name: { fi: "Nimi", sv: "Namn", en: "Name" },
  where: { fi: "Paikka", sv: "Plats", en: "In" },
  required: { fi: "Pakollinen", sv: "Obligatorisk", en: "Required" },
  values: { fi: "Arvot", sv: "Värden", en: "Values" },
  description: { fi: "Kuvaus", sv: "Beskrivning", en: "Description" },
  yes: { fi: "kyllä", sv: "ja", en: "yes" },
  no: { fi: "ei", sv: "nej", en: "no" },
  request: { fi: "Esimerkkipyyntö", sv: "Exempel på begäran", en: "Example request" },
  response: { fi: "Esimerkkivastaus", sv: "Exempel på svar", en: "Example response" },
  shortened: {
    fi: "Luettelot on lyhennetty kahteen ensimmäiseen.",
    sv: "Listorna är förkortade till de två första.",
    en: "Lists are shortened to their first two items.",
  },
  statuses: { fi: "Vastaukset", sv: "Svar", en: "Responses" },
  status: { fi: "Tila", sv: "Status", en: "Status" },
} as const;

const STYLE = `<style>
pre { background: var(--background-light); padding: 0.75rem 1rem; overflow: auto; max-height: 28rem; font-size: 0.85rem; }
section.endpoint { border-top: 1px solid var(--border); margin-top: 2rem; }
h2 code { font-size: 1.1rem; }
</style>`;

/** Text of the OpenAPI descriptions: escaped, with `code` spans. */
function prose(text: string | undefined): string {
  return escapeHtml(text ?? "").replace(/`([^`]+)`/g, "<code>$1</code>");
}

function typeText(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.enum) return schema.enum.map((v) => `<code>${escapeHtml(v)}</code>`).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
  return schema.pattern
    ? `${escapeHtml(type)} <code>${escapeHtml(schema.pattern)}</code>`
    : escapeHtml(type || "any");
}

/** Cuts every list to its first two items (recursively): `shortened` tells whether any was cut. */
function shorten(value: unknown, state: { shortened: boolean }): unknown {
  if (Array.isArray(value)) {
    if (value.length > 2) state.shortened = true;
    return value.slice(0, 2).map((v) => shorten(v, state));
  }
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v, state)]));
  return value;
}

const anchor = (method: string, path: string) =>
  `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-").replace(/-+$/, "");

/**
 * Renders the docs page from the OpenAPI document; `example` answers a route's example request
 * (through the app itself), null when it cannot.
 */
export async function docsPage(
  docs: ApiDocs,
  lang: Lang,
  origin: string,
  example: (path: string) => Promise<unknown | null>,
): Promise<string> {
  const operations = Object.entries(docs.paths)
    .filter(([path]) => path.startsWith("/api/"))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
  const sections: string[] = [];
  for (const { path, method, op } of operations) {
    const id = anchor(method, path);
    const params = op.parameters ?? [];
    const paramTable =
      params.length === 0
        ? `<p>${T.noParameters[lang]}</p>`
        : `<table><caption>${T.parameters[lang]}: ${escapeHtml(method)} ${escapeHtml(path)}</caption>
<thead><tr><th scope="col">${T.name[lang]}</th><th scope="col">${T.where[lang]}</th><th scope="col">${T.required[lang]}</th><th scope="col">${T.values[lang]}</th><th scope="col">${T.description[lang]}</th></tr></thead>
<tbody>${params
            .map(
              (p) =>
                `<tr><th scope="row"><code>${escapeHtml(p.name)}</code></th><td>${escapeHtml(p.in)}</td><td>${p.required ? T.yes[lang] : T.no[lang]}</td><td>${typeText(p.schema)}</td><td>${prose(p.description ?? p.schema?.description)}</td></tr>`,
            )
            .join("")}</tbody></table>`;
    const examplePath = op[EXAMPLE_KEY] ?? path;
    const curl =
      method === "GET"
        ? `curl '${origin}${examplePath}'`
        : `curl -X ${method} -H 'Authorization: Bearer TOKEN' '${origin}${examplePath}'`;
    let response = "";
    const answer = method === "GET" && op[EXAMPLE_KEY] ? await example(op[EXAMPLE_KEY]) : null;
    if (answer !== null) {
      const state = { shortened: false };
      const json = JSON.stringify(shorten(answer, state), null, 2);
      response = `<h3>${T.response[lang]}</h3>${state.shortened ? `<p>${T.shortened[lang]}</p>` : ""}
<pre tabindex="0"><code>${escapeHtml(json)}</code></pre>`;
    }
    const statuses = Object.entries(op.responses ?? {})
      .map(([code, r]) => `<li><code>${escapeHtml(code)}</code> ${prose(r.description)}</li>`)
      .join("");
    sections.push(`<section class="endpoint" aria-labelledby="${id}">
<h2 id="${id}"><code>${escapeHtml(method)} ${escapeHtml(path)}</code></h2>
<p><strong>${prose(op.summary)}</strong></p>
<p>${prose(op.description)}</p>
<h3>${T.parameters[lang]}</h3>
${paramTable}
<h3>${T.request[lang]}</h3>
<pre tabindex="0"><code>${escapeHtml(curl)}</code></pre>
${response}
${statuses ? `<h3>${T.statuses[lang]}</h3><ul>${statuses}</ul>` : ""}
</section>`);
  }
  const toc = operations
    .map(
      ({ path, method, op }) =>
        `<li><a href="#${anchor(method, path)}"><code>${escapeHtml(method)} ${escapeHtml(path)}</code></a> – ${prose(op.summary)}</li>`,
    )
    .join("");
  const body = `<h1>${T.title[lang]}</h1>
<p>${T.intro[lang]}</p>
<p>${T.document[lang]} <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a> (${escapeHtml(docs.info.title)} ${escapeHtml(docs.info.version)})</p>
<h2>${T.endpoints[lang]}</h2>
<ul>${toc}</ul>
${sections.join("\n")}`;
  return layout({ title: T.title[lang], lang, path: "/api", body, head: STYLE });
}
