/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const GROUP = new Intl.NumberFormat("fi-FI", { maximumFractionDigits: 0 });

/** A whole number in Finnish format (no-break space as the thousands separator). */
export function formatCount(n: number | bigint): string {
  return GROUP.format(n);
}

/** The page frame shared by every page: Finnish language, skip link, main landmark. */
export function layout(title: string, body: string, lang = "fi"): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Seuranta</title>
<style>
  body { font-family: "Source Sans Pro", "Source Sans 3", Arial, sans-serif; color: #212121; margin: 0; line-height: 1.5; }
  header { background: #2a6ebb; color: #fff; padding: 0.75rem 1.5rem; }
  header a { color: #fff; }
  main { padding: 1rem 1.5rem; max-width: 70rem; }
  table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
  th, td { border-bottom: 1px solid #c8cdd0; padding: 0.25rem 0.75rem; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; color: #000; }
  footer { padding: 1rem 1.5rem; color: #5f686d; font-size: 0.875rem; }
</style>
</head>
<body>
<a class="skip" href="#main">Siirry sisältöön</a>
<header><strong>Seuranta</strong> · osatyökykyisten palvelujen seurantaindikaattorit</header>
<main id="main">
${body}
</main>
<footer>Lähde: Tilastokeskus (kuntaluokitus, väestö); THL, Sotkanet (väestö 2000–2022). Aineistot: kuntien ilmoittamat neljännesvuositiedot.</footer>
</body>
</html>
`;
}
