import type { Queryable } from "../../core/db.ts";
import type { Catalogue } from "../../indicators/registry.ts";
import { type FigureChange, releaseChanges } from "../../indicators/release/changes.ts";
import { listReleases, type Release } from "../../indicators/release/figures.ts";
import { HttpError } from "../errors.ts";
import type { ApiChanges, ApiRelease } from "./schemas.ts";

/** A release as the API lists it. */
export function releaseJson(r: Release, latest?: number): ApiRelease {
  return {
    id: r.id,
    created_at: r.createdAt,
    data_as_of: r.dataAsOf,
    definitions_version: r.definitionsVersion,
    suppression_threshold: r.threshold,
    latest_load_id: r.latestLoadId,
    loads: r.loadIds,
    figures: r.figures,
    changed: r.changed,
    ...(latest === undefined ? {} : { latest: r.id === latest }),
  };
}

/** GET /api/v1/releases */
export async function releasesJson(db: Queryable): Promise<{ releases: ApiRelease[] }> {
  const releases = await listReleases(db);
  return { releases: releases.map((r) => releaseJson(r, releases[0]?.id)) };
}

const changeJson = (c: FigureChange) => ({
  indicator: c.indicator,
  category: c.category,
  level: c.level,
  area: c.area,
  period_type: c.periodType,
  period: c.period,
  before: c.before,
  after: c.after,
});

/** GET /api/v1/releases/{id}/changes (404 for an unknown release). */
export async function changesJson(db: Queryable, id: number, catalogue: Catalogue): Promise<ApiChanges> {
  const changes = await releaseChanges(db, id, catalogue);
  if (!changes)
    throw new HttpError(
      404,
      {
        fi: `Julkaisua ${id} ei ole. Julkaisut luettelee GET /api/v1/releases.`,
        en: `There is no release ${id}. GET /api/v1/releases lists the releases.`,
      },
      { code: "unknown_release" },
    );
  return {
    release: releaseJson(changes.release),
    previous: changes.previous,
    data: changes.data,
    moved: changes.moved.map(changeJson),
    newly_hidden: changes.newlyHidden.map(changeJson),
    newly_shown: changes.newlyShown.map(changeJson),
    added: changes.added,
    other: changes.other,
  };
}
