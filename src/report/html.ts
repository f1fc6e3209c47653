/**
 * The self-contained report.html: one file, inline CSS and SVG, no scripts or external resources, so it
 * opens offline, attaches to a CI run, and renders the same everywhere.
 */
import { esc } from './figures/charts.js';
import { fmt, type Cell } from './table.js';

export interface ReportTable {
  caption?: string;
  head: string[];
  rows: Cell[][];
  /** per-column alignment (default: first column left, the others right, for numbers) */
  align?: ('left' | 'right')[];
}

export interface ReportSection {
  id: string;
  title: string;
  /** one or two sentences saying what the section shows and how it was computed */
  lead?: string;
  tables?: ReportTable[];
  /** inline SVG strings */
  figures?: string[];
  /** preformatted text (e.g. the distilled rules) */
  pre?: string;
  /** a highlighted warning (e.g. leakage) */
  alert?: string;
  /** lay tables and figures out side by side, wrapping, instead of one under the other */
  row?: boolean;
  /** a collapsed block (HTML <details>) of preformatted text, e.g. the effective config */
  details?: { summary: string; text: string };
}

export interface Report {
  title: string;
  subtitle: string;
  /** headline numbers shown as cards at the top */
  headline: { label: string; value: string; note?: string; bad?: boolean }[];
  sections: ReportSection[];
  footer: string;
}

const CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:20px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#9ca3af}
main{max-width:1100px;margin:0 auto;padding:16px 32px 48px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}
.card .v{font-size:20px;font-weight:650}.card .l{color:#6b7280;font-size:12px}.card .n{color:#6b7280;font-size:11px}
.card.bad{border-color:#dc2626}.card.bad .v{color:#dc2626}
nav{font-size:13px;margin:8px 0 0}nav a{margin-right:12px;color:#2563eb;text-decoration:none}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:14px 20px;margin:16px 0}
section h2{font-size:17px;margin:0 0 6px}.lead{color:#4b5563;font-size:13px;margin:0 0 10px}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 12px}th,td{padding:3px 10px;border-bottom:1px solid #f3f4f6;text-align:right}
th{background:#f9fafb;font-weight:600}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:4px 0}
.figs{display:flex;flex-wrap:wrap;gap:12px}.figs svg{max-width:100%;height:auto;border:1px solid #f3f4f6;border-radius:4px}
pre{background:#f3f4f6;padding:10px;border-radius:6px;font-size:12px;overflow-x:auto}
.alert{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:8px 12px;border-radius:6px;font-size:13px;margin-bottom:10px}
footer{color:#6b7280;font-size:12px;text-align:center;padding:16px}
.row{display:flex;flex-wrap:wrap;gap:4px 28px;align-items:flex-start}.row .figs{display:contents}
td.l,th.l{text-align:left}td.r,th.r{text-align:right}
details{margin:8px 0}summary{cursor:pointer;color:#2563eb;font-size:13px}
`;

function tableHtml(t: ReportTable): string {
  const cls = (i: number) => (t.align?.[i] ? ` class="${t.align[i] === 'left' ? 'l' : 'r'}"` : '');
  const head = `<tr>${t.head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(fmt(c))}</td>`).join('')}</tr>`).join('');
  return `<table>${t.caption ? `<caption>${esc(t.caption)}</caption>` : ''}<thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** Render the report as one self-contained HTML document. */
export function renderReport(r: Report): string {
  const cards = r.headline
    .map((c) => `<div class="card${c.bad ? ' bad' : ''}"><div class="l">${esc(c.label)}</div><div class="v">${esc(c.value)}</div>${c.note ? `<div class="n">${esc(c.note)}</div>` : ''}</div>`)
    .join('');
  const nav = r.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('');
  const sections = r.sections
    .map(
      (s) => {
        const body = `${(s.tables ?? []).map(tableHtml).join('')}${s.figures?.length ? `<div class="figs">${s.figures.join('')}</div>` : ''}`;
        const details = s.details ? `<details><summary>${esc(s.details.summary)}</summary><pre>${esc(s.details.text)}</pre></details>` : '';
        return `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.lead ? `<p class="lead">${esc(s.lead)}</p>` : ''}${s.alert ? `<div class="alert">${esc(s.alert)}</div>` : ''}${s.row ? `<div class="row">${body}</div>` : body}${s.pre ? `<pre>${esc(s.pre)}</pre>` : ''}${details}</section>`;
      },
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(r.title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(r.title)}</h1><p>${esc(r.subtitle)}</p></header>
<main><div class="cards">${cards}</div><nav>${nav}</nav>
${sections}
</main><footer>${esc(r.footer)}</footer></body></html>
`;
}
