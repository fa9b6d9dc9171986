import { afterEach, describe, expect, test } from 'vitest';
import { ModelTimeoutError, UpstreamModelError } from './errors.js';
import { OpenAIClient, type OpenAIClientOptions } from './openai-client.js';
import { backoffMs, retryAfterMs } from './retry.js';
import {
  type ProtocolServer,
  type Reply,
  startProtocolServer,
  textReply,
  toolCallReply,
} from './testing/openai-protocol-server.js';

const KEY = 'sk-test-secret-key-123';
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(script: Reply[]): Promise<ProtocolServer> {
  const server = await startProtocolServer(script);
  servers.push(server);
  return server;
}

/** A client for `server` that records its waits instead of sleeping. */
function clientFor(server: ProtocolServer, options: OpenAIClientOptions = {}) {
  const waits: number[] = [];
  const client = new OpenAIClient({
    baseUrl: server.baseUrl,
    model: 'test-model',
    apiKey: KEY,
    env: {},
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { client, waits };
}

const hello = { messages: [{ role: 'user' as const, content: 'Hello?' }] };

describe('OpenAIClient over loopback HTTP', () => {
  test('streams text deltas to onText and sends a proper streaming request', async () => {
    const server = await serve([textReply('Hello there, this is streamed.')]);
    const { client } = clientFor(server);
    const deltas: string[] = [];
    const reply = await client.chat(hello, { onText: (d) => deltas.push(d) });
    expect(reply).toEqual({
      content: 'Hello there, this is streamed.',
      toolCalls: [],
      finishReason: 'stop',
      model: 'test-model',
    });
    expect(deltas.join('')).toBe('Hello there, this is streamed.');
    expect(deltas.length).toBeGreaterThan(3);
    const [seen] = server.requests;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen.headers.accept).toBe('text/event-stream');
    expect(seen.body).toEqual({
      model: 'test-model',
      messages: hello.messages,
      stream: true,
      temperature: 0,
    });
  });

  test('accumulates interleaved tool-call deltas by index', async () => {
    const server = await serve([
      toolCallReply([
        { id: 'call_a', name: 'search', args: '{"query":"eiffel tower height"}' },
        { id: 'call_b', name: 'search', args: '{"query":"louvre"}' },
      ]),
    ]);
    const { client } = clientFor(server);
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'search', description: 's', parameters: { type: 'object' } },
      },
    ];
    const reply = await client.chat({ ...hello, tools });
    expect(reply.finishReason).toBe('tool_calls');
    expect(reply.toolCalls).toEqual([
      {
        id: 'call_a',
        type: 'function',
        function: { name: 'search', arguments: '{"query":"eiffel tower height"}' },
      },
      { id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"query":"louvre"}' } },
    ]);
    expect(server.requests[0].body.tools).toEqual(tools);
    expect(server.requests[0].body.tool_choice).toBe('auto');
  });

  test('retries a 429, waiting as Retry-After says, then succeeds', async () => {
    const server = await serve([
      { status: 429, json: { error: { message: 'slow down' } }, headers: { 'retry-after': '2' } },
      textReply('ok'),
    ]);
    const { client, waits } = clientFor(server);
    const reply = await client.chat(hello);
    expect(reply.content).toBe('ok');
    expect(waits).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  test('really waits a short retry-after-ms', async () => {
    const server = await serve([
      { status: 503, json: {}, headers: { 'retry-after-ms': '60' } },
      textReply('ok'),
    ]);
    const client = new OpenAIClient({ baseUrl: server.baseUrl, model: 'm', env: {} });
    const began = performance.now();
    expect((await client.chat(hello)).content).toBe('ok');
    expect(performance.now() - began).toBeGreaterThanOrEqual(55);
  });

  test('a 500 that persists ends in an error naming the endpoint and status, never the key', async () => {
    const boom = { status: 500, json: { error: { message: `internal failure for key ${KEY}` } } };
    const server = await serve([boom, boom, boom]);
    const { client, waits } = clientFor(server, { maxRetries: 2, retryBaseMs: 100 });
    const error = await client.chat(hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamModelError);
    const e = error as UpstreamModelError;
    expect(e.message).toBe(
      `chat completions ${server.baseUrl}/chat/completions: HTTP 500 Internal Server Error: ` +
        'internal failure for key *** (after 3 attempts)',
    );
    expect(e.status).toBe(500);
    expect(e.code).toBe('IO');
    expect(e.message).not.toContain(KEY);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(server.requests).toHaveLength(3);
  });

  test('a 400 is not retried', async () => {
    const server = await serve([
      { status: 400, json: { error: { message: 'bad model' } } },
      textReply('never'),
    ]);
    const { client } = clientFor(server);
    await expect(client.chat(hello)).rejects.toThrow(/HTTP 400 Bad Request: bad model$/);
    expect(server.requests).toHaveLength(1);
  });

  test('a hanging server ends in a timeout error', async () => {
    const server = await serve([{ hang: true }]);
    const { client } = clientFor(server, { timeoutMs: 150 });
    const began = performance.now();
    const error = await client.chat(hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect((error as Error).message).toBe(
      `chat completions ${server.baseUrl}/chat/completions: no complete answer within 150 ms`,
    );
    expect(performance.now() - began).toBeLessThan(2000);
  });

  test("the caller's abort wins and is rethrown as is", async () => {
    const server = await serve([{ hang: true }]);
    const { client } = clientFor(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(client.chat(hello, { signal: controller.signal })).rejects.toThrow('user left');
  });

  test('an error event inside the stream, and a stream cut short, are errors', async () => {
    const server = await serve([
      {
        stream: [
          { choices: [{ index: 0, delta: { content: 'Hi' } }] },
          { error: { message: 'model crashed' } },
        ],
      },
      { stream: [{ choices: [{ index: 0, delta: { content: 'Hi' } }] }], done: false },
    ]);
    const { client } = clientFor(server);
    await expect(client.chat(hello)).rejects.toThrow(/error in stream: model crashed$/);
    await expect(client.chat(hello)).rejects.toThrow(/stream ended before \[DONE\]$/);
  });

  test('a server that ignores stream:true and answers JSON is read too', async () => {
    const whole = {
      model: 'm2',
      choices: [{ index: 0, message: { content: 'whole' }, finish_reason: 'stop' }],
    };
    const server = await serve([{ status: 200, json: whole }]);
    const { client } = clientFor(server);
    expect(await client.chat(hello)).toEqual({
      content: 'whole',
      toolCalls: [],
      finishReason: 'stop',
      model: 'm2',
    });
  });

  test('a refused connection is retried, then reported with the endpoint', async () => {
    const server = await serve([]);
    const baseUrl = server.baseUrl;
    await server.close();
    const { client, waits } = clientFor({ ...server, baseUrl }, { maxRetries: 1 });
    await expect(client.chat(hello)).rejects.toThrow(
      new RegExp(
        `^chat completions ${baseUrl}/chat/completions: request failed: fetch failed.*\\(after 2 attempts\\)$`,
      ),
    );
    expect(waits).toHaveLength(1);
  });
});

describe('OpenAIClient configuration', () => {
  test('reads its settings from the environment and names what is missing', () => {
    const env = { FUNNEL_LLM_BASE_URL: 'http://user:pw@127.0.0.1:9/v1/?api-key=abc', FUNNEL_LLM_MODEL: 'm' };
    const client = new OpenAIClient({ env });
    expect(client.model).toBe('m');
    expect(client.endpoint).toBe('http://127.0.0.1:9/v1/chat/completions?api-key=***');
    expect(() => new OpenAIClient({ env: {} })).toThrow(
      'openai client: no base URL: pass baseUrl or set FUNNEL_LLM_BASE_URL',
    );
    expect(() => new OpenAIClient({ env: { FUNNEL_LLM_BASE_URL: 'http://x' } })).toThrow(
      'openai client: no model: pass model or set FUNNEL_LLM_MODEL',
    );
    expect(() => new OpenAIClient({ baseUrl: 'ftp://x', model: 'm', env: {} })).toThrow('protocol ftp:');
    expect(() => new OpenAIClient({ baseUrl: 'http://x', model: 'm', timeoutMs: 0, env: {} })).toThrow(
      'illegal timeoutMs=0',
    );
  });

  test('Retry-After in seconds, as a date, and the backoff cap', () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(retryAfterMs(h({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(backoffMs(0, 500, 30_000, undefined, () => 0)).toBe(250);
    expect(backoffMs(3, 500, 30_000, undefined, () => 0.999999)).toBeCloseTo(4000, 0);
    expect(backoffMs(0, 500, 30_000, 90_000)).toBe(30_000);
  });
});
