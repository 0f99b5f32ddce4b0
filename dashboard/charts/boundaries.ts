import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../core/root.ts";
import type { Lang } from "../i18n.ts";

/**
 * Municipality boundaries (Statistics Finland 1:4 500 000, 2025; "Lähde: Tilastokeskus"), read once from
 * data/reference and kept in memory for every map.
 */

export interface Municipality {
  type: "Feature";
  geometry: { type: "Polygon" | "MultiPolygon"; coordinates: unknown };
  properties: { kunta: string; hyvinvointialue: string; nimi: string; namn: string; name: string };
}

const FILE = path.join(PROJECT_ROOT, "data", "reference", "kunnat_4500k_2025.geojson");
let cached: Municipality[] | undefined;

/** Every municipality in the file's order. */
export function municipalities(): Municipality[] {
  cached ??= (JSON.parse(readFileSync(FILE, "utf8")) as { features: Municipality[] }).features.map(rewind);
  return cached;
}

type Ring = [number, number][];

/** Twice the signed area of a ring in degrees (positive when counter-clockwise). */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1, y1] = ring[j] ?? [0, 0];
    const [x2, y2] = ring[i] ?? [0, 0];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * GeoJSON (RFC 7946) winds outer rings counter-clockwise; d3-geo, under Plot, reads them on the sphere
 * and wants them clockwise, else a municipality becomes the whole world minus itself. Outer rings are
 * turned clockwise and holes counter-clockwise.
 */
function rewind(m: Municipality): Municipality {
  const fix = (rings: Ring[]) =>
    rings.map((ring, i) => ((i === 0) === signedArea(ring) > 0 ? [...ring].reverse() : ring));
  const g = m.geometry;
  const coordinates =
    g.type === "Polygon" ? fix(g.coordinates as Ring[]) : (g.coordinates as Ring[][]).map((p) => fix(p));
  return { ...m, geometry: { type: g.type, coordinates } };
}

/** The municipality's name in the language. */
export function nameOf(m: Municipality, lang: Lang): string {
  return lang === "sv" ? m.properties.namn : lang === "en" ? m.properties.name : m.properties.nimi;
}
