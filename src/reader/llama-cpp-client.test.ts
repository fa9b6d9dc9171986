import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { BadInputError, InvalidArgumentError } from '../errors.js';
import { LlamaCppClient, toHistory } from './llama-cpp-client.js';
import { LlmReader } from './llm-reader.js';
import { writeTinyGguf } from './testing/tiny-gguf.js';
import type { Passage } from './types.js';

// The model's whole answer, piece by piece (a real llama.cpp run of a model built here: see tiny-gguf).
const REPLY = [
  'Startups',
  '▁grow▁fast',
  '▁[1]',
  '.\nCITATIONS:▁[{"passage":▁1,▁"quote":▁"',
  'Startups▁grow▁fast',
  '"}]',
];
const ANSWER = 'Startups grow fast [1].\nCITATIONS: [{"passage": 1, "quote": "Startups grow fast"}]';

function passage(n: number, text: string): Passage {
  return { n, docId: `doc${n}`, offset: 0, text, title: `Doc ${n}` };
}

describe('local GGUF model (node-llama-cpp)', () => {
  let modelPath: string;
  let client: LlamaCppClient;
  beforeAll(() => {
    modelPath = path.join(tempDir(), 'tiny.gguf');
    writeTinyGguf(modelPath, REPLY);
    client = new LlamaCppClient({ modelPath, contextSize: 4096 });
  });
  afterAll(() => client.close());

  it('answers through llama.cpp, streaming the text', async () => {
    const deltas: string[] = [];
    const r = await client.chat(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Why?' },
        ],
      },
      { onText: (d) => deltas.push(d) },
    );
    expect(r.content).toBe(ANSWER);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(ANSWER);
    expect(r).toMatchObject({ finishReason: 'stop', model: 'tiny.gguf', toolCalls: [] });
  });

  it('stops at maxTokens and says so', async () => {
    const r = await client.chat({ messages: [{ role: 'user', content: 'Why?' }], maxTokens: 2 });
    expect(r.content).toBe('Startups grow fast');
    expect(r.finishReason).toBe('length');
  });

  it('reads passages with the LLM reader: the citation is verified, or dropped when it is not there', async () => {
    const reader = new LlmReader({ client });
    const good = await reader.read('Why do startups matter?', [
      passage(1, 'Most of all, Startups grow fast. That is what makes them startups.'),
      passage(2, 'Large companies grow slowly.'),
    ]);
    expect(good.answer).toBe('Startups grow fast [1].');
    expect(good.citations).toHaveLength(1);
    expect(good.citations[0]).toMatchObject({
      docId: 'doc1',
      start: 13,
      end: 31,
      quote: 'Startups grow fast',
    });
    expect(good.dropped).toEqual([]);
    // The same reply over a passage that does not hold the quote: the citation is refused.
    const bad = await reader.read('Why do startups matter?', [passage(1, 'Startups grow slowly.')]);
    expect(bad.citations).toEqual([]);
    expect(bad.dropped).toHaveLength(1);
    expect(bad.answer).toBe('Startups grow fast.');
  });

  it('maps tool calls and their results into the chat history', () => {
    const h = toHistory([
      { role: 'system', content: 'rules' },
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'a', type: 'function', function: { name: 'search', arguments: '{"query":"x"}' } }],
      },
      { role: 'tool', tool_call_id: 'a', content: '[3] found' },
    ]);
    expect(h).toEqual([
      { type: 'system', text: 'rules' },
      { type: 'user', text: 'q' },
      {
        type: 'model',
        response: [{ type: 'functionCall', name: 'search', params: { query: 'x' }, result: '[3] found' }],
      },
    ]);
    expect(toHistory([{ role: 'user', content: 'q' }])).toEqual([
      { type: 'user', text: 'q' },
      { type: 'model', response: [] },
    ]);
    expect(() => toHistory([{ role: 'tool', tool_call_id: 'zz', content: '' }])).toThrow(/unknown call zz/);
  });

  it('names the model file when it is missing or not a model', async () => {
    const missing = new LlamaCppClient({ modelPath: path.join(tempDir(), 'none.gguf') });
    await expect(missing.chat({ messages: [{ role: 'user', content: 'q' }] })).rejects.toThrow(BadInputError);
    await expect(missing.chat({ messages: [{ role: 'user', content: 'q' }] })).rejects.toThrow(
      /none\.gguf: no such model file/,
    );
    const junk = path.join(tempDir(), 'junk.gguf');
    writeFileSync(junk, 'not a model at all');
    const broken = new LlamaCppClient({ modelPath: junk });
    await expect(broken.chat({ messages: [{ role: 'user', content: 'q' }] })).rejects.toThrow(
      /junk\.gguf: cannot load the GGUF model/,
    );
  });

  it('rejects bad options', () => {
    const saved = process.env.FUNNEL_GGUF_MODEL;
    delete process.env.FUNNEL_GGUF_MODEL;
    try {
      expect(() => new LlamaCppClient()).toThrow(InvalidArgumentError);
      expect(() => new LlamaCppClient()).toThrow(/FUNNEL_GGUF_MODEL/);
    } finally {
      if (saved !== undefined) process.env.FUNNEL_GGUF_MODEL = saved;
    }
    expect(() => new LlamaCppClient({ modelPath: 'm.gguf', contextSize: 10 })).toThrow(/contextSize=10/);
    expect(() => new LlamaCppClient({ modelPath: 'm.gguf', temperature: -1 })).toThrow(/temperature=-1/);
  });
});
