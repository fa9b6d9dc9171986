/**
 * @module eval/run
 * A run in memory (`Run`: query id → scored hits) and trec_eval's ranking of it: score descending,
 * ties broken by doc id descending in byte (strcmp) order. The order of a hit list is ignored.
 */
import { InvalidArgumentError } from '../errors.js';

/** One retrieved document with its score; higher scores rank first. */
export interface RunHit {
  docId: string;
  score: number;
}

/** A run: query id → hits, in any order (ranks come from the scores). */
export type Run = Map<string, RunHit[]>;

/**
 * Compares two strings in UTF-8 byte order, which is what C's strcmp gives on trec_eval's input.
 * Same as `<` on UTF-16 code units except that astral characters (surrogate pairs) sort after
 * U+E000..U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** trec_eval's order: score descending, then doc id descending (strcmp). */
export function compareHits(a: RunHit, b: RunHit): number {
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return compareBytes(b.docId, a.docId);
}

/**
 * Returns the hits of query `qid` as trec_eval ranks them (a sorted copy). Throws
 * InvalidArgumentError on a NaN score or on a doc id retrieved twice for the query (trec_eval
 * refuses such runs with "duplicate docs").
 */
export function rankHits(qid: string, hits: readonly RunHit[]): RunHit[] {
  const seen = new Set<string>();
  for (const hit of hits) {
    if (Number.isNaN(hit.score)) {
      throw new InvalidArgumentError(`run: query "${qid}", doc "${hit.docId}": score is NaN`);
    }
    if (seen.has(hit.docId)) {
      throw new InvalidArgumentError(`run: query "${qid}": doc "${hit.docId}" retrieved twice`);
    }
    seen.add(hit.docId);
  }
  const ranked = hits.slice();
  for (let i = 1; i < ranked.length; i++) {
    if (compareHits(ranked[i - 1], ranked[i]) > 0) return ranked.sort(compareHits);
  }
  return ranked; // already in trec_eval order: skip the sort
}
