import { z } from "zod";
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import {
  caseloadOk,
  IPS_BANDS,
  itemProfile,
  latestReview,
  readIpsUnits,
  trendText,
} from "../../indicators/ips/reviews.ts";
import { IPS_CASELOAD_MAX, IPS_ITEMS } from "../../pipelines/datasets/ips.ts";

const localised = z.object({ fi: z.string(), sv: z.string(), en: z.string() });

const reviewSchema = z.object({
  date: z.string().describe("Review date, YYYY-MM-DD"),
  kind: z
    .enum(["ulkoinen", "itsearviointi"])
    .describe("ulkoinen = external reviewer, itsearviointi = self-review"),
  total: z.number().int().describe("Sum of the 25 item scores, 25–125"),
  band: z.enum(IPS_BANDS.map((b) => b.id) as [string, ...string[]]),
  items: z.array(z.number().int()).describe("The 25 item scores (1–5) in the order of `items`"),
  specialists: z.number().int().nullable(),
  clients: z.number().int().nullable().describe("Clients at the review; null when not reported or hidden"),
  clients_hidden: z.boolean().describe("true when the number of clients is small and hidden (`..`)"),
  caseload_per_specialist: z.number().nullable(),
  caseload_within_limit: z.boolean().nullable().describe(`Clients per specialist ≤ ${IPS_CASELOAD_MAX}`),
});

const unitSchema = z.object({
  unit: z.string(),
  name: z.string(),
  kunta: z.string(),
  hyvinvointialue: z.string(),
  trend: localised.describe('First → latest band and the change in points, e.g. "fair → fair, +8"'),
  lowest_items: z.array(z.string()).describe("Item ids of the latest review, lowest score first"),
  reviews: z.array(reviewSchema).describe("Oldest first"),
});

/** GET /api/v1/ips */
export const ipsResponseSchema = z
  .object({
    bands: z.array(z.object({ id: z.string(), min: z.number().int(), name: localised })),
    items: z.array(z.object({ id: z.string(), section: z.string(), name: localised })),
    release: z
      .number()
      .int()
      .nullable()
      .describe("The release the reviews are from when `release` was given; null: the reviews as loaded"),
    units: z.array(unitSchema),
  })
  .describe("Every supported-employment unit with its fidelity reviews");

/** The answer of GET /api/v1/ips: bands, items and every unit with its reviews (as release `release` published them). */
export async function ipsJson(
  db: Queryable,
  config: Config,
  release: number | null = null,
): Promise<z.infer<typeof ipsResponseSchema>> {
  const units = await readIpsUnits(db, config.suppressionThreshold, release);
  return {
    release,
    bands: IPS_BANDS.map((b) => ({ id: b.id, min: b.min, name: b.name })),
    items: IPS_ITEMS.map((i) => ({ id: i.id, section: i.section, name: i.name })),
    units: units.map((u) => ({
      unit: u.yksikko,
      name: u.name,
      kunta: u.kunta,
      hyvinvointialue: u.county,
      trend: { fi: trendText(u, "fi"), sv: trendText(u, "sv"), en: trendText(u, "en") },
      lowest_items: itemProfile(latestReview(u)).map((p) => p.id),
      reviews: u.reviews.map((r) => ({
        date: r.date,
        kind: r.kind,
        total: r.total,
        band: r.band,
        items: r.items,
        specialists: r.specialists,
        clients: r.clients,
        clients_hidden: r.clientsHidden,
        caseload_per_specialist: r.caseload,
        caseload_within_limit: caseloadOk(r),
      })),
    })),
  };
}
