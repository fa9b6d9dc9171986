/**
 * @module funnel/stages/retrieve
 * Stage 1 over the whole index: BM25F, optionally with the query expanded (inflections, WordNet
 * synonyms, embedding neighbours, weighted below the original words) and/or pseudo-relevance
 * feedback (RM3: terms of the first pass's top documents, weighted by how much they carry).
 */

import type { Analyzer } from '../../analysis/index.js';
import type { Engine } from '../../engine.js';
import {
  type Embeddings,
  expandQuery,
  loadEmbeddings,
  loadWordNet,
  type WordNet,
} from '../../expand/index.js';
import { idf as bm25Idf } from '../../search/bm25.js';
import type { Clause, Query } from '../../search/query.js';
import { type CandidateRefs, Carry, type SearchWork } from '../../search/searcher.js';
import { CandidateSet } from '../candidate-set.js';
import type { StageSpec } from '../profile.js';
import type { RankStage, StageContext } from '../types.js';
import { secondHop } from './hop.js';

export interface Resources {
  wordnet?: WordNet;
  embeddings?: Embeddings;
}

let shared: Promise<Resources> | null = null;

/** WordNet and the word vectors, loaded once per process (built into the cache on first use). */
export function expansionResources(): Promise<Resources> {
  shared ??= Promise.all([
    loadWordNet().catch(() => undefined),
    loadEmbeddings().catch(() => undefined),
  ]).then(([wordnet, embeddings]) => ({ wordnet, embeddings }));
  return shared;
}

/** Query clauses for the expansion terms of the question's plain words. */
export function expansionClauses(
  query: Query,
  analyzer: Analyzer,
  resources: Resources,
  options: { maxTerms?: number; weight?: number } = {},
): { clauses: Clause[]; terms: { word: string; weight: number; source: string }[] } {
  const words = query.clauses
    .filter((c) => c.occur !== 'mustNot' && c.field === null && c.terms.length === 1)
    .flatMap((c) => (c.surface ? [c.surface] : []));
  if (words.length === 0) return { clauses: [], terms: [] };
  const present = new Set(query.clauses.flatMap((c) => c.terms));
  const expanded = expandQuery(words, { ...resources, analyzer, maxTerms: options.maxTerms ?? 50 });
  const scale = options.weight ?? 1;
  const clauses: Clause[] = [];
  const terms: { word: string; weight: number; source: string }[] = [];
  for (const e of expanded) {
    if (e.source === 'original') continue;
    const analyzed = analyzer.terms(e.word);
    if (analyzed.length === 0 || analyzed.every((t) => present.has(t))) continue;
    for (const t of analyzed) present.add(t);
    const weight = (e.weight * scale) / analyzed.length;
    for (const t of analyzed)
      clauses.push({ terms: [t], offsets: [0], field: null, occur: 'should', weight });
    terms.push({ word: e.word, weight: e.weight * scale, source: e.source });
  }
  return { clauses, terms };
}

/** RM3-style feedback clauses from the top `docs` documents of a first pass. */
export function feedbackClauses(
  engine: Engine,
  query: Query,
  options: { docs?: number; terms?: number; weight?: number; maxDf?: number; carry?: Carry } = {},
): { clauses: Clause[]; terms: { term: string; weight: number }[]; postings: number } {
  const fbDocs = options.docs ?? 10;
  const fbTerms = options.terms ?? 20;
  const first = engine.retrieve(query, fbDocs, options.carry && { carry: options.carry, mode: 'keep' });
  const present = new Set(query.clauses.flatMap((c) => c.terms));
  const weights = new Map<string, number>();
  const maxScore = first.refs.scores[0] ?? 1;
  for (let i = 0; i < first.refs.ids.length; i++) {
    const doc = engine.documentAt(first.refs.shards[i], first.refs.seqs[i], first.refs.docs[i]);
    if (!doc) continue;
    // Counted as the analyzer emits them: no arrays of terms and offsets per document.
    const counts = new Map<string, number>();
    let total = 0;
    engine.analyzer.forEachToken(`${doc.title}\n${doc.text.slice(0, 20_000)}`, (t) => {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      total++;
    });
    if (total === 0) continue;
    const docWeight = Math.exp(first.refs.scores[i] - maxScore);
    for (const [t, c] of counts) weights.set(t, (weights.get(t) ?? 0) + (docWeight * c) / total);
  }
  // Prefer terms that are rare in the collection: a feedback term found everywhere adds nothing.
  const kept = [...weights].filter(([t]) => !present.has(t) && t.length > 1).sort((a, b) => b[1] - a[1]);
  // By weight, heaviest first: once weight × the largest possible idf cannot beat the fbTerms-th
  // best score, no later term can, so the rest need no dictionary lookups (thousands per query).
  const { idf, max, docCount } = engine.idfLookup();
  // A term in more than `maxDf` of the documents is all but a stop word here: little weight, and
  // the most postings to score (most of a feedback pass's work on a large index).
  const maxDf = options.maxDf ?? 1;
  const minIdf = maxDf < 1 ? bm25Idf(docCount, maxDf * docCount) : 0;
  const scored: (readonly [string, number])[] = [];
  const best: number[] = []; // the fbTerms best scores so far, descending
  for (const [t, w] of kept) {
    if (best.length >= fbTerms && w * max < best[fbTerms - 1]) break;
    const termIdf = idf(t);
    if (termIdf < minIdf) continue;
    const s = w * termIdf;
    scored.push([t, s]);
    let i = best.length;
    while (i > 0 && best[i - 1] < s) i--;
    best.splice(i, 0, s);
    if (best.length > fbTerms) best.pop();
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  scored.length = Math.min(scored.length, fbTerms);
  const top = scored[0]?.[1] ?? 1;
  const scale = options.weight ?? 0.5;
  const terms = scored.map(([term, w]) => ({ term, weight: (scale * w) / top }));
  const clauses: Clause[] = terms.map(({ term, weight }) => ({
    terms: [term],
    offsets: [0],
    field: null,
    occur: 'should',
    weight,
  }));
  return { clauses, terms, postings: first.work.postings };
}

export class RetrieveStage implements RankStage {
  constructor(readonly spec: StageSpec) {}

  async run(_input: CandidateSet, ctx: StageContext): Promise<CandidateSet> {
    const { engine } = ctx;
    const o = this.spec.options;
    let query = ctx.query;
    const notes: Record<string, unknown> = {};
    if (this.spec.model.includes('expand')) {
      const resources = await expansionResources();
      const { clauses, terms } = expansionClauses(query, engine.analyzer, resources, {
        maxTerms: num(o.maxTerms, 50),
        weight: num(o.expandWeight, 0.3),
      });
      query = { ...query, clauses: [...query.clauses, ...clauses] };
      notes.expansion = terms;
      notes.resources = { wordnet: Boolean(resources.wordnet), embeddings: Boolean(resources.embeddings) };
    }
    // Feedback's first pass keeps its scores; the second pass adds only the feedback clauses.
    const carry = this.spec.model.includes('prf') ? new Carry() : null;
    const from = query.clauses.length;
    let refs: CandidateRefs;
    let work: SearchWork;
    try {
      if (carry) {
        const fb = feedbackClauses(engine, query, {
          docs: num(o.feedbackDocs, 10),
          terms: num(o.feedbackTerms, 20),
          weight: num(o.feedbackWeight, 0.5),
          maxDf: num(o.feedbackMaxDf, 1),
          carry,
        });
        query = { ...query, clauses: [...query.clauses, ...fb.clauses] };
        notes.feedback = fb.terms;
        ctx.trace.work.feedbackPostings = fb.postings;
      }
      ctx.query = query;
      const use = carry ? ({ carry, mode: 'resume', from } as const) : undefined;
      ({ refs, work } = engine.retrieve(query, this.spec.keep, use));
    } finally {
      carry?.release();
    }
    if (this.spec.model.includes('hop')) {
      const hop = secondHop(engine, ctx.question, query, refs, this.spec.keep, {
        docs: num(o.hopDocs, 3),
        entities: num(o.hopEntities, 4),
        depth: num(o.hopDepth, 100),
        weight: num(o.hopWeight, 0.5),
      });
      refs = hop.refs;
      work = { ...work, postings: work.postings + hop.postings };
      notes.hop = hop.queries;
      ctx.trace.work.hopQueries = hop.queries.length;
    }
    ctx.trace.work.postings = work.postings;
    ctx.trace.work.matched = work.matched;
    ctx.trace.work.clauses = query.clauses.length;
    ctx.trace.notes = notes;
    // Fused by rank with a second hop, the scores are no longer the query's BM25.
    const fused = this.spec.model.includes('hop');
    return CandidateSet.fromRefs(refs, ctx.trace.stage, fused ? undefined : query);
  }
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
