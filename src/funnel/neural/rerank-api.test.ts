import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine.js';
import { validateProfile } from '../profile.js';
import { runFunnel } from '../runner.js';
import { RerankApiStage } from './rerank-api.js';
import {
  type JsonReply,
  type JsonRequest,
  type JsonServer,
  rerankSpec,
  retrieved,
  stageContext,
  startJsonServer,
  useFixtureIndex,
} from './testing/fixture.js';

interface RerankBody {
  model: string;
  query: string;
  documents: string[];
  top_n: number;
}

/** A fake cross-encoder: cafes first, then bridges, then the rest. */
function relevance(text: string): number {
  return /cafe/i.test(text) ? 0.9 : /bridge/i.test(text) ? 0.5 : 0.01;
}

/** The rerank protocol: the top_n results, best first, as Cohere and Jina send them. */
function rerank(request: JsonRequest): JsonReply {
  const { documents, top_n } = request.body as RerankBody;
  const results = documents
    .map((d, index) => ({ index, relevance_score: relevance(d) }))
    .sort((a, b) => b.relevance_score - a.relevance_score)
    .slice(0, top_n);
  return { json: { id: 'r1', results, usage: { total_tokens: 42 } } };
}

const QUESTION = 'where can I drink coffee';
const BROAD = 'tower bridge cafe paris';

let engine: Engine;
let server: JsonServer | undefined;

useFixtureIndex(
  (e) => {
    engine = e;
  },
  () => server,
);

describe('rerank-api', () => {
  it('reorders as the relevance scores say, keeping earlier scores and features', async () => {
    server = await startJsonServer(rerank);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec(
      'rerank-api',
      { baseUrl: `${server.baseUrl}/`, model: 'bge-reranker', apiKey: 'jina_x' },
      2,
    );
    const ctx = stageContext(engine, QUESTION, spec);
    const out = await new RerankApiStage(spec, {}).run(input, ctx);
    expect(out.map((c) => c.id)).toEqual(['cafe', 'bridge']);
    expect(out.map((c) => c.score)).toEqual([0.9, 0.5]);
    for (const c of out) {
      expect(Object.keys(c.scores)).toEqual(['1:bm25', '2:rerank-api']);
      expect(c.features).toMatchObject({ bm25: c.scores['1:bm25'], rerank_relevance: c.score });
    }
    expect(server.requests).toHaveLength(1);
    const seen = server.requests[0];
    expect(seen.path).toBe('/v1/rerank');
    expect(seen.headers.authorization).toBe('Bearer jina_x');
    const body = seen.body as RerankBody;
    expect(body).toMatchObject({ model: 'bge-reranker', query: QUESTION, top_n: 2 });
    expect(body.documents).toHaveLength(4);
    expect(body.documents.some((d) => d.startsWith('Paris cafes\nParis has many cafes'))).toBe(true);
    expect(ctx.trace.work).toMatchObject({ requests: 1, inputs: 4 });
  });

  it('merges batches, asking each for all its scores', async () => {
    server = await startJsonServer(rerank);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('rerank-api', { baseUrl: server.baseUrl, model: 'm', batchSize: 3 }, 4);
    const ctx = stageContext(engine, QUESTION, spec);
    const out = await new RerankApiStage(spec, {}).run(input, ctx);
    expect(out.map((c) => c.id).slice(0, 2)).toEqual(['cafe', 'bridge']);
    expect(out).toHaveLength(4);
    expect(
      server.requests.map((r) => [(r.body as RerankBody).documents.length, (r.body as RerankBody).top_n]),
    ).toEqual([
      [3, 3],
      [1, 1],
    ]);
  });

  it('reads bare-array answers with `score`, and rejects short ones', async () => {
    server = await startJsonServer((r) => {
      const { documents } = r.body as RerankBody;
      return { json: documents.map((d, index) => ({ index, score: relevance(d) })) };
    });
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('rerank-api', { baseUrl: server.baseUrl, model: 'm' }, 1);
    const out = await new RerankApiStage(spec, {}).run(input, stageContext(engine, QUESTION, spec));
    expect(out.map((c) => c.id)).toEqual(['cafe']);
    await server.close();
    server = await startJsonServer(() => ({ json: { results: [{ index: 0, relevance_score: 1 }] } }));
    const wide = rerankSpec('rerank-api', { baseUrl: server.baseUrl, model: 'm' }, 3);
    await expect(
      new RerankApiStage(wide, {}).run(input, stageContext(engine, QUESTION, wide)),
    ).rejects.toThrow(
      /^rerank http:\/\/127\.0\.0\.1:\d+\/v1\/rerank: malformed answer: 1 results, asked for top_n=3/,
    );
  });

  it('takes its settings from the environment', async () => {
    server = await startJsonServer(rerank);
    const spec = rerankSpec('rerank-api', {}, 1);
    const env = {
      FUNNEL_RERANK_BASE_URL: server.baseUrl,
      FUNNEL_RERANK_MODEL: 'env-rr',
      FUNNEL_RERANK_API_KEY: 'k2',
    };
    const out = await new RerankApiStage(spec, env).run(
      retrieved(engine, BROAD),
      stageContext(engine, QUESTION, spec),
    );
    expect(out.map((c) => c.id)).toEqual(['cafe']);
    expect((server.requests[0].body as RerankBody).model).toBe('env-rr');
    expect(server.requests[0].headers.authorization).toBe('Bearer k2');
    await expect(
      new RerankApiStage(spec, {}).run(retrieved(engine, BROAD), stageContext(engine, QUESTION, spec)),
    ).rejects.toThrow(/no baseUrl: set options.baseUrl or FUNNEL_RERANK_BASE_URL/);
  });

  it('retries a 429 after the Retry-After wait', async () => {
    server = await startJsonServer((r, i) =>
      i === 0
        ? { status: 429, json: { message: 'rate limited' }, headers: { 'retry-after': '0' } }
        : rerank(r),
    );
    const spec = rerankSpec('rerank-api', { baseUrl: server.baseUrl, model: 'm', retryBaseMs: 5_000 }, 2);
    const ctx = stageContext(engine, QUESTION, spec);
    const t0 = performance.now();
    const out = await new RerankApiStage(spec, {}).run(retrieved(engine, BROAD), ctx);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(out.map((c) => c.id)).toEqual(['cafe', 'bridge']);
    expect(ctx.trace.work).toMatchObject({ requests: 2, retries: 1 });
  });

  it('a 500 in the funnel marks the stage failed and passes the previous order on', async () => {
    server = await startJsonServer(() => ({ status: 500, json: { detail: 'CUDA out of memory' } }));
    const profile = validateProfile(
      {
        stages: [
          { kind: 'retrieve', model: 'bm25', keep: 4 },
          {
            kind: 'rerank',
            model: 'rerank-api',
            keep: 3,
            options: { baseUrl: server.baseUrl, model: 'm', maxRetries: 0 },
          },
        ],
      },
      'rerank-api-test',
    );
    const r = await runFunnel(engine, profile, BROAD);
    expect(r.trace[1]).toMatchObject({ stage: '2:rerank-api', status: 'failed', out: 3 });
    expect(r.trace[1].error).toMatch(
      /^rerank http:\/\/127\.0\.0\.1:\d+\/v1\/rerank: HTTP 500 Internal Server Error: CUDA out of memory$/,
    );
    expect(r.hits.map((h) => h.id)).toEqual(retrieved(engine, BROAD, 3).map((c) => c.id));
    expect(r.hits.every((h) => Object.keys(h.scores).join() === '1:bm25')).toBe(true);
  });
});
