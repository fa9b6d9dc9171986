/**
 * @module funnel/stages/hop
 * A second retrieval hop without a model: the entities of the first round's best documents (runs
 * of capitalized words in their opening text that the question does not already name) become
 * follow-up queries, each searched together with the question at half weight; the lists are fused
 * with the first round by reciprocal rank. Made for bridge questions ("the director of film X was
 * born where?"), where the second document is named only inside the first.
 */

import type { Engine } from '../../engine.js';
import { IdColumn } from '../../search/id-column.js';
import type { Clause, Query } from '../../search/query.js';
import { type CandidateRefs, newCandidateRefs } from '../../search/searcher.js';

const ENTITY =
  /\p{Lu}[\p{L}\p{N}'’-]*(?:[ \t]+(?:(?:of|the|de|von|van|du|da|di|and|&)[ \t]+)?\p{Lu}[\p{L}\p{N}'’-]*)*/gu;
const RRF_K = 60;

export interface HopOptions {
  /** First-round documents whose entities are followed (default 3). */
  docs?: number;
  /** Entities followed per document (default 4). */
  entities?: number;
  /** Candidates kept from each follow-up query (default 100). */
  depth?: number;
  /** Weight of a follow-up list in the fusion, the first round weighing 1 (default 0.5). */
  weight?: number;
}

/** Entities of `text` (capitalized runs) not contained in `exclude` (lower case), in order of appearance. */
export function entities(text: string, exclude: string, max: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(ENTITY)) {
    const e = m[0].trim().replace(/[.'’-]+$/, '');
    const key = e.toLowerCase();
    if (e.length < 3 || seen.has(key) || exclude.includes(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length >= max) break;
  }
  return out;
}

/** The first round fused with follow-up queries built from its best documents' entities. */
export function secondHop(
  engine: Engine,
  question: string,
  query: Query,
  first: CandidateRefs,
  keep: number,
  options: HopOptions = {},
): { refs: CandidateRefs; queries: string[]; postings: number } {
  const docs = options.docs ?? 3;
  const perDoc = options.entities ?? 4;
  const depth = options.depth ?? 100;
  const weight = options.weight ?? 0.5;
  const lower = question.toLowerCase();
  const lists: { refs: CandidateRefs; weight: number }[] = [{ refs: first, weight: 1 }];
  const queries: string[] = [];
  let postings = 0;
  const questionClauses: Clause[] = query.clauses
    .filter((c) => c.occur !== 'mustNot')
    .map((c) => ({ ...c, occur: 'should', weight: c.weight * 0.5 }));
  for (let i = 0; i < Math.min(docs, first.ids.length); i++) {
    const doc = engine.documentAt(first.shards[i], first.seqs[i], first.docs[i]);
    if (!doc) continue;
    const found = entities(`${doc.title}. ${doc.text.slice(0, 1500)}`, lower, perDoc * 4)
      .map((entity) => ({ entity, terms: engine.analyzer.terms(entity) }))
      .filter((x) => x.terms.length > 0) // "It", "The": stop words, not entities
      .slice(0, perDoc);
    for (const { entity, terms } of found) {
      const clauses: Clause[] = [
        { terms, offsets: terms.map((_, k) => k), field: null, occur: 'should', weight: 1 },
        ...terms.map((t): Clause => ({ terms: [t], offsets: [0], field: null, occur: 'should', weight: 1 })),
        ...questionClauses,
      ];
      const r = engine.retrieve({ clauses, filters: query.filters }, depth);
      postings += r.work.postings;
      queries.push(entity);
      lists.push({ refs: r.refs, weight });
    }
  }
  return { refs: fuse(lists, keep), queries, postings };
}

/** Reciprocal-rank fusion of ranked lists; ties by id. */
function fuse(lists: readonly { refs: CandidateRefs; weight: number }[], keep: number): CandidateRefs {
  const byId = new Map<string, { score: number; shard: number; seq: number; doc: number }>();
  for (const { refs, weight } of lists) {
    for (let r = 0; r < refs.ids.length; r++) {
      const id = refs.ids.at(r);
      const add = weight / (RRF_K + r + 1);
      const e = byId.get(id);
      if (e) e.score += add;
      else byId.set(id, { score: add, shard: refs.shards[r], seq: refs.seqs[r], doc: refs.docs[r] });
    }
  }
  const ranked = [...byId].sort(
    (a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const top = ranked.slice(0, keep);
  const out = newCandidateRefs(IdColumn.of(top.map(([id]) => id)));
  top.forEach(([, e], i) => {
    out.scores[i] = e.score;
    out.shards[i] = e.shard;
    out.seqs[i] = e.seq;
    out.docs[i] = e.doc;
  });
  return out;
}
