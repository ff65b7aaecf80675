/**
 * The report's stylesheet, inlined in its <head>: system fonts only (no font file to fetch),
 * readable on screen and printed, with page breaks between sections and no chart or table cut
 * across pages.
 */
import { DANGER, INK, MUTED } from '../../ui/theme';

export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: ${INK}; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
header h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
header p { margin: 0.15rem 0; color: ${MUTED}; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.2rem 0.7rem 0.2rem 0; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; padding-left: 0.7rem; }
table.facts th { padding-right: 1.5rem; white-space: nowrap; }
figure.chart { margin: 0.75rem 0 1.25rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0 1rem; }
.multiples figure.chart { margin: 0.25rem 0 0.75rem; }
figcaption { font-size: 0.85rem; color: ${MUTED}; }
.note { color: ${MUTED}; font-size: 0.9rem; }
.verdict { display: inline-block; padding: 0.05rem 0.6rem; border-radius: 999px; font-weight: 600; border: 1px solid currentColor; }
.verdict.converged { color: #1a7f37; background: #dafbe1; }
.verdict.approximate { color: #0550ae; background: #ddf4ff; }
.verdict.unconverged { color: ${DANGER}; background: #ffebe9; }
.verdict.placebo-failed { color: #9a6700; background: #fff8c5; }
.careful li { margin-bottom: 0.3rem; }
footer { margin-top: 2.5rem; color: ${MUTED}; font-size: 0.8rem; }
@page { margin: 1.5cm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  section.new-page { break-before: page; }
  figure.chart, table, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
`;
