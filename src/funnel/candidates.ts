/**
 * @module funnel/candidates
 * Candidates ↔ the column form the engine speaks (`CandidateRefs`): stage 1 turns the engine's
 * columns into candidates, stage 2 hands candidates back as columns to read their features.
 */

import { type CandidateRefs, newCandidateRefs } from '../search/searcher.js';
import type { Candidate } from './types.js';

/** Candidates from columns; with `label`, each records its score under that stage label. */
export function candidatesFromRefs(refs: CandidateRefs, label?: string): Candidate[] {
  const out: Candidate[] = new Array(refs.ids.length);
  for (let i = 0; i < refs.ids.length; i++) {
    const score = refs.scores[i];
    out[i] = {
      id: refs.ids[i],
      shard: refs.shards[i],
      seq: refs.seqs[i],
      doc: refs.docs[i],
      score,
      scores: label === undefined ? {} : { [label]: score },
      features: {},
    };
  }
  return out;
}

/** Candidates as the columns `Engine.features` reads. */
export function candidateRefs(input: readonly Candidate[]): CandidateRefs {
  const refs = newCandidateRefs(input.length);
  input.forEach((c, i) => {
    refs.ids[i] = c.id;
    refs.scores[i] = c.score;
    refs.shards[i] = c.shard;
    refs.seqs[i] = c.seq;
    refs.docs[i] = c.doc;
  });
  return refs;
}
