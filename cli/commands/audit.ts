import type { AuditReport } from "../../indicators/protect/audit.ts";
import { informationLoss, type LossRow } from "../../indicators/protect/loss.ts";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { type CommandIO, parseJsonOnly } from "../command.ts";
import { openForCommand } from "../open.ts";

const n = (x: number) => x.toLocaleString("fi-FI");
const pct = (part: number, whole: number) =>
  whole === 0 ? "–" : `${(Math.round((1000 * part) / whole) / 10).toLocaleString("fi-FI")} %`;

function reportText(report: AuditReport, loss: LossRow[], minRange: number): string {
  const lines = [
    `Tietosuojatarkastus: ${n(report.hiddenNumbers)} peitettyä lukua, ${n(report.publishedForms)} julkaistua lukua.`,
    `Vaihteluväli todistettu suojausvarmenteella ${n(report.byCertificate)} luvulle, lineaarisella optimoinnilla ${n(report.byLp)} luvulle.`,
    `Nollia, jotka jo näkyvä nolla kertoo (julkaistu summa 0, joten jokainen sen osa on 0): ${n(report.knownZero)}.`,
  ];
  if (report.findings.length === 0)
    lines.push(
      `Yhtään peitettyä lukua ei voi laskea julkaistuista, eikä rajata alle ${minRange} levyiseksi väliksi.`,
    );
  else {
    const kinds = {
      derivable: "laskettavissa",
      narrow: "rajattavissa liian kapeaksi",
      unchecked: "ei voitu tarkistaa",
    };
    lines.push(`LÖYDÖKSIÄ ${n(report.findings.length)}: julkaisua ei saa käyttää.`);
    for (const f of report.findings.slice(0, 20))
      lines.push(
        `  rivi ${f.row} (${f.which === 0 ? "osoittaja" : "nimittäjä"}): ${kinds[f.kind]}${f.low !== null ? ` [${f.low}, ${f.high}]` : ""}`,
      );
  }
  lines.push("", "Peitetyt arvot (pienet luvut → suojauksen jälkeen):");
  for (const r of loss)
    lines.push(
      `  ${r.level.padEnd(16)} ${r.periodType.padEnd(10)} ${pct(r.primary, r.values).padStart(7)} → ${pct(r.hidden, r.values).padStart(7)}  (${n(r.values)} arvoa)`,
    );
  return `${lines.join("\n")}\n`;
}

/** `seuranta audit`: plays the attacker against the release being served; exit 2 when it finds a leak. */
export async function run(args: string[], io: CommandIO): Promise<number> {
  const { json } = parseJsonOnly(args);
  const opened = await openForCommand(io);
  if (!opened) return 1;
  try {
    const report = await auditLatestRelease(opened.db, opened.config);
    const loss = await informationLoss(opened.db);
    const minRange = opened.config.protectionRange;
    if (json)
      io.out(
        `${JSON.stringify(
          {
            ok: report.findings.length === 0,
            min_range: minRange,
            hidden_numbers: report.hiddenNumbers,
            published_numbers: report.publishedForms,
            by_certificate: report.byCertificate,
            by_lp: report.byLp,
            known_zero: report.knownZero,
            findings: report.findings,
            information_loss: loss.map((r) => ({
              level: r.level,
              period_type: r.periodType,
              values: r.values,
              hidden_primary: r.primary,
              hidden_after_protection: r.hidden,
            })),
            ms: report.ms,
          },
          null,
          2,
        )}\n`,
      );
    else io.out(reportText(report, loss, minRange));
    return report.findings.length === 0 ? 0 : 2;
  } finally {
    await opened.db.close();
  }
}
