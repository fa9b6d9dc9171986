/**
 * @module cli/provenance
 * Where a hit or a citation comes from, in one short line: `notes/a.md:12-30` for text, code and
 * Markdown (line numbers), `paper.pdf, page 4`, `page.html, chars 120-300` for a citation elsewhere, `"Subject" from Ann Lee <ann@x.org>, 2023-08-01
 * (mail/cur/123)` for mail, else the file or the document id.
 */

import type { MetaValue } from '../types.js';

type Meta = Readonly<Record<string, MetaValue | MetaValue[] | undefined>>;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * The source of document `id` with metadata `meta` and title `title`. `span` narrows it to part of
 * the document's text (a citation): its lines are counted from the document's first line.
 */
export function whereFrom(
  id: string,
  meta: Meta,
  title?: string,
  span?: { text: string; start: number; end: number },
): string {
  const file = str(meta.path) ?? id;
  if (meta.type === 'mail') {
    const name = str(meta['from-name']);
    const address = str(meta.from);
    const sender = name && address ? `${name} <${address}>` : (name ?? address);
    const date = str(meta.date)?.slice(0, 10);
    const parts = [title ? `"${title}"` : undefined, sender ? `from ${sender}` : undefined].filter(Boolean);
    return `${parts.join(' ')}${date ? `, ${date}` : ''} (${file})`;
  }
  const page = num(meta.page);
  if (page !== undefined) return `${file}, page ${page}`;
  let line = num(meta.line);
  let lineEnd = num(meta['line-end']) ?? line;
  if (line !== undefined && span) {
    const newlines = (to: number) => {
      let n = 0;
      for (let i = 0; i < to && i < span.text.length; i++) if (span.text.charCodeAt(i) === 10) n++;
      return n;
    };
    const first = line;
    line = first + newlines(span.start);
    lineEnd = first + newlines(Math.max(span.start, span.end - 1));
  }
  if (line === undefined) {
    // No lines (HTML, JSONL documents): character offsets into the document's text.
    const base = num(meta.start) ?? 0;
    return span ? `${file}, chars ${base + span.start}-${base + span.end}` : file;
  }
  return lineEnd !== undefined && lineEnd !== line ? `${file}:${line}-${lineEnd}` : `${file}:${line}`;
}
