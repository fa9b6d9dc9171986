import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.js';
import type { Engine } from '../../engine.js';
import { validateProfile } from '../profile.js';
import { runFunnel } from '../runner.js';
import { OnnxEmbedStage, OnnxRerankStage, relevance } from './onnx.js';
import { rerankSpec, retrieved, stageContext, useFixtureIndex } from './testing/fixture.js';
import { writeTinyEmbedder, writeTinyReranker } from './testing/tiny-onnx.js';

let engine: Engine;
useFixtureIndex(
  (e) => {
    engine = e;
  },
  () => undefined,
);

const BROAD = 'tower bridge cafe paris';
let reranker: string;
let embedder: string;

beforeAll(() => {
  const dir = tempDir();
  reranker = path.join(dir, 'tiny-reranker');
  embedder = path.join(dir, 'tiny-embedder');
  // The "cross-encoder" likes coffee and cafes, and bridges a little.
  writeTinyReranker(reranker, { coffee: 2, cafe: 1, bridge: 0.5, tower: 0 });
  writeTinyEmbedder(embedder, ['bridge', 'opened', 'golden', 'gate', 'tower', 'paris', 'cafe']);
});

describe('onnx-rerank (a local cross-encoder through transformers.js)', () => {
  it('scores each (question, passage) pair with the model, in batches, keeping earlier scores', async () => {
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('onnx-rerank', { modelDir: reranker, batchSize: 3 }, 3);
    const ctx = stageContext(engine, 'where is a cafe', spec);
    const out = await new OnnxRerankStage(spec, {}).run(input, ctx);
    // cafe: "cafes" is [UNK] to this vocabulary, "cafe" once, "coffee" once: 1 + 2 (+1 in the question).
    expect(out.map((c) => c.id)).toEqual(['cafe', 'bridge', 'hostile']);
    expect(out[0].features.onnx_relevance).toBeCloseTo(4);
    expect(out[1].features.onnx_relevance).toBeCloseTo(1.5);
    for (const c of out) expect(Object.keys(c.scores)).toEqual(['1:bm25', '2:onnx-rerank']);
    expect(ctx.trace.work.inputs).toBe(4);
    expect(ctx.trace.work.tokens).toBeGreaterThan(40);
  });

  it('is a stage of a profile, reading FUNNEL_ONNX_RERANK_MODEL', async () => {
    const saved = process.env.FUNNEL_ONNX_RERANK_MODEL;
    process.env.FUNNEL_ONNX_RERANK_MODEL = reranker;
    try {
      const p = validateProfile(
        {
          stages: [
            { kind: 'retrieve', model: 'bm25', keep: 10 },
            { kind: 'rerank', model: 'onnx-rerank', keep: 2 },
          ],
        },
        'local-onnx',
      );
      const r = await runFunnel(engine, p, 'cafe coffee bridge');
      expect(r.trace[1].status).toBe('ok');
      expect(r.hits.map((h) => h.id)).toEqual(['cafe', 'bridge']);
    } finally {
      if (saved === undefined) delete process.env.FUNNEL_ONNX_RERANK_MODEL;
      else process.env.FUNNEL_ONNX_RERANK_MODEL = saved;
    }
  });

  it('names a folder that is not a model, and the runner passes the previous order on', async () => {
    const empty = tempDir();
    const spec = rerankSpec('onnx-rerank', { modelDir: empty }, 3);
    await expect(
      new OnnxRerankStage(spec, {}).run(retrieved(engine, BROAD), stageContext(engine, 'q', spec)),
    ).rejects.toThrow(/not a model folder \(no config\.json\)/);
    const broken = tempDir();
    writeFileSync(path.join(broken, 'config.json'), '{"model_type":"bert"}');
    const spec2 = rerankSpec('onnx-rerank', { modelDir: broken }, 3);
    await expect(
      new OnnxRerankStage(spec2, {}).run(retrieved(engine, BROAD), stageContext(engine, 'q', spec2)),
    ).rejects.toThrow(/cannot load the ONNX model/);
    const p = validateProfile(
      {
        stages: [
          { kind: 'retrieve', model: 'bm25', keep: 10 },
          { kind: 'rerank', model: 'onnx-rerank', keep: 2, options: { modelDir: empty } },
        ],
      },
      'broken',
    );
    const r = await runFunnel(engine, p, BROAD);
    expect(r.trace[1].status).toBe('failed');
    expect(r.hits).toHaveLength(2);
  });

  it('reads a two-label classifier as the probability of its last label', () => {
    expect(relevance([3])).toBe(3);
    expect(relevance([0, 0])).toBeCloseTo(0.5);
    expect(relevance([-2, 2])).toBeCloseTo(1 / (1 + Math.exp(-4)));
  });
});

describe('onnx-embed (a local embedding model through transformers.js)', () => {
  it('orders by the cosine of mean-pooled embeddings, optionally interpolated', async () => {
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('onnx-embed', { modelDir: embedder, batchSize: 2 }, 4);
    const ctx = stageContext(engine, 'which golden bridge opened', spec);
    const out = await new OnnxEmbedStage(spec, {}).run(input, ctx);
    expect(out[0].id).toBe('bridge');
    expect(out[0].features.onnx_cosine).toBeGreaterThan(0.5);
    expect(out[out.length - 1].features.onnx_cosine).toBeLessThan(out[0].features.onnx_cosine);
    expect(ctx.trace.work.inputs).toBe(5);
    // Interpolated all the way, the previous stage's order stands.
    const keepOrder = rerankSpec('onnx-embed', { modelDir: embedder, interpolate: 1 }, 4);
    const kept = await new OnnxEmbedStage(keepOrder, {}).run(
      input,
      stageContext(engine, 'golden', keepOrder),
    );
    expect(kept.map((c) => c.id)).toEqual(input.slice(0, 4).map((c) => c.id));
    const bad = rerankSpec('onnx-embed', { modelDir: embedder, pooling: 'max' }, 4);
    await expect(new OnnxEmbedStage(bad, {}).run(input, stageContext(engine, 'q', bad))).rejects.toThrow(
      /pooling="max", expected mean or cls/,
    );
  });

  it('stops between batches once past its budget', async () => {
    const spec = rerankSpec('onnx-embed', { modelDir: embedder, batchSize: 1 }, 4);
    const ctx = stageContext(engine, 'bridge', spec);
    ctx.deadline = performance.now() - 1;
    await expect(new OnnxEmbedStage(spec, {}).run(retrieved(engine, BROAD), ctx)).rejects.toThrow(
      /past the stage's time budget/,
    );
  });
});
