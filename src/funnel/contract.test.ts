/**
 * The contract every ranking stage keeps, run against each built-in model: output sorted by score,
 * at most `keep`, every earlier stage's score and feature kept, the stage's own score recorded under
 * its label, the input left untouched, and a budget that ends the stage (the previous order passes on).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { CandidateSet } from './candidate-set.js';
import { STAGE_MODELS, validateProfile } from './profile.js';
import { runFunnel } from './runner.js';
import { RerankStage } from './stages/rerank.js';
import { RetrieveStage } from './stages/retrieve.js';
import { type Candidate, newTrace, type StageContext } from './types.js';

const WORDS =
  'river forest mountain lake city harbor bridge tower garden market station valley island desert'.split(' ');
let engine: Engine;

beforeAll(async () => {
  process.env.FUNNEL_CACHE ??= fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-cache-'));
  engine = await Engine.open(fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-contract-')), { shards: 2 });
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < 300; i++) {
    const text = Array.from({ length: 20 + (next() % 40) }, () => WORDS[next() % WORDS.length]).join(' ');
    engine.add({
      id: `d${i}`,
      title: `${WORDS[next() % WORDS.length]} ${i}`,
      text: `${text}. The Harbor Bridge of ${WORDS[i % WORDS.length]}.`,
    });
  }
  await engine.commit();
}, 60_000);

afterAll(async () => {
  await engine.close();
});

function context(question: string, stage: string): StageContext {
  const original = engine.parse(question);
  const trace = newTrace(stage, { kind: 'rerank', model: '' });
  return { engine, question, original, query: original, deadline: Number.POSITIVE_INFINITY, trace };
}

function checkRanked(set: CandidateSet, keep: number, label: string): void {
  const out: Candidate[] = set.toArray();
  expect(out.length).toBeLessThanOrEqual(keep);
  for (let i = 1; i < out.length; i++) expect(out[i - 1].score).toBeGreaterThanOrEqual(out[i].score);
  for (const c of out) expect(c.scores[label]).toBe(c.score);
  expect(new Set(out.map((c) => c.id)).size).toBe(out.length);
}

describe('stage contract', () => {
  const question = 'river bridge near the harbor';

  for (const model of STAGE_MODELS.retrieve) {
    it(`retrieve ${model}: sorted, at most keep, its score recorded`, async () => {
      const spec = validateProfile({ stages: [{ kind: 'retrieve', model, keep: 40 }] }, 'c').stages[0];
      const ctx = context(question, `1:${model}`);
      const out = await new RetrieveStage(spec).run(CandidateSet.empty(), ctx);
      expect(out.length).toBeGreaterThan(0);
      checkRanked(out, 40, `1:${model}`);
      expect(ctx.trace.work.postings).toBeGreaterThan(0);
    }, 60_000);
  }

  it('rerank ltr: keeps earlier scores and features, does not mutate its input', async () => {
    const retrieve = validateProfile({ stages: [{ kind: 'retrieve', model: 'bm25', keep: 60 }] }, 'c')
      .stages[0];
    const ctx = context(question, '1:bm25');
    const retrieved = await new RetrieveStage(retrieve).run(CandidateSet.empty(), ctx);
    const input = CandidateSet.from(retrieved.toArray().map((c) => ({ ...c, features: { earlier: 1 } })));
    const before = JSON.stringify(input.toArray());
    const spec = validateProfile(
      {
        stages: [
          { kind: 'retrieve', model: 'bm25', keep: 60 },
          { kind: 'rerank', model: 'ltr', keep: 10 },
        ],
      },
      'c',
    ).stages[1];
    const out = await new RerankStage(spec).run(input, { ...ctx, trace: { ...ctx.trace, stage: '2:ltr' } });
    checkRanked(out, 10, '2:ltr');
    for (const c of out.toArray()) {
      expect(c.scores['1:bm25']).toBeTypeOf('number');
      expect(c.features.earlier).toBe(1);
      expect(c.features.proximity).toBeTypeOf('number');
    }
    expect(JSON.stringify(input.toArray())).toBe(before);
  });

  it('a stage past its budget passes the previous order on, cut to its width, and says so', async () => {
    const p = validateProfile(
      {
        stages: [
          { kind: 'retrieve', model: 'bm25', keep: 50 },
          { kind: 'rerank', model: 'ltr', keep: 5, budgetMs: 0.001 },
        ],
      },
      'budget',
    );
    const plain = await runFunnel(
      engine,
      validateProfile({ stages: [{ kind: 'retrieve', model: 'bm25', keep: 50 }] }, 'b'),
      question,
    );
    const r = await runFunnel(engine, p, question);
    expect(r.trace[1].status).toBe('over budget');
    expect(r.hits.map((h) => h.id)).toEqual(plain.hits.slice(0, 5).map((h) => h.id));
  });
});
