/**
 * @module funnel/passages
 * Turns ranked candidates into reader passages: a short document whole, a long one as the window
 * of about {@link WINDOW_CHARS} characters that holds the most query terms, with its offset in the
 * document so citations point back to the exact place.
 */

import type { Analyzer } from '../analysis/index.js';
import type { Engine } from '../engine.js';
import type { Passage } from '../reader/types.js';
import type { Candidate } from './types.js';

export const WINDOW_CHARS = 1500;

/** The window of `text` (start, end) with the most tokens among `terms`, snapped to whitespace. */
export function bestWindow(
  text: string,
  terms: ReadonlySet<string>,
  analyzer: Analyzer,
  size = WINDOW_CHARS,
): [number, number] {
  if (text.length <= size) return [0, text.length];
  const a = analyzer.analyze(text, 'index');
  const hits: number[] = [];
  for (let i = 0; i < a.terms.length; i++) if (terms.has(a.terms[i])) hits.push(a.starts[i]);
  let bestStart = 0;
  let bestCount = 0;
  let j = 0;
  for (let i = 0; i < hits.length; i++) {
    while (hits[j] < hits[i] - size + 200) j++;
    if (i - j + 1 > bestCount) {
      bestCount = i - j + 1;
      bestStart = Math.max(0, hits[j] - 200);
    }
  }
  let start = bestStart;
  while (start > 0 && start > bestStart - 100 && !/\s/.test(text[start - 1])) start--;
  let end = Math.min(text.length, start + size);
  while (end < text.length && end < start + size + 100 && !/\s/.test(text[end])) end++;
  return [start, end];
}

/** Passages for the top `max` candidates, numbered from 1. */
export function toPassages(
  engine: Engine,
  candidates: readonly Candidate[],
  terms: ReadonlySet<string>,
  max: number,
): Passage[] {
  const out: Passage[] = [];
  for (const c of candidates) {
    if (out.length >= max) break;
    const doc = engine.documentAt(c.shard, c.seq, c.doc);
    if (!doc) continue;
    const [start, end] = bestWindow(doc.text, terms, engine.analyzer);
    const source = typeof doc.meta.path === 'string' ? doc.meta.path : undefined;
    out.push({
      n: out.length + 1,
      docId: doc.id,
      title: doc.title,
      text: doc.text.slice(start, end),
      offset: start,
      source,
    });
  }
  return out;
}
