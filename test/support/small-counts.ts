import { random } from "./random.ts";

// Small counts for ten municipalities of Kanta-Häme and Pirkanmaa (2024), as a county's analysts send them:
// many numbers need protection, and a resend of some municipalities changes many cells at once.

export const KUNNAT = ["049", "078", "149", "224", "235", "257", "444", "710", "755", "927"];
const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";

function row(kunta: string, quarter: string, counts: number[]) {
  const outcomes = counts.slice(2);
  return [kunta, quarter, counts[0], counts[1], outcomes.reduce((a, b) => a + b, 0), ...outcomes].join(";");
}

/** Four quarters of 2024 of small counts for ten municipalities of Kanta-Häme and Pirkanmaa. */
export function smallCounts(seed: number, kunnat: string[]): string {
  const r = random(seed);
  const lines = [HEADER];
  for (const k of kunnat)
    for (let q = 1; q <= 4; q++)
      lines.push(
        row(
          k,
          `2024Q${q}`,
          Array.from({ length: 12 }, (_, j) => Math.floor(r() * ((j === 0 ? 40 : j === 7 ? 12 : 4) + 1))),
        ),
      );
  return `${lines.join("\n")}\n`;
}
