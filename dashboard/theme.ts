import { suomifiDesignTokens as tokens } from "suomifi-design-tokens";

/**
 * The Finnish public-sector look (suomi.fi design tokens) as CSS custom properties and the page's
 * base styles. Chart colours are a colour-blind-safe set (Okabe–Ito) that keeps AA contrast on white.
 */
const c = tokens.colors;

export const CHART_COLOURS = {
  /** The chosen area: suomi.fi brand blue. */
  area: c.brandBase,
  /** Its wellbeing services county. */
  county: "#D55E00",
  /** The whole country. */
  country: "#5F686D",
  /** Sequential ramp for maps (light to dark blue), from the brand and highlight tokens. */
  ramp: ["#EAF2FA", "#B3D1EC", "#6FA6D6", "#2A6EBB", "#003479"],
  suppressed: "#C8CDD0",
  /**
   * Lines of the compare page, up to 8: Okabe–Ito hues (darkened where needed for 3:1 on white) with a
   * dash pattern each, so that no line is told apart by colour alone.
   */
  compare: [
    { colour: "#0072B2", dash: undefined },
    { colour: "#D55E00", dash: "8,4" },
    { colour: "#000000", dash: "3,3" },
    { colour: "#009E73", dash: undefined },
    { colour: "#B8499A", dash: "8,4" },
    { colour: "#A66F00", dash: "3,3" },
    { colour: "#882255", dash: "10,3,2,3" },
    { colour: "#5F686D", dash: "1,3" },
  ],
} as const;

/** The shared style sheet of every page. */
export const BASE_CSS = `
:root {
  --brand: ${c.brandBase};
  --highlight: ${c.highlightBase};
  --text: ${c.blackBase};
  --text-secondary: ${c.blackLight1};
  --border: ${c.depthLight1};
  --background-light: ${c.depthLight3};
  --focus: ${c.accentSecondary};
}
body { font-family: "Source Sans Pro", "Source Sans 3", Arial, sans-serif; color: var(--text); margin: 0; line-height: 1.5; font-size: 18px; }
a { color: var(--highlight); }
a:focus, button:focus, select:focus, input:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
header.site { background: var(--brand); color: #fff; padding: 0.75rem 1.5rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
header.site a { color: #fff; }
header.site nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; }
.lang-switch a[aria-current="true"] { font-weight: 700; text-decoration: none; }
main { padding: 1rem 1.5rem; max-width: 80rem; }
main p, main dl, main ul { max-width: 60rem; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid var(--border); padding: 0.25rem 0.75rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.notice { background: var(--background-light); border-left: 4px solid var(--highlight); padding: 0.5rem 1rem; }
.nowrap { white-space: nowrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; color: #000; padding: 0.5rem; }
footer.site { padding: 1rem 1.5rem; color: var(--text-secondary); font-size: 0.875rem; border-top: 1px solid var(--border); }
.userbar { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: 0; }
.userbar form { margin: 0; }
.userbar button { background: transparent; color: #fff; border: 1px solid #fff; padding: 0.125rem 0.75rem; font: inherit; cursor: pointer; }
.demo-banner { background: ${c.warningLight1}; border-bottom: 2px solid ${c.alertBase}; margin: 0; padding: 0.5rem 1.5rem; }
.error-box { background: #fff; border-left: 4px solid ${c.alertBase}; padding: 0.5rem 1rem; }
.success-box { background: #fff; border-left: 4px solid ${c.successDark1}; padding: 0.5rem 1rem; }
label { display: block; font-weight: 600; margin-top: 0.75rem; }
input[type="password"], input[type="text"], input[type="file"], select { font: inherit; padding: 0.25rem 0.5rem; border: 1px solid ${c.depthDark1}; }
button.primary { background: var(--highlight); color: #fff; border: 0; padding: 0.5rem 1.25rem; font: inherit; font-weight: 600; margin-top: 1rem; cursor: pointer; }
.checkbox label { display: inline; font-weight: 400; }
select { max-width: 100%; }
textarea.embed-code { display: block; width: 100%; max-width: 48rem; font: 0.9rem monospace; box-sizing: border-box; }
figure svg { max-width: 100%; height: auto; }
figure.wide svg { width: 100%; max-width: 60rem; }
svg.chart-narrow { display: none; }
.chart-tip { position: absolute; pointer-events: none; background: #fff; color: var(--text); border: 1px solid var(--text-secondary); padding: 0.125rem 0.5rem; font-size: 1rem; max-width: 20rem; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.3); }
.chart-tip[hidden] { display: none; }
.auto-note { font-size: 0.9rem; color: var(--text-secondary); margin: 0.25rem 0; }
@media screen and (max-width: 40rem) {
  figure { margin: 1rem 0; }
  svg.chart-wide { display: none; }
  svg.chart-narrow { display: block; width: 100%; max-width: 30rem; }
}
main ul.tiles { max-width: none; }
@media (max-width: 40rem) { h1 { font-size: 1.6rem; } main { padding: 0.75rem 1rem; } }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 11pt; }
  header.site, footer.site nav, .skip, .demo-banner, form, .chart-download, textarea.embed-code, details { display: none !important; }
  main { max-width: none; padding: 0; }
  figure, table { break-inside: avoid; }
  figure { break-after: avoid; }
  h2 { break-after: avoid; }
  .table-scroll { overflow: visible; }
  figure svg { width: 100%; max-width: 100%; }
  a { color: inherit; text-decoration: none; }
}
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.125rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
`;
