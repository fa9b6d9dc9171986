/**
 * @module funnel/neural/rerank-api
 * Rerank model `rerank-api`: a cross-encoder behind the rerank endpoint format shared by Jina,
 * Cohere v2, vLLM, llama.cpp server and TEI-compatible proxies: `POST {baseUrl}/rerank` with
 * `{model, query, documents, top_n}` → `{results: [{index, relevance_score}]}` (a bare array, or
 * `score` for `relevance_score`, are read too). Candidates are scored by the relevance score.
 *
 * Documents go in batches of `batchSize`; with one batch `top_n` is the stage's `keep` (the server
 * need not score the rest), with several every batch asks for all its scores so they can be merged
 * (cross-encoder scores do not depend on the other documents of a request).
 *
 * Options (env fallback): `baseUrl` (FUNNEL_RERANK_BASE_URL), `model` (FUNNEL_RERANK_MODEL),
 * `apiKey` (FUNNEL_RERANK_API_KEY), `batchSize` (64), `maxChars` (2000 per passage), `timeoutMs`
 * (30 000 per request), `maxRetries` (2), `retryBaseMs` (250), `maxRetryDelayMs` (10 000).
 */

import { estimateTokens } from '../../reader/budget.js';
import type { StageSpec } from '../profile.js';
import type { Candidate, ObjectRankStage, StageContext } from '../types.js';
import { callLimits, count, judgedPassages, optionSource, passageInput, ranked } from './common.js';
import { endpointFromOptions, type JsonEndpoint } from './http.js';
import { numberOption, requiredString } from './options.js';

/** Feature holding each candidate's relevance score from the cross-encoder. */
export const RERANK_FEATURE = 'rerank_relevance';

export class RerankApiStage implements ObjectRankStage {
  constructor(
    readonly spec: StageSpec,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async run(input: Candidate[], ctx: StageContext): Promise<Candidate[]> {
    const src = optionSource(this.spec, ctx, this.env);
    const baseUrl = requiredString(src, 'baseUrl', 'FUNNEL_RERANK_BASE_URL');
    const model = requiredString(src, 'model', 'FUNNEL_RERANK_MODEL');
    const batchSize = numberOption(src, 'batchSize', 64, { min: 1, max: 100_000, integer: true });
    const maxChars = numberOption(src, 'maxChars', 2000, { min: 1, integer: true });
    const endpoint = endpointFromOptions(src, 'rerank', baseUrl, 'rerank', 'FUNNEL_RERANK_API_KEY');
    if (input.length === 0) return [];

    const judged = judgedPassages(input, ctx);
    count(ctx, 'missing', judged.missing);
    const query = ctx.question.trim();
    const documents = judged.passages.map((p) => passageInput(p, maxChars));
    const single = documents.length <= batchSize;
    const limits = callLimits(this.spec, ctx);
    const scored: number[] = [];
    const scores: number[] = [];
    for (let from = 0; from < documents.length; from += batchSize) {
      const batch = documents.slice(from, from + batchSize);
      const topN = single ? Math.min(this.spec.keep, batch.length) : batch.length;
      count(ctx, 'inputs', batch.length);
      count(
        ctx,
        'tokensEstimated',
        batch.reduce((s, t) => s + estimateTokens(t) + estimateTokens(query), 0),
      );
      const answer = await endpoint.post({ model, query, documents: batch, top_n: topN }, limits);
      for (const [index, score] of this.parse(endpoint, answer, batch.length, topN)) {
        scored.push(from + index);
        scores.push(score);
      }
    }
    return ranked(
      scored.map((i) => judged.candidates[i]),
      scores,
      scores,
      RERANK_FEATURE,
      ctx,
      this.spec.keep,
    );
  }

  /** [index, score] pairs of one answer; throws naming the endpoint when it is malformed or short. */
  private parse(endpoint: JsonEndpoint, answer: unknown, n: number, topN: number): [number, number][] {
    const bad = (why: string) => endpoint.fail(`malformed answer: ${why}`, { attempts: 1 });
    const results = Array.isArray(answer) ? answer : (answer as { results?: unknown } | null)?.results;
    if (!Array.isArray(results)) throw bad('expected {"results": [{"index", "relevance_score"}]}');
    const seen = new Set<number>();
    const out: [number, number][] = [];
    for (const item of results) {
      const r = (item ?? {}) as { index?: unknown; relevance_score?: unknown; score?: unknown };
      const score = r.relevance_score ?? r.score;
      if (typeof r.index !== 'number' || !Number.isInteger(r.index) || r.index < 0 || r.index >= n) {
        throw bad(`illegal index ${JSON.stringify(r.index)} for ${n} documents`);
      }
      if (seen.has(r.index)) throw bad(`index ${r.index} repeated`);
      if (typeof score !== 'number' || !Number.isFinite(score)) {
        throw bad(`result ${r.index} has no numeric relevance_score`);
      }
      seen.add(r.index);
      out.push([r.index, score]);
    }
    if (out.length < topN) throw bad(`${out.length} results, asked for top_n=${topN}`);
    return out;
  }
}
