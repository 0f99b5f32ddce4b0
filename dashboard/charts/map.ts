import * as Plot from "@observablehq/plot";
import { formatNumber, formatValue } from "../../indicators/format.ts";
import { CHART_COLOURS } from "../theme.ts";
import { type Municipality, municipalities, nameOf } from "./boundaries.ts";
import { legendMarkup } from "./legend.ts";
import { finishSvg, NARROW_WIDTH, plot, type Variant } from "./render.ts";
import {
  extremesSentence,
  hiddenSentence,
  hiddenSymbol,
  shownValue,
  symbolNotes,
  T,
  unitName,
} from "./text.ts";
import { niceTicks } from "./ticks.ts";
import type { Chart, ChoroplethInput } from "./types.ts";

/**
 * A choropleth of municipalities: shown values in classes of equal width on the sequential blue ramp
 * (darker is higher), hidden or missing values light grey, with a legend below the map. With `county`
 * only that wellbeing services county's municipalities are drawn, projected to fill the frame.
 * Projection: transverse Mercator on 27° E, as in ETRS-TM35FIN.
 */

const STROKE = "#5F686D";

interface Area {
  feature: Municipality;
  name: string;
  value: number | null;
  symbol: string;
  colour: string;
}

/** Class limits: round numbers from the lowest to the highest shown value, at most five classes. */
function classLimits(values: number[]): number[] {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi) return [lo, hi];
  let best = [lo, hi];
  for (let count = 3; count <= 8; count++) {
    const { ticks } = niceTicks(lo, hi, count);
    if (ticks.length - 1 <= CHART_COLOURS.ramp.length && ticks.length > best.length) best = ticks;
  }
  return best;
}

export function choroplethMap(input: ChoroplethInput): Chart {
  const { lang, unit, decimals } = input;
  const t = T[lang];
  const features = municipalities().filter(
    (m) => input.county === undefined || m.properties.hyvinvointialue === input.county,
  );
  const values = features.map((f) => {
    const v = input.values.get(f.properties.kunta);
    return { f, v, value: v ? shownValue(v) : null };
  });
  const limits = classLimits(values.flatMap((x) => (x.value === null ? [] : [x.value])));
  const classes = Math.max(1, limits.length - 1);
  const ramp = CHART_COLOURS.ramp;
  const colourOf = (i: number) =>
    ramp[classes === 1 ? 2 : Math.round((i * (ramp.length - 1)) / (classes - 1))] ?? ramp[2];
  const classOf = (v: number) => {
    for (let i = 0; i < classes - 1; i++) if (v < (limits[i + 1] ?? Number.POSITIVE_INFINITY)) return i;
    return classes - 1;
  };

  const areas: Area[] = values.map(({ f, v, value }) => ({
    feature: f,
    name: nameOf(f, lang),
    value,
    symbol: v ? hiddenSymbol(v) : ".",
    colour: value === null ? CHART_COLOURS.suppressed : colourOf(classOf(value)),
  }));

  const geo = Plot.geo(
    areas.map((a) => ({ ...a.feature, area: a })),
    {
      fill: (d: { area: Area }) => d.area.colour,
      stroke: STROKE,
      strokeWidth: input.county === undefined ? 0.3 : 0.6,
      title: (d: { area: Area }) =>
        `${d.area.name}: ${d.area.value === null ? d.area.symbol : formatValue(d.area.value, decimals, unit, lang)}`,
      ariaHidden: "true",
    },
  );

  const fmt = (v: number) => formatNumber(v, Math.max(decimals, niceDecimals(limits)), lang);
  const hidden = areas.filter((a) => a.value === null);
  const legendItems = [
    ...Array.from({ length: limits.length > 0 ? classes : 0 }, (_, i) => ({
      label: classes === 1 ? fmt(limits[0] ?? 0) : `${fmt(limits[i] ?? 0)}–${fmt(limits[i + 1] ?? 0)}`,
      kind: "box" as const,
      colour: colourOf(i),
    })),
    ...(hidden.length > 0
      ? [
          {
            label: `${t.legendHidden} (${symbolNotes(
              hidden.map((a) => a.symbol),
              lang,
            ).join(", ")})`,
            kind: "box" as const,
            colour: CHART_COLOURS.suppressed,
          },
        ]
      : []),
  ];
  const draw = (variant: Variant, desc: string) => {
    const width = variant === "narrow" ? NARROW_WIDTH : input.county === undefined ? 360 : 480;
    const el = plot("map", {
      width,
      projection: {
        type: "transverse-mercator",
        rotate: [-27, 0],
        domain: { type: "FeatureCollection", features } as never,
        inset: 8,
      },
      marks: [geo],
    });
    const legend = legendMarkup(legendItems, width, Number(el.getAttribute("height")), 8);
    return finishSvg(el, { title: input.title, desc, lang, extra: legend });
  };

  const shown = areas.filter((a) => a.value !== null).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const parts = [`${t.map}, ${t.municipalities(areas.length)}, ${unitName(unit, lang)}, ${t.mapOf}.`];
  parts.push(extremesSentence(shown, decimals, unit, lang));
  parts.push(
    hiddenSentence(
      hidden.map((a) => ({ symbol: a.symbol, name: a.name })),
      lang,
      { suffix: `(${t.notShownGrey})` },
    ),
  );
  const alt = parts.filter((p) => p !== "").join(" ");
  return { svg: draw("wide", alt), narrow: draw("narrow", alt), alt };
}

/** Decimals the class limits need (limits of 2,5 need one even for a count). */
function niceDecimals(limits: number[]): number {
  return Math.max(
    0,
    ...limits.map((l) => (Number.isInteger(l) ? 0 : (String(l).split(".")[1]?.length ?? 0))),
  );
}
