import { z } from "zod";
import type { Problem } from "./problem.ts";

/** The machine-readable report of DESIGN.md ("Contract details"); also the upload API's answer. */
export const problemSchema = z.object({
  code: z.string().describe("Stable problem code from the catalogue (core/errors.ts)"),
  row: z.number().int().nullable().describe("Row number as Excel shows it"),
  line: z.number().int().nullable().describe("Physical line where the record starts"),
  column: z.string().nullable().describe("Canonical column name"),
  value: z.string().nullable().describe("The cell as sent"),
  message: z.string().describe("What is wrong and how to fix it, in Finnish"),
});

export const fileReportSchema = z.object({
  file: z.string().describe("File name as sent"),
  sha256: z.string().describe("SHA-256 of the file's bytes (the archive name)"),
  dataset: z
    .string()
    .nullable()
    .describe("kuntouttava | vammaispalvelut | tiimi | polku | ips, or null when not recognised"),
  status: z.enum(["loaded", "unchanged", "valid", "rejected"]),
  rows: z.number().int().describe("Data rows taken in"),
  keys_replaced: z
    .array(z.record(z.string(), z.string()))
    .describe("Keys that already held data and were replaced, e.g. { kunta, vuosineljannes }"),
  warnings: z.array(problemSchema),
  errors: z.array(problemSchema),
  load_id: z
    .number()
    .int()
    .nullable()
    .describe("Id in the load history (null for dry runs and unchanged files)"),
  encoding: z.string().nullable().describe("Encoding the file was read in"),
});

export const reportSchema = z.object({ files: z.array(fileReportSchema) });

export type FileReport = z.infer<typeof fileReportSchema>;
export type Report = z.infer<typeof reportSchema>;

const STATUS_FI: Record<FileReport["status"], string> = {
  loaded: "LADATTU",
  unchanged: "EI MUUTOKSIA (sama tiedosto on jo ladattu)",
  valid: "KELPAA (tarkistus, ei ladattu)",
  rejected: "HYLÄTTY",
};

function problemLine(p: Problem | z.infer<typeof problemSchema>): string {
  const where = [
    p.row !== null ? `rivi ${p.row}` : null,
    p.line !== null && p.line !== p.row ? `tiedoston rivi ${p.line}` : null,
    p.column !== null ? `sarake ${p.column}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return `  ${where ? `${where}: ` : ""}${p.message} [${p.code}]`;
}

/** The human-readable (Finnish) report, as the CLI prints it and quarantine keeps it. */
export function renderReportText(report: Report): string {
  const out: string[] = [];
  for (const f of report.files) {
    out.push(
      `${f.file}: ${STATUS_FI[f.status]}${f.dataset ? ` — aineisto ${f.dataset}` : ""}, ${f.rows} riviä`,
    );
    if (f.keys_replaced.length > 0) {
      out.push(
        `  Korvattiin aiemmin ladatut tiedot: ${f.keys_replaced.map((k) => Object.values(k).join(" ")).join("; ")}`,
      );
    }
    if (f.errors.length > 0) {
      out.push(`  Virheet (${f.errors.length}):`);
      for (const p of f.errors) out.push(`  ${problemLine(p)}`);
    }
    if (f.warnings.length > 0) {
      out.push(`  Varoitukset (${f.warnings.length}):`);
      for (const p of f.warnings) out.push(`  ${problemLine(p)}`);
    }
  }
  const rejected = report.files.filter((f) => f.status === "rejected").length;
  out.push("");
  out.push(
    rejected > 0
      ? `${rejected}/${report.files.length} tiedostoa hylättiin. Korjaa virheet ja lähetä tiedosto uudelleen; mitään hylätyn tiedoston tiedoista ei tallennettu.`
      : `Kaikki ${report.files.length} tiedostoa kunnossa.`,
  );
  return `${out.join("\n")}\n`;
}
