/**
 * @module eval/html-report
 * A self-contained HTML page: sections of text, tables and inline SVG charts, no script and no
 * external file, so it opens anywhere and can be mailed or archived as one file.
 */

import { type Cell, cellText, type Table } from './table.js';

export interface ReportSection {
  heading: string;
  /** Paragraphs of plain text. */
  paragraphs?: string[];
  tables?: Table[];
  /** SVG documents (from eval/charts). */
  charts?: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cellHtml(cell: Cell, digits: number | undefined): string {
  const cls = typeof cell === 'string' ? '' : ' class="n"';
  return `<td${cls}>${escapeHtml(cellText(cell, digits))}</td>`;
}

function tableHtml(t: Table): string {
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : '';
  const head = `<tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows
    .map((r) => `<tr>${r.map((c, i) => cellHtml(c, t.digits?.[i])).join('')}</tr>`)
    .join('\n');
  return `<table>${caption}<thead>${head}</thead><tbody>\n${rows}\n</tbody></table>`;
}

/** Strips an XML declaration so the SVG can sit inline in HTML. */
function inlineSvg(svg: string): string {
  return `<figure>${svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-size:13px}caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ddd;padding:.25em .6em}th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{display:inline-block;margin:.5em 1em .5em 0}`;

/** The whole page. */
export function htmlReport(title: string, intro: string[], sections: readonly ReportSection[]): string {
  const body = sections
    .map((s) => {
      const parts = [`<h2>${escapeHtml(s.heading)}</h2>`];
      for (const p of s.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
      for (const c of s.charts ?? []) parts.push(inlineSvg(c));
      for (const t of s.tables ?? []) parts.push(tableHtml(t));
      return parts.join('\n');
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${body}
</body></html>
`;
}
