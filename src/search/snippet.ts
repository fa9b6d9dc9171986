/**
 * @module search/snippet
 * The best window of a document's text for a query, with matches marked. The text is analyzed the
 * same way as at index time, so a match is exactly a token the query could have hit; offsets point
 * into the original text, so the snippet quotes it verbatim.
 */

import type { Analyzer } from '../analysis/index.js';

export interface SnippetOptions {
  /** Characters of context around the best match cluster. */
  maxChars?: number;
  markers?: [string, string];
}

/** Texts longer than this are cut before analysis: a snippet never costs more than this much work. */
const MAX_SCAN_CHARS = 200_000;

export function makeSnippet(
  text: string,
  queryTerms: ReadonlySet<string>,
  analyzer: Analyzer,
  options: SnippetOptions = {},
): string {
  const maxChars = options.maxChars ?? 240;
  const [open, close] = options.markers ?? ['[', ']'];
  const scan = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  const { terms, starts, ends } = analyzer.analyze(scan, 'index');
  const spans: [number, number, string][] = [];
  for (let i = 0; i < terms.length; i++)
    if (queryTerms.has(terms[i])) spans.push([starts[i], ends[i], terms[i]]);
  if (spans.length === 0) return clip(text, 0, maxChars);
  // Best window: the most distinct matched terms within maxChars, first such window wins.
  let best = 0;
  let bestScore = -1;
  let j = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    while (j < spans.length && spans[j][1] - spans[i][0] <= maxChars) {
      counts.set(spans[j][2], (counts.get(spans[j][2]) ?? 0) + 1);
      j++;
    }
    const score = counts.size * 1000 + (j - i);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
    const c = counts.get(spans[i][2])! - 1;
    if (c === 0) counts.delete(spans[i][2]);
    else counts.set(spans[i][2], c);
  }
  const first = spans[best][0];
  // The last end of a span from `best` on that fits in the window (a loop: no spread of a long list).
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (let i = best; i < spans.length; i++)
    if (spans[i][1] - first <= maxChars) lastEnd = Math.max(lastEnd, spans[i][1]);
  const slack = Math.max(0, maxChars - (lastEnd - first));
  let from = Math.max(0, first - Math.floor(slack / 3));
  let to = Math.min(text.length, lastEnd + slack - (first - from));
  from = wordStart(text, from);
  to = wordEnd(text, to);
  // Merge overlapping match spans (CJK bigrams overlap), then mark them.
  const marks: [number, number][] = [];
  for (const [s, e] of spans) {
    if (s < from || e > to) continue;
    const last = marks[marks.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else marks.push([s, e]);
  }
  let out = from > 0 ? '…' : '';
  let pos = from;
  for (const [s, e] of marks) {
    out += text.slice(pos, s) + open + text.slice(s, e) + close;
    pos = e;
  }
  out += text.slice(pos, to);
  if (to < text.length) out += '…';
  return out.replace(/\s+/g, ' ');
}

function clip(text: string, from: number, maxChars: number): string {
  if (text.length <= maxChars) return text.replace(/\s+/g, ' ');
  return `${text.slice(from, wordEnd(text, from + maxChars)).replace(/\s+/g, ' ')}…`;
}

function wordStart(text: string, i: number): number {
  let k = i;
  while (k > 0 && k > i - 20 && /\S/.test(text[k - 1])) k--;
  return k > i - 20 ? k : i;
}

function wordEnd(text: string, i: number): number {
  let k = i;
  while (k < text.length && k < i + 20 && /\S/.test(text[k])) k++;
  return k < i + 20 ? k : i;
}
