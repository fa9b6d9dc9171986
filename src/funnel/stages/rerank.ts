/**
 * @module funnel/stages/rerank
 * Stage 2: features of every candidate (per-field BM25, expansion matches, coverage, proximity,
 * ordered pairs, length, best window; see search/features) scored by the learned linear ranker.
 * Features are kept on each candidate for later stages and `explain`.
 */

import { FEATURES, type FeatureTerm } from '../../search/features.js';
import type { Query } from '../../search/query.js';
import type { CandidateSet } from '../candidate-set.js';
import { type LinearModel, readModel, scoreRows } from '../ltr-model.js';
import type { StageSpec } from '../profile.js';
import { SEMANTIC_FEATURES, semanticFeatures } from '../semantic.js';
import type { RankStage, StageContext } from '../types.js';
import { expansionResources } from './retrieve.js';

/**
 * Feature terms of a query: its plain terms as originals, clauses marked as expansions as such. A
 * word the question repeats weighs as often as it occurs, as in the first stage's score (one clause
 * per occurrence).
 */
export function featureTerms(original: Query, expanded: Query): FeatureTerm[] {
  const out = new Map<string, FeatureTerm>();
  for (const c of original.clauses) {
    if (c.occur === 'mustNot') continue;
    for (const term of c.terms) {
      const seen = out.get(term);
      if (!seen) out.set(term, { term, weight: c.weight, original: true });
      else if (c.terms.length === 1) seen.weight += c.weight;
    }
  }
  for (const c of expanded.clauses) {
    if (c.occur === 'mustNot' || c.terms.length !== 1 || out.has(c.terms[0])) continue;
    out.set(c.terms[0], { term: c.terms[0], weight: c.weight, original: false });
  }
  return [...out.values()];
}

/** Appends the semantic columns to a lexical feature matrix. */
export function withSemantic(
  names: readonly string[],
  values: Float64Array,
  semantic: Float64Array,
): { names: string[]; values: Float64Array } {
  const F = names.length;
  const S = SEMANTIC_FEATURES.length;
  const n = values.length / F;
  const out = new Float64Array(n * (F + S));
  for (let i = 0; i < n; i++) {
    out.set(values.subarray(i * F, i * F + F), i * (F + S));
    out.set(semantic.subarray(i * S, i * S + S), i * (F + S) + F);
  }
  return { names: [...names, ...SEMANTIC_FEATURES], values: out };
}

/** The feature matrix of the last rerank, reused: 2.6 MB of fresh memory per query is slow. */
let matrix = new Float64Array(0);

function sharedMatrix(size: number): Float64Array {
  if (matrix.length < size) matrix = new Float64Array(Math.max(size, 2 * matrix.length));
  return matrix.subarray(0, size);
}

export class RerankStage implements RankStage {
  private model: LinearModel | null = null;

  constructor(readonly spec: StageSpec) {}

  async run(input: CandidateSet, ctx: StageContext): Promise<CandidateSet> {
    const file = this.spec.options.modelFile;
    this.model ??= readModel(typeof file === 'string' ? file : undefined);
    const refs = input.refs();
    const terms = featureTerms(ctx.original, ctx.query);
    const semantic = this.model.features.some((f) => (SEMANTIC_FEATURES as readonly string[]).includes(f));
    // Without word vectors to load, the matrix is read before this function yields: the shared
    // buffer cannot be overwritten by another query meanwhile (rank() copies the kept rows).
    const into = semantic ? undefined : sharedMatrix(input.length * FEATURES.length);
    const m = ctx.engine.features(refs, terms, { fromScores: input.bm25Of === ctx.query, into });
    ctx.trace.work.featuresComputed = m.values.length;
    ctx.trace.work.postings = m.work.postings;
    ctx.trace.work.positions = m.work.positions;
    let names: readonly string[] = m.names;
    let values = m.values;
    if (semantic) {
      const { embeddings } = await expansionResources();
      if (!embeddings) throw new Error('the ranker model needs word vectors, and they could not be loaded');
      ({ names, values } = withSemantic(
        m.names,
        m.values,
        semanticFeatures(ctx.engine, refs, ctx.question, embeddings),
      ));
      ctx.trace.work.documentsRead = input.length;
    }
    const scores = new Float64Array(input.length);
    scoreRows(this.model, names, values, scores);
    return input.rank(ctx.trace.stage, scores, this.spec.keep, { names, values });
  }
}
