import { z } from "zod";
import { UNITS } from "../../indicators/definition.ts";
import { KOKO_MAA, LEVEL_NAMES } from "../../indicators/levels.ts";
import { PERIOD_TYPES } from "../../indicators/periods.ts";
import { publicationSchema } from "../../indicators/release/publication.ts";
import { REASON_CODES, STATUSES } from "../../indicators/suppress/status.ts";
import { fileReportSchema } from "../../pipelines/report.ts";

/**
 * The zod schemas of the public API (/api/v1/): they validate the requests and, through
 * @fastify/swagger, are the OpenAPI document. Their .describe() texts are the documentation.
 */

// ---- request parameters -------------------------------------------------------------------------

const ID = "[a-z0-9]+(?:-[a-z0-9]+)*";
const AREA = "(?:\\d{2,3}|SSS)";
const PERIOD = "(?:\\d{4}Q[1-4]-\\d{4}Q[1-4]|\\d{4}Q[1-4]|\\d{4})";
const list = (item: string) => new RegExp(`^${item}(?:,${item})*$`);
const splitList = (s: string) => s.split(",");

/** The format of one indicator id (lower-case words joined by -). */
export const INDICATOR_ID = new RegExp(`^${ID}$`);
/** The format of one period label: `2024Q1`, `2024` or `2023Q2-2024Q1`. */
export const PERIOD_LABEL = new RegExp(`^${PERIOD}$`, "i");

const indicatorList = z
  .string()
  .regex(list(ID))
  .transform(splitList)
  .describe(
    "Indicator id, or several separated by commas (`kt-tyohon,kt-jatkaa`). The ids are listed by GET /api/v1/indicators.",
  );

const levelParam = z
  .enum(LEVEL_NAMES)
  .describe(
    "Regional level: `kunta` (municipality), `tyollisyysalue` (employment area), `hyvinvointialue` (wellbeing services county) or `koko_maa` (the whole country).",
  );

const periodTypeParam = z
  .enum(PERIOD_TYPES)
  .describe(
    "Period type: `quarter` (2024Q1), `year` (2024, the sum or the last quarter of the year's four quarters) or `rolling4q` (2023Q2-2024Q1, four quarters ending with the last one).",
  );

/** Query of GET /api/v1/values. */
/** `release=<id>`: a read pinned to a release (values, indicators, exports). */
export const releaseParam = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    "A release number (GET /api/v1/releases): the figures, and the indicator definitions (titles, texts, units, decimals, versions), exactly as that release published them. Without it: the latest release. A pinned answer never changes and may be cached for long.",
  );

export const valuesQuerySchema = z.strictObject({
  indicator: indicatorList,
  level: levelParam.optional(),
  area: z
    .string()
    .regex(new RegExp(list(AREA).source, "i"))
    .transform(splitList)
    .optional()
    .describe(
      `Area code, or several separated by commas: a municipality \`091\`, a county or employment area \`02\` (with \`level\`), the whole country \`${KOKO_MAA}\`. Codes are listed by GET /api/v1/areas.`,
    ),
  period_type: periodTypeParam.optional(),
  period: z
    .string()
    .regex(new RegExp(list(PERIOD).source, "i"))
    .transform((s) => splitList(s.toUpperCase()))
    .optional()
    .describe(
      "Exact period label, or several separated by commas: `2024Q1` (quarter), `2024` (year), `2023Q2-2024Q1` (rolling four quarters). Not together with `from`/`to`.",
    ),
  from: z
    .string()
    .regex(PERIOD_LABEL)
    .transform((s) => s.toUpperCase())
    .optional()
    .describe(
      "Start of a range: only periods that begin on or after the first quarter of this period (`2023Q1`, `2023`).",
    ),
  to: z
    .string()
    .regex(PERIOD_LABEL)
    .transform((s) => s.toUpperCase())
    .optional()
    .describe(
      "End of a range: only periods that end on or before the last quarter of this period (`2024Q4`, `2024`).",
    ),
  category: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .optional()
    .describe(
      "Breakdown cell: `total` for the total only, or a category code of the indicator's breakdown (listed by GET /api/v1/indicators). Without it: the total and every category.",
    ),
  suppression: z
    .enum(["applied", "none"])
    .optional()
    .describe(
      "`applied` (default): small numbers are hidden. `none`: the raw figures, still flagged; admin tokens only (others get 403). Not with `release`.",
    ),
  release: releaseParam,
});
export type ValuesQuery = z.output<typeof valuesQuerySchema>;

/** Query of GET /api/v1/areas. */
export const areasQuerySchema = z.strictObject({
  level: levelParam.optional(),
  county: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .describe("Only the areas that lie in this wellbeing services county (`02`)."),
});
export type AreasQuery = z.output<typeof areasQuerySchema>;

/** Path parameters of GET /api/v1/indicators/{id}. */
export const indicatorParamsSchema = z.strictObject({
  id: z.string().regex(INDICATOR_ID).describe("Indicator id (`kt-tyohon`)."),
});

/** GET /api/v1/indicators/{id} takes no query parameters. */
export const noQuerySchema = z.strictObject({});

/** GET /api/v1/ips: the reviews as the `ips` table holds them, or as a release published them. */
export const ipsQuerySchema = z.strictObject({
  release: releaseParam.describe(
    "A release number (GET /api/v1/releases): the reviews exactly as that release published them. Without it: the reviews as loaded. A pinned answer never changes and may be cached for long.",
  ),
});

/** GET /api/v1/indicators: the periods with values of the latest release or of a pinned one. */
export const indicatorsQuerySchema = z.strictObject({
  release: releaseParam,
});

// ---- responses ----------------------------------------------------------------------------------

const localised = z
  .object({ fi: z.string(), sv: z.string(), en: z.string() })
  .describe("The same text in Finnish, Swedish and English");

/**
 * The answer of POST /api/v1/uploads and GET /api/v1/loads/{id}/report: the contract's report of the
 * file and, for a loaded file, where its figures are.
 */
export const uploadAnswerSchema = z.object({
  files: z.array(fileReportSchema),
  publication: publicationSchema.optional(),
});

/** Body of every API error (dashboard/errors.ts). */
export const apiErrorSchema = z
  .object({
    error: z.string().describe("A stable code: `invalid_request`, `unknown_indicator`, `forbidden`, …"),
    message: z.string().describe("The message in Finnish"),
    message_en: z.string().describe("The message in English"),
    details: z
      .array(z.object({ parameter: z.string(), message: z.string() }))
      .optional()
      .describe("Which parameters were wrong and why"),
  })
  .describe("The request was refused: the message says why, in Finnish and English");

const metaSchema = z.object({
  definitions_version: z
    .string()
    .describe("Hash of every indicator definition's version: changes when any definition changes"),
  data_as_of: z
    .string()
    .nullable()
    .describe("When the latest file was loaded (ISO 8601, UTC); null before any load"),
  latest_load_id: z.number().int().nullable().describe("Id of the latest loaded file"),
  computed_at: z
    .string()
    .nullable()
    .describe("When the indicators were last computed (ISO 8601, UTC); null before any computation"),
  suppression: z
    .object({
      applied: z.boolean().describe("False only for an admin's `suppression=none`"),
      threshold: z.number().int().describe("Counts (and numerators and denominators) under this are hidden"),
    })
    .describe("Small-number protection"),
  attribution: z.string().describe("Sources to name wherever the figures are used"),
  release: z
    .number()
    .int()
    .nullable()
    .describe(
      "The release the figures are from (the latest unless `release` was given); null before the first",
    ),
});
export type ApiMeta = z.output<typeof metaSchema>;

const measure = z.object({
  sum: z.array(z.string()).describe("Count columns of the dataset, added together"),
  where: z
    .record(z.string(), z.array(z.string()))
    .nullable()
    .describe("Only rows whose category column holds one of the listed values"),
  over: z
    .enum(["flow", "stock", "mean"])
    .describe(
      "Longer periods: flow = sum of the quarters, stock = the last quarter, mean = mean of the quarters",
    ),
});

const periodLists = z
  .object({
    quarter: z.array(z.string()),
    year: z.array(z.string()),
    rolling4q: z.array(z.string()),
  })
  .describe("Periods with at least one reported value, oldest first, by period type");

/** One indicator of the catalogue with its metadata. */
export const indicatorSchema = z.object({
  id: z.string().describe("Stable id"),
  version: z.string().describe("Hash of the definition: changes when the definition changes"),
  title: localised,
  description: localised,
  interpretation: localised,
  limitations: localised,
  source: localised,
  dataset: z.string().describe("The input dataset (CSV contract) the indicator is computed from"),
  unit: z.enum(UNITS),
  unit_text: localised.describe("The unit as written after a value"),
  decimals: z.number().int().describe("Decimals of the published value"),
  higher_is_better: z.boolean().nullable().describe("null when neither direction is better"),
  numerator: measure.describe("What is counted"),
  denominator: z
    .union([
      measure.extend({ kind: z.literal("measure") }),
      z.object({
        kind: z.literal("population"),
        population: z.enum(["all", "15-64"]).describe("Inhabitants on 31 Dec of the period's year"),
      }),
    ])
    .nullable()
    .describe("What the numerator is divided by; null for counts"),
  period_types: z.array(z.enum(PERIOD_TYPES)).describe("Period types the indicator is published for"),
  levels: z.array(z.enum(LEVEL_NAMES)).describe("Levels the indicator is published at"),
  breakdown: z
    .object({
      by: z.enum(["category", "numerator_columns"]),
      column: z.string().nullable().describe("The dataset's category column, when by = category"),
      title: localised,
      categories: z.array(z.object({ code: z.string(), label: localised })),
    })
    .nullable()
    .describe("Cells the indicator is also published in besides its total (the `category` of a value)"),
  periods: periodLists,
  links: z.object({
    values: z.string().describe("Its values at the national level"),
    page: z.string().describe("Its page on the dashboard"),
  }),
});
export type ApiIndicator = z.output<typeof indicatorSchema>;

/** GET /api/v1/indicators */
export const indicatorsResponseSchema = z
  .object({ meta: metaSchema, indicators: z.array(indicatorSchema) })
  .describe("The catalogue");

/** GET /api/v1/indicators/{id} */
export const indicatorResponseSchema = z
  .object({ meta: metaSchema, indicator: indicatorSchema })
  .describe("The indicator");

/** One area of the municipality key. */
export const areaSchema = z.object({
  level: z.enum(LEVEL_NAMES),
  code: z.string().describe("Statistics Finland's code; the whole country is SSS"),
  name: localised.describe("Name (employment areas have no English name: the Finnish one is given)"),
  county: z
    .string()
    .nullable()
    .describe("Code of the wellbeing services county the area lies in (null if it spans several)"),
  employment_area: z
    .string()
    .nullable()
    .describe("Code of the employment area of a municipality (null at other levels)"),
  municipalities: z.array(z.string()).describe("Codes of the member municipalities"),
});

/** GET /api/v1/areas */
export const areasResponseSchema = z
  .object({
    meta: z.object({ count: z.number().int(), attribution: z.string() }),
    areas: z.array(areaSchema),
  })
  .describe("The areas");

/** One published value. */
export const valueSchema = z.object({
  indicator: z.string(),
  level: z.enum(LEVEL_NAMES),
  area: z.string(),
  area_name: localised,
  category: z.string().nullable().describe("Breakdown category; null for the total"),
  category_label: localised.nullable(),
  period_type: z.enum(PERIOD_TYPES),
  period: z.string().describe("`2024Q1`, `2024` or `2023Q2-2024Q1`"),
  first_quarter: z.string(),
  last_quarter: z.string(),
  value: z.number().nullable().describe("Rounded to the indicator's decimals; null unless shown"),
  numerator: z.number().nullable().describe("null when hidden or not reported"),
  denominator: z.number().nullable().describe("null when hidden, not reported or not applicable"),
  status: z
    .enum(STATUSES)
    .describe(
      "value; zero; suppressed (hidden, `..`); missing (not reported, `.`); not_computable (0/0, `–`)",
    ),
  suppressed: z.boolean().describe("True when small-number protection hides the value"),
  reason: z
    .enum(REASON_CODES as [string, ...string[]])
    .nullable()
    .describe("Why no number is shown"),
  reason_text: localised.nullable().describe("The reason explained"),
  symbol: z.string().nullable().describe("`..`, `.` or `–` where no number is shown"),
  population_year: z
    .number()
    .int()
    .nullable()
    .describe("The population year a per-inhabitant rate used (31 Dec; the latest earlier when missing)"),
  completeness: z
    .object({
      reported: z.number().int().describe("Member municipalities that reported"),
      members: z.number().int().describe("Member municipalities of the area"),
      missing: z.array(z.string()).describe("Codes of the municipalities that did not report"),
    })
    .describe("Reporting completeness of the value"),
});
export type ApiValue = z.output<typeof valueSchema>;

/** GET /api/v1/values */
export const valuesResponseSchema = z
  .object({
    meta: metaSchema.extend({
      count: z.number().int().describe("Number of values"),
      definition_versions: z
        .record(z.string(), z.string())
        .describe("Version of each indicator's definition the values were computed with"),
      stale: z
        .array(z.string())
        .describe("Indicators whose values exist only for an older definition (a recompute is due)"),
    }),
    values: z.array(valueSchema),
  })
  .describe("The values, by indicator in the order asked, then by area, period type and period");
export type ValuesResponse = z.output<typeof valuesResponseSchema>;

// ---- releases -----------------------------------------------------------------------------------

/** Path parameters of GET /api/v1/releases/{id}/changes. */
export const releaseParamsSchema = z.strictObject({
  id: z.coerce.number().int().positive().describe("Release number (`3`)."),
});

const releaseSchema = z.object({
  id: z.number().int().describe("Release number: 1, 2, … in the order made"),
  created_at: z.string().describe("When the release was made (ISO 8601, UTC)"),
  data_as_of: z.string().nullable().describe("When the latest file it includes was loaded (ISO 8601, UTC)"),
  definitions_version: z
    .string()
    .describe("Hash of the indicator definitions' versions it was computed with"),
  suppression_threshold: z.number().int().describe("The suppression threshold it was protected with"),
  latest_load_id: z.number().int().nullable().describe("The latest load it includes"),
  loads: z.array(z.number().int()).describe("The loads since the previous release"),
  figures: z.number().int().describe("Figures in the release"),
  changed: z
    .number()
    .int()
    .describe("Figures that differ from the previous release (all of them in the first)"),
  latest: z
    .boolean()
    .optional()
    .describe(
      "Whether this is the latest release (what answers without `release` give); not in a release's changes, which never change",
    ),
});
export type ApiRelease = z.output<typeof releaseSchema>;

/** GET /api/v1/releases */
export const releasesResponseSchema = z
  .object({ releases: z.array(releaseSchema) })
  .describe("Every release, newest first");

const shownFigure = z
  .object({
    value: z.number().nullable(),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    status: z.enum(["value", "zero", "suppressed", "missing", "not_computable"]),
    symbol: z.string().nullable().describe("`..` hidden, `.` not reported, `–` not computable"),
  })
  .describe("A figure as published (a hidden one shows only the numbers protection left shown)");

const figureChange = z.object({
  indicator: z.string(),
  category: z.string().nullable(),
  level: z.string(),
  area: z.string(),
  period_type: z.string(),
  period: z.string(),
  before: shownFigure.nullable().describe("In the previous release"),
  after: shownFigure.nullable().describe("In this release"),
});

/** GET /api/v1/releases/{id}/changes */
export const changesResponseSchema = z
  .object({
    release: releaseSchema,
    previous: z.number().int().nullable().describe("The release compared with (null for the first)"),
    data: z
      .array(
        z.object({
          dataset: z.string(),
          kunta: z.string().describe("The municipality whose data it is (who sent it)"),
          quarter: z.string(),
          kind: z.enum(["new", "revised"]).describe("new data, or data sent again replacing earlier"),
        }),
      )
      .describe("Municipality-quarters the release's loads brought"),
    moved: z.array(figureChange).describe("Figures shown in both releases whose numbers moved"),
    newly_hidden: z.array(figureChange).describe("Figures shown before and hidden now"),
    newly_shown: z.array(figureChange).describe("Figures hidden before and shown now"),
    added: z
      .record(z.string(), z.number().int())
      .describe("New figures (a new period or area), by indicator"),
    other: z.number().int().describe("Other differences (completeness, figures no longer computed)"),
  })
  .describe("What changed from the previous release");
export type ApiChanges = z.output<typeof changesResponseSchema>;
