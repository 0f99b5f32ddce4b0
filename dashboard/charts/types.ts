import type { Unit } from "../../indicators/definition.ts";
import type { Lang } from "../i18n.ts";

/**
 * The contract between the chart modules (one chart kind per file in dashboard/charts/) and the pages.
 * Every chart is rendered on the server with Observable Plot to an SVG string that carries its own
 * <title> and <desc>; `alt` is the text alternative the page puts beside it. A value that is not
 * shown (suppressed, missing, not computable) is never drawn: it appears as a gap or a hatched area
 * and is explained in the text; the page always shows the data table as well.
 */
export interface Chart {
  /** The wide picture: screens wider than a phone, and the SVG and PNG downloads. */
  svg: string;
  /**
   * The same chart drawn for a phone's width (render.ts chartImages puts both on a page); a sparkline,
   * which has no text, has only the one picture.
   */
  narrow?: string;
  alt: string;
}

/** A published value as a chart gets it: the rounded number or null, and its symbol when null. */
export interface ChartValue {
  value: number | null;
  /** `..` suppressed, `.` not reported, `–` not computable; null when there is a value. */
  symbol: string | null;
}

export interface ChartCommon {
  lang: Lang;
  title: string;
  unit: Unit;
  decimals: number;
}

/** An event or series break marked on a time axis at the period it first concerns. */
export interface ChartAnnotation {
  period: string;
  /** A word or two drawn beside the mark. */
  label: string;
  /** The full text, in the text alternative. */
  text: string;
}

/** A time series of the chosen area against its county and the whole country. */
export interface TimeSeriesInput extends ChartCommon {
  annotations?: ChartAnnotation[];
  series: {
    role: "area" | "county" | "country";
    label: string;
    points: (ChartValue & { period: string })[];
  }[];
}

/** Municipalities (or counties) compared in a bar chart sorted by value. */
export interface BarChartInput extends ChartCommon {
  bars: (ChartValue & { code: string; label: string; highlight?: boolean })[];
}

/** A choropleth map of municipalities; `county` limits the map to one wellbeing services county. */
export interface ChoroplethInput extends ChartCommon {
  values: Map<string, ChartValue>;
  county?: string;
}

/** A small line without axes for a tile (the text alternative says first, last and change). */
export interface SparklineInput {
  lang: Lang;
  label: string;
  decimals: number;
  /** The unit written after the values in the text alternative (none when left out). */
  unit?: Unit;
  points: (ChartValue & { period: string })[];
}

/** Chosen areas compared over time, one line each (up to 8), labelled at the line ends. */
export interface CompareLinesInput extends ChartCommon {
  annotations?: ChartAnnotation[];
  series: { label: string; points: (ChartValue & { period: string })[] }[];
}
