import type { FastifyReply } from "fastify";
import type { Queryable } from "../../core/db.ts";
import type { ReleasePin } from "../../indicators/read.ts";
import { findRelease, listReleases, type Release } from "../../indicators/release/figures.ts";
import { HttpError } from "../errors.ts";
import { badParameter } from "./params.ts";

/** A pinned answer never changes: shared caches and browsers may keep it for a year without asking. */
export const PINNED_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** The release a request pins (`release=<id>`), with the latest one's number; null without the parameter. */
export async function pinnedRelease(
  db: Queryable,
  id: number | undefined,
): Promise<{ pin: ReleasePin; release: Release } | null> {
  if (id === undefined) return null;
  const found = await findRelease(db, id);
  if (!found) {
    const releases = await listReleases(db);
    const known = releases.length === 0 ? "ei vielä yhtään" : `1–${releases[0]?.id}`;
    throw new HttpError(
      404,
      {
        fi: `Julkaisua ${id} ei ole. Julkaisut: ${known}; luettelo: GET /api/v1/releases.`,
        en: `There is no release ${id}. Releases: ${releases.length === 0 ? "none yet" : `1–${releases[0]?.id}`}; the list: GET /api/v1/releases.`,
      },
      { code: "unknown_release" },
    );
  }
  return found;
}

/** A pinned read holds published figures only: suppression=none does not go with release. */
export function refuseUnsuppressedPin(unsuppressed: boolean, pinned: boolean): void {
  if (unsuppressed && pinned)
    throw badParameter("release", {
      fi: "Julkaisu sisältää vain julkaistut (suojatut) luvut: suppression=none ei käy yhdessä release-parametrin kanssa.",
      en: "A release holds the published (protected) figures only: suppression=none does not go with release.",
    });
}

/** Marks a pinned answer cacheable for long (the response cache keeps the header, see cache.ts). */
export function markPinned(reply: FastifyReply, pinned: boolean): void {
  if (pinned) reply.header("Cache-Control", PINNED_CACHE_CONTROL);
}
