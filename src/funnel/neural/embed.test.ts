import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine.js';
import { validateProfile } from '../profile.js';
import { runFunnel } from '../runner.js';
import { cosine, EmbedStage } from './embed.js';
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

/** A fake embedding: an axis for "bridge", one for "cafe", and a small constant. */
function vector(text: string): number[] {
  return [/bridge/i.test(text) ? 1 : 0, /cafe/i.test(text) ? 0.5 : 0, 0.1];
}

/** The embeddings protocol, answering in reverse order to test that `index` is honoured. */
function embeddings(request: JsonRequest): JsonReply {
  const { input } = request.body as { input: string[] };
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vector(text) }));
  return { json: { object: 'list', data: data.reverse(), usage: { prompt_tokens: 7, total_tokens: 7 } } };
}

const QUESTION = 'which bridge opened in 1937';
const BROAD = 'tower bridge cafe paris';

let engine: Engine;
let server: JsonServer | undefined;

useFixtureIndex(
  (e) => {
    engine = e;
  },
  () => server,
);

describe('embed', () => {
  it('reorders by cosine, in batches, keeping earlier scores and features', async () => {
    server = await startJsonServer(embeddings);
    const input = retrieved(engine, BROAD);
    expect(input.map((c) => c.id).sort()).toEqual(['bridge', 'cafe', 'hostile', 'tower']);
    const spec = rerankSpec(
      'embed',
      { baseUrl: server.baseUrl, model: 'mini', apiKey: 'sk-test', batchSize: 2 },
      3,
    );
    const ctx = stageContext(engine, QUESTION, spec);
    const out = await new EmbedStage(spec, {}).run(input, ctx);
    // bridge ≈ 1; tower and hostile share the constant axis (tie → id order); cafe is furthest.
    expect(out.map((c) => c.id)).toEqual(['bridge', 'hostile', 'tower']);
    for (const c of out) {
      expect(Object.keys(c.scores)).toEqual(['1:bm25', '2:embed']);
      expect(c.scores['2:embed']).toBe(c.score);
      expect(c.features.bm25).toBe(c.scores['1:bm25']);
      expect(c.features.embed_cosine).toBeCloseTo(c.score);
    }
    expect(out[0].score).toBeCloseTo(1);
    const bodies = server.requests.map((r) => r.body as { model: string; input: string[] });
    expect(bodies.map((b) => b.input.length)).toEqual([2, 2, 1]);
    expect(bodies[0].model).toBe('mini');
    expect(bodies[0].input[0]).toBe(QUESTION);
    expect(
      bodies.flatMap((b) => b.input).some((t) => t.startsWith('Golden Gate\nThe Golden Gate Bridge')),
    ).toBe(true);
    expect(server.requests.every((r) => r.path === '/v1/embeddings')).toBe(true);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(ctx.trace.work).toMatchObject({ requests: 3, inputs: 5, tokensReported: 21, missing: 0 });
    expect(ctx.trace.work.tokensEstimated).toBeGreaterThan(20);
  });

  it('interpolates with the previous normalised score', async () => {
    server = await startJsonServer(embeddings);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('embed', { baseUrl: server.baseUrl, model: 'mini', interpolate: 1 });
    const out = await new EmbedStage(spec, {}).run(input, stageContext(engine, QUESTION, spec));
    expect(out.map((c) => c.id)).toEqual(input.map((c) => c.id));
    expect(out[0].score).toBe(1);
    expect(out.at(-1)!.score).toBe(0);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });

  it('takes its settings from the environment, and names what is missing', async () => {
    server = await startJsonServer(embeddings);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('embed', {});
    const env = {
      FUNNEL_EMBED_BASE_URL: server.baseUrl,
      FUNNEL_EMBED_MODEL: 'env-model',
      FUNNEL_EMBED_API_KEY: 'k1',
    };
    const out = await new EmbedStage(spec, env).run(input, stageContext(engine, QUESTION, spec));
    expect(out[0].id).toBe('bridge');
    expect((server.requests[0].body as { model: string }).model).toBe('env-model');
    expect(server.requests[0].headers.authorization).toBe('Bearer k1');
    await expect(new EmbedStage(spec, {}).run(input, stageContext(engine, QUESTION, spec))).rejects.toThrow(
      /2:embed: no baseUrl: set options.baseUrl or FUNNEL_EMBED_BASE_URL/,
    );
    const bad = rerankSpec('embed', { baseUrl: server.baseUrl, model: 'm', batchSize: 0 });
    await expect(new EmbedStage(bad, {}).run(input, stageContext(engine, QUESTION, bad))).rejects.toThrow(
      /illegal option batchSize=0/,
    );
  });

  it('retries a 429 after the Retry-After wait', async () => {
    server = await startJsonServer((r, i) =>
      i === 0
        ? { status: 429, json: { error: { message: 'slow down' } }, headers: { 'retry-after': '0.05' } }
        : embeddings(r),
    );
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('embed', { baseUrl: server.baseUrl, model: 'mini', retryBaseMs: 5_000 });
    const ctx = stageContext(engine, QUESTION, spec);
    const t0 = performance.now();
    const out = await new EmbedStage(spec, {}).run(input, ctx);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(out[0].id).toBe('bridge');
    expect(ctx.trace.work).toMatchObject({ requests: 2, retries: 1 });
  });

  it('does not wait past its budget for a retry', async () => {
    server = await startJsonServer(() => ({ status: 503, json: {}, headers: { 'retry-after': '60' } }));
    const spec = rerankSpec('embed', { baseUrl: server.baseUrl, model: 'mini' }, 10, 1_000);
    const t0 = performance.now();
    await expect(
      new EmbedStage(spec, {}).run(retrieved(engine, BROAD), stageContext(engine, QUESTION, spec)),
    ).rejects.toThrow(/HTTP 503.*not retried: waiting 10000 ms would pass the stage's budget/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('rejects a malformed answer naming the endpoint', async () => {
    server = await startJsonServer(() => ({ json: { data: [{ index: 0, embedding: 'x' }] } }));
    const spec = rerankSpec('embed', { baseUrl: server.baseUrl, model: 'mini' });
    await expect(
      new EmbedStage(spec, {}).run(retrieved(engine, BROAD), stageContext(engine, QUESTION, spec)),
    ).rejects.toThrow(
      /^embeddings http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: malformed answer: 1 embeddings for 5/,
    );
  });

  describe('in the funnel', () => {
    const profile = (rerank: Record<string, unknown>) =>
      validateProfile(
        {
          stages: [
            { kind: 'retrieve', model: 'bm25', keep: 4 },
            { kind: 'rerank', model: 'embed', keep: 2, ...rerank },
          ],
        },
        'embed-test',
      );

    it('reranks the retrieved candidates', async () => {
      server = await startJsonServer(embeddings);
      const r = await runFunnel(
        engine,
        profile({ options: { baseUrl: server.baseUrl, model: 'mini' } }),
        BROAD,
      );
      expect(r.trace.map((t) => t.status)).toEqual(['ok', 'ok']);
      expect(r.hits.map((h) => Object.keys(h.scores))).toEqual([
        ['1:bm25', '2:embed'],
        ['1:bm25', '2:embed'],
      ]);
      expect(r.trace[1].work.requests).toBe(1);
    });

    it('a 500 marks the stage failed and passes the previous order on, never showing the key', async () => {
      server = await startJsonServer((r) => ({
        status: 500,
        json: { error: { message: `model crashed; your key was ${r.headers.authorization}` } },
      }));
      const options = { baseUrl: server.baseUrl, model: 'mini', apiKey: 'sk-secret-123', retryBaseMs: 1 };
      const r = await runFunnel(engine, profile({ options }), BROAD);
      expect(r.trace[1].status).toBe('failed');
      expect(r.trace[1].error).toMatch(
        /^embeddings http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: HTTP 500 Internal Server Error: model crashed/,
      );
      expect(r.trace[1].error).toMatch(/after 3 attempts/);
      expect(r.trace[1].error).not.toContain('sk-secret-123');
      expect(server.requests).toHaveLength(3);
      expect(r.hits.map((h) => h.id)).toEqual(retrieved(engine, BROAD, 2).map((c) => c.id));
      expect(r.hits.map((h) => Object.keys(h.scores))).toEqual([['1:bm25'], ['1:bm25']]);
      const unset = await runFunnel(engine, profile({ options: { baseUrl: server.baseUrl } }), BROAD);
      expect(unset.trace[1]).toMatchObject({ status: 'failed', error: expect.stringMatching(/no model/) });
      expect(unset.hits.map((h) => h.id)).toEqual(r.hits.map((h) => h.id));
    });

    it('runs over its budget against a server that hangs, and says so', async () => {
      server = await startJsonServer(() => 'hang');
      const t0 = performance.now();
      const r = await runFunnel(
        engine,
        profile({ budgetMs: 200, options: { baseUrl: server.baseUrl, model: 'mini' } }),
        BROAD,
      );
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(r.trace[1].status).toBe('over budget');
      expect(r.hits).toHaveLength(2);
    });
  });
});
