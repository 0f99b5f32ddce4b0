import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db.ts";
import { HttpError } from "../errors.ts";
import type { Lang } from "../i18n.ts";
import { compareChart } from "./compare.ts";
import { areaRef, type CompareData, compareData } from "./compare-data.ts";
import { valuesCsv } from "./csv.ts";
import { svgToPng } from "./indicator-charts.ts";
import type { Query } from "./indicator-data.ts";
import { pinnedFileTag, pinnedNote } from "./pinned.ts";
import { PERIOD_TYPE_TEXT } from "./values.ts";
import { annotationNote, missingNote, valuesWorkbook } from "./xlsx.ts";

/**
 * The compare page's downloads: its values as CSV and XLSX (the same rows as its table, as readValues
 * gave them) and its chart as SVG and PNG. The same parameters as the page.
 */

const M = {
  noAreas: {
    fi: "Valitse vähintään yksi alue (alueet).",
    sv: "Välj minst ett område (alueet).",
    en: "Choose at least one area (alueet).",
  },
  unknownFile: {
    fi: "Tuntematon tiedosto. Vertailun tiedostot: .csv, .xlsx, /kaavio.svg ja /kaavio.png.",
    sv: "Okänd fil. Jämförelsens filer: .csv, .xlsx, /kaavio.svg och /kaavio.png.",
    en: "Unknown file. The comparison's files: .csv, .xlsx, /kaavio.svg and /kaavio.png.",
  },
  noChart: {
    fi: "Valituille alueille ei ole tietoja.",
    sv: "Det finns inga uppgifter för de valda områdena.",
    en: "There are no figures for the chosen areas.",
  },
} as const;

/** `vertailu_kt-tyohon_kunta-179_kunta-182_year.csv` */
function fileName(d: CompareData, ext: string): string {
  const areas = d.chosen.map((a) => areaRef(a).replace(":", "-")).join("_");
  return `vertailu_${d.definition.id}_${areas}_${d.periodType}${pinnedFileTag(d.pinned)}.${ext}`;
}

async function chosenData(db: Queryable, query: Query): Promise<CompareData> {
  const d = await compareData(db, query);
  if (d.chosen.length === 0) throw new HttpError(400, M.noAreas);
  return d;
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A download of the compare page: `csv`, `xlsx`, `kaavio.svg` or `kaavio.png`. */
export async function compareFile(
  db: Queryable,
  config: Config,
  lang: Lang,
  file: string,
  query: Query,
): Promise<{ name: string; type: string; body: Buffer }> {
  const d = await chosenData(db, query);
  const values = d.series.flatMap((s) => s.values);
  const threshold = config.suppressionThreshold;
  switch (file) {
    case "csv":
      return {
        name: fileName(d, "csv"),
        type: "text/csv; charset=utf-8",
        body: valuesCsv(d.definition, values, lang, threshold),
      };
    case "xlsx": {
      const kuntaName = (k: string) => d.areas.get("kunta", k)?.name[lang] ?? k;
      const latest = d.series.flatMap((s) => {
        const v = [...s.values].sort((a, b) => a.lastQuarter.localeCompare(b.lastQuarter)).at(-1);
        return v ? [missingNote(s.area.name[lang], v, kuntaName, lang)] : [];
      });
      const wb = valuesWorkbook(
        {
          definition: d.definition,
          values,
          selection: [...d.chosen.map((a) => a.name[lang]), PERIOD_TYPE_TEXT[d.periodType][lang]].join(", "),
          notes: [
            ...(d.pinned ? [pinnedNote(d.pinned, lang)] : []),
            ...latest,
            ...d.annotations.map((a) => annotationNote(a, lang)),
          ],
        },
        lang,
        threshold,
      );
      return { name: fileName(d, "xlsx"), type: XLSX_TYPE, body: Buffer.from(await wb.xlsx.writeBuffer()) };
    }
    case "kaavio.svg":
    case "kaavio.png": {
      const chart = compareChart(d, lang);
      if (!chart) throw new HttpError(404, M.noChart);
      return file === "kaavio.png"
        ? { name: fileName(d, "png"), type: "image/png", body: svgToPng(chart.svg) }
        : { name: fileName(d, "svg"), type: "image/svg+xml", body: Buffer.from(chart.svg, "utf8") };
    }
    default:
      throw new HttpError(404, M.unknownFile);
  }
}
