import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine.js';
import { CLOSE, OPEN } from '../../reader/prompt.js';
import {
  type ProtocolServer,
  startProtocolServer,
  textReply,
} from '../../reader/testing/openai-protocol-server.js';
import { validateProfile } from '../profile.js';
import { runFunnel } from '../runner.js';
import { LlmRerankStage, parsePermutation } from './llm-rerank.js';
import { HOSTILE, rerankSpec, retrieved, stageContext, useFixtureIndex } from './testing/fixture.js';

const BROAD = 'tower bridge cafe paris';

let engine: Engine;
let server: ProtocolServer | undefined;

useFixtureIndex(
  (e) => {
    engine = e;
  },
  () => server,
);

describe('parsePermutation', () => {
  it('reads the named order, skips unknown and repeated numbers, appends the rest in order', () => {
    expect(parsePermutation('[3] > [1] > [3] > [9] > [0]', 4)).toEqual({ order: [2, 0, 1, 3], named: 2 });
    expect(parsePermutation('2, 4, 1', 4)).toEqual({ order: [1, 3, 0, 2], named: 3 });
    expect(parsePermutation('<think>4 is best, then [1]</think>\nRanking: [2] > [3]', 4)).toEqual({
      order: [1, 2, 0, 3],
      named: 2,
    });
    expect(parsePermutation('<think>[2] > [1] and still thinking', 2)).toEqual({ order: [0, 1], named: 0 });
    expect(parsePermutation('I cannot rank these.', 3)).toEqual({ order: [0, 1, 2], named: 0 });
  });
});

describe('llm-rerank', () => {
  it('orders the window as the model says, then the rest, keeping earlier scores and features', async () => {
    server = await startProtocolServer([
      textReply('<think>maybe [1]</think>[3] > [1] > [3] > [9] > banana'),
      textReply('[2] > [1] > [3]'),
    ]);
    const input = retrieved(engine, BROAD);
    expect(input).toHaveLength(4);
    const spec = rerankSpec(
      'llm-rerank',
      { baseUrl: server.baseUrl, model: 'qwen', apiKey: 'sk-llm', window: 3 },
      4,
    );
    const ctx = stageContext(engine, BROAD, spec);
    const out = await new LlmRerankStage(spec, {}).run(input, ctx);
    expect(out.map((c) => c.id)).toEqual([input[2].id, input[0].id, input[1].id, input[3].id]);
    expect(out.map((c) => c.score)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(out.map((c) => c.features.llm_rank)).toEqual([1, 2, 3, undefined]);
    for (const c of out) {
      expect(Object.keys(c.scores)).toEqual(['1:bm25', '2:llm-rerank']);
      expect(c.features.bm25).toBe(c.scores['1:bm25']);
    }
    const seen = server.requests[0];
    expect(seen.headers.authorization).toBe('Bearer sk-llm');
    expect(seen.body).toMatchObject({ model: 'qwen', temperature: 0, max_tokens: 124 });
    const user = seen.body.messages[1].content ?? '';
    expect(user.match(/<<<PASSAGE \d+/g)).toEqual(['<<<PASSAGE 1', '<<<PASSAGE 2', '<<<PASSAGE 3']);
    expect(ctx.trace.work).toMatchObject({ requests: 1, inputs: 3, named: 2 });
    expect(ctx.trace.work.tokensEstimated).toBeGreaterThan(100);

    const narrow = rerankSpec('llm-rerank', { baseUrl: server.baseUrl, model: 'qwen', window: 3 }, 2);
    const two = await new LlmRerankStage(narrow, {}).run(input, stageContext(engine, BROAD, narrow));
    expect(two.map((c) => c.id)).toEqual([input[1].id, input[0].id]);
  });

  it('shows a hostile passage only inside its data block', async () => {
    server = await startProtocolServer([textReply('[1] > [2]')]);
    const question = 'when is the tower painted';
    const input = retrieved(engine, question);
    expect(input.some((c) => c.id === 'hostile')).toBe(true);
    const spec = rerankSpec('llm-rerank', { baseUrl: server.baseUrl, model: 'qwen' }, 4);
    await new LlmRerankStage(spec, {}).run(input, stageContext(engine, question, spec));
    const [system, user] = server.requests[0].body.messages.map((m) => m.content ?? '');
    expect(server.requests[0].body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(system).not.toContain(HOSTILE);
    expect(system).not.toContain('painted');
    const at = user.indexOf(HOSTILE);
    expect(at).toBeGreaterThan(0);
    expect(user.indexOf(HOSTILE, at + 1)).toBe(-1);
    const open = user.lastIndexOf(OPEN, at);
    const n = /^<<<PASSAGE (\d+) /.exec(user.slice(open))![1];
    const close = user.indexOf(`${CLOSE} ${n}>>>`, open);
    expect(open).toBeGreaterThan(0);
    expect(close).toBeGreaterThan(at);
    // Nothing in between closes a block or opens a chat turn: the passage's fake delimiters are neutralised.
    const inside = user.slice(open + OPEN.length, close);
    expect(inside).not.toContain(CLOSE);
    expect(inside).not.toContain(OPEN);
    expect(inside).not.toContain('<|im_start|>');
    expect(inside).toContain('\u2039\u2039\u2039END PASSAGE 1\u203a\u203a\u203a');
  });

  it('takes its settings from the FUNNEL_LLM_* environment', async () => {
    server = await startProtocolServer([textReply('[2]')]);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec('llm-rerank', { window: 2 }, 3);
    const env = {
      FUNNEL_LLM_BASE_URL: server.baseUrl,
      FUNNEL_LLM_MODEL: 'env-chat',
      FUNNEL_LLM_API_KEY: 'k3',
    };
    const out = await new LlmRerankStage(spec, env).run(input, stageContext(engine, BROAD, spec));
    expect(out.map((c) => c.id)).toEqual([input[1].id, input[0].id, input[2].id]);
    expect(server.requests[0].body.model).toBe('env-chat');
    expect(server.requests[0].headers.authorization).toBe('Bearer k3');
    await expect(new LlmRerankStage(spec, {}).run(input, stageContext(engine, BROAD, spec))).rejects.toThrow(
      /no base URL/,
    );
  });

  it('retries a 429 after the Retry-After wait', async () => {
    server = await startProtocolServer([
      { status: 429, json: { error: { message: 'slow down' } }, headers: { 'retry-after': '0' } },
      textReply('[2] > [1]'),
    ]);
    const input = retrieved(engine, BROAD);
    const spec = rerankSpec(
      'llm-rerank',
      { baseUrl: server.baseUrl, model: 'qwen', window: 2, retryBaseMs: 5_000 },
      2,
    );
    const t0 = performance.now();
    const out = await new LlmRerankStage(spec, {}).run(input, stageContext(engine, BROAD, spec));
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(2);
    expect(out.map((c) => c.id)).toEqual([input[1].id, input[0].id]);
  });

  it('fails on a reply that names no passage', async () => {
    server = await startProtocolServer([textReply('I would rather not.')]);
    const spec = rerankSpec('llm-rerank', { baseUrl: server.baseUrl, model: 'qwen' });
    await expect(
      new LlmRerankStage(spec, {}).run(retrieved(engine, BROAD), stageContext(engine, BROAD, spec)),
    ).rejects.toThrow(
      /^chat completions http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: the ranking reply named no passage number/,
    );
  });

  describe('in the funnel', () => {
    const profile = (rerank: Record<string, unknown>) =>
      validateProfile(
        {
          stages: [
            { kind: 'retrieve', model: 'bm25', keep: 4 },
            { kind: 'rerank', model: 'llm-rerank', keep: 3, ...rerank },
          ],
        },
        'llm-rerank-test',
      );

    it('a 500 marks the stage failed and passes the previous order on', async () => {
      server = await startProtocolServer(() => ({
        status: 500,
        json: { error: { message: 'model not loaded' } },
      }));
      const r = await runFunnel(
        engine,
        profile({ options: { baseUrl: server.baseUrl, model: 'q', maxRetries: 0 } }),
        BROAD,
      );
      expect(r.trace[1].status).toBe('failed');
      expect(r.trace[1].error).toMatch(
        /^chat completions http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: HTTP 500 Internal Server Error: model not loaded/,
      );
      expect(r.hits.map((h) => h.id)).toEqual(retrieved(engine, BROAD, 3).map((c) => c.id));
      expect(r.hits.every((h) => Object.keys(h.scores).join() === '1:bm25')).toBe(true);
    });

    it('runs over its budget against a server that hangs, and says so', async () => {
      server = await startProtocolServer([{ hang: true }]);
      const t0 = performance.now();
      const r = await runFunnel(
        engine,
        profile({ budgetMs: 200, options: { baseUrl: server.baseUrl, model: 'q' } }),
        BROAD,
      );
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(r.trace[1].status).toBe('over budget');
      expect(r.hits).toHaveLength(3);
    });
  });
});
