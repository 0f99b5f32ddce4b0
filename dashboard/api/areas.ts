import type { z } from "zod";
import type { Queryable } from "../../core/db.ts";
import { LEVEL_NAMES } from "../../indicators/levels.ts";
import { loadAreas } from "../pages/values.ts";
import { ATTRIBUTION } from "./meta.ts";
import type { AreasQuery, areasResponseSchema } from "./schemas.ts";

type AreasResponse = z.output<typeof areasResponseSchema>;

/**
 * Every area of every level from the municipality key (ref_kunta, the same reading as the pages),
 * smallest level first and by code: municipalities with their county and employment area.
 */
export async function areasJson(db: Queryable, query: AreasQuery): Promise<AreasResponse> {
  const areas = await loadAreas(db);
  const employmentArea = new Map<string, string>();
  for (const area of areas.byLevel.get("tyollisyysalue")?.values() ?? [])
    for (const kunta of area.members) employmentArea.set(kunta, area.code);
  const out: AreasResponse["areas"] = [];
  for (const level of LEVEL_NAMES) {
    if (query.level !== undefined && level !== query.level) continue;
    const list = [...(areas.byLevel.get(level)?.values() ?? [])].sort((a, b) => a.code.localeCompare(b.code));
    for (const area of list) {
      if (query.county !== undefined && area.county !== query.county) continue;
      out.push({
        level,
        code: area.code,
        name: area.name,
        county: area.county,
        employment_area: level === "kunta" ? (employmentArea.get(area.code) ?? null) : null,
        municipalities: area.members,
      });
    }
  }
  return { meta: { count: out.length, attribution: ATTRIBUTION }, areas: out };
}
