/**
 * @module eval/run
 * A run in memory (`Run`: query id → scored hits) and trec_eval's ranking of it: score descending,
 * ties broken by doc id descending in byte (strcmp) order. The order of a hit list is ignored.
 */
import { InvalidArgumentError } from '../errors.js';
import { compareUtf8 } from '../strings.js';

/** One retrieved document with its score; higher scores rank first. */
export interface RunHit {
  docId: string;
  score: number;
}

/** A run: query id → hits, in any order (ranks come from the scores). */
export type Run = Map<string, RunHit[]>;

/** Compares two strings in UTF-8 byte order, which is what C's strcmp gives on trec_eval's input. */
export const compareBytes = compareUtf8;

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
