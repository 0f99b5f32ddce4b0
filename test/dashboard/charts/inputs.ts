import type { BarChartInput, ChartValue, TimeSeriesInput } from "../../../dashboard/charts/types.ts";

/** Chart inputs shared by the chart tests: made-up values, fixed so the snapshots stay put. */

const QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"];

export function points(values: (number | string)[], periods = QUARTERS): (ChartValue & { period: string })[] {
  return values.map((v, i) => ({
    period: periods[i] ?? `P${i}`,
    value: typeof v === "number" ? v : null,
    symbol: typeof v === "number" ? null : v,
  }));
}

export function timeSeriesInput(lang: TimeSeriesInput["lang"] = "fi"): TimeSeriesInput {
  const labels = {
    fi: ["Lieto", "Varsinais-Suomi", "Koko maa", "Työhön tai opiskeluun päättyneet jaksot"],
    sv: ["Lundo", "Egentliga Finland", "Hela landet", "Perioder som slutade i arbete eller studier"],
    en: ["Lieto", "Southwest Finland", "Whole country", "Periods that ended in work or studies"],
  }[lang];
  return {
    lang,
    title: labels[3] ?? "",
    unit: "percent",
    decimals: 1,
    series: [
      {
        role: "area",
        label: labels[0] ?? "",
        points: points([12.5, 14.1, "..", 16.2, 15, 13.3, 18.9, 17.5]),
      },
      {
        role: "county",
        label: labels[1] ?? "",
        points: points([10.1, 10.5, 11.2, 11, 11.8, 12, 12.4, 12.1]),
      },
      {
        role: "country",
        label: labels[2] ?? "",
        points: points([9.5, 9.7, 9.9, 10.2, 10, 10.4, 10.6, 10.9]),
      },
    ],
  };
}

const MUNICIPALITIES: [string, string, number | string][] = [
  ["019", "Aura", 3.2],
  ["202", "Kaarina", 6.1],
  ["423", "Lieto", 9.2],
  ["480", "Marttila", ".."],
  ["481", "Masku", 6.9],
  ["503", "Mynämäki", 9.9],
  ["529", "Naantali", 4.5],
  ["538", "Nousiainen", 7.6],
  ["561", "Oripää", 10.7],
  ["577", "Paimio", "."],
  ["445", "Parainen", 8.4],
  ["636", "Pöytyä", 2.8],
  ["680", "Raisio", 6.2],
  ["704", "Rusko", 9.3],
  ["734", "Salo", 3.8],
  ["738", "Sauvo", ".."],
  ["761", "Somero", 9.9],
  ["853", "Turku", 4.4],
  ["895", "Uusikaupunki", 7.7],
];

/** The municipalities of Southwest Finland (wellbeing services county 05), Lieto highlighted. */
export function barInput(lang: BarChartInput["lang"] = "fi"): BarChartInput {
  return {
    lang,
    title: {
      fi: "Asiakkaat 1 000 asukasta kohden",
      sv: "Klienter per 1 000 invånare",
      en: "Clients per 1,000 inhabitants",
    }[lang],
    unit: "per1000",
    decimals: 1,
    bars: MUNICIPALITIES.map(([code, label, v]) => ({
      code,
      label,
      value: typeof v === "number" ? v : null,
      symbol: typeof v === "number" ? null : v,
      highlight: code === "423",
    })),
  };
}

export function municipalityValues(): Map<string, ChartValue> {
  return new Map(
    MUNICIPALITIES.map(([code, , v]) => [
      code,
      { value: typeof v === "number" ? v : null, symbol: typeof v === "number" ? null : v },
    ]),
  );
}
