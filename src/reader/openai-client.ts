/**
 * @module reader/openai-client
 * A client for OpenAI-compatible chat-completions servers (OpenAI, vLLM, llama.cpp, Ollama, LM Studio...)
 * over Node's built-in fetch: POST {baseUrl}/chat/completions with `stream: true`, SSE parsing, tool
 * calls, a timeout per attempt, and retries with backoff on 408/409/429/5xx and refused connections,
 * honouring `Retry-After`. Never prints, and never puts the API key in an error.
 */

import { InvalidArgumentError } from '../errors.js';
import { ChatAccumulator } from './chat-stream.js';
import type { ChatCallOptions, ChatChunk, ChatClient, ChatRequest, ChatResponse } from './chat-types.js';
import { ModelTimeoutError, UpstreamModelError } from './errors.js';
import { describeHttpError, redactUrl, scrubKey } from './http-errors.js';
import { backoffMs, isRetryable, retryAfterMs, sleep } from './retry.js';
import { readSse } from './sse.js';

/** Options of {@link OpenAIClient}; each of the first three falls back to an environment variable. */
export interface OpenAIClientOptions {
  /** e.g. `http://127.0.0.1:8080/v1`; default env FUNNEL_LLM_BASE_URL. */
  baseUrl?: string;
  /** Model name sent to the server; default env FUNNEL_LLM_MODEL. */
  model?: string;
  /** Bearer token; default env FUNNEL_LLM_API_KEY; none is sent when absent (local servers). */
  apiKey?: string;
  /** Limit on one attempt, from request to the end of the stream; default 120 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** First backoff step; default 500 ms, doubled each retry. */
  retryBaseMs?: number;
  /** Longest wait between attempts, also capping `Retry-After`; default 30 000 ms. */
  maxRetryDelayMs?: number;
  /** Sampling temperature when a request names none; default 0 (answers should be reproducible). */
  temperature?: number;
  /** Environment to read the defaults from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Waits between attempts; default a real timer. Tests pass a recorder. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Longest piece of an error body quoted in an error message. */
const ERROR_BODY_CHARS = 500;

function positive(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `openai client: illegal ${name}=${value}, must be a finite number >= ${min}`,
    );
  }
  return value;
}

/**
 * OpenAI-compatible chat client.
 *
 * @example
 * const client = new OpenAIClient({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen2.5-7b-instruct' });
 * const reply = await client.chat({ messages: [{ role: 'user', content: 'Hi' }] }, { onText: write });
 */
export class OpenAIClient implements ChatClient {
  readonly model: string;
  /** The endpoint as shown in errors. */
  readonly endpoint: string;
  private readonly url: URL;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly temperature: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: OpenAIClientOptions = {}) {
    const env = options.env ?? process.env;
    const baseUrl = options.baseUrl ?? env.FUNNEL_LLM_BASE_URL;
    const model = options.model ?? env.FUNNEL_LLM_MODEL;
    if (!baseUrl)
      throw new InvalidArgumentError('openai client: no base URL: pass baseUrl or set FUNNEL_LLM_BASE_URL');
    if (!model) throw new InvalidArgumentError('openai client: no model: pass model or set FUNNEL_LLM_MODEL');
    let base: URL;
    try {
      base = new URL(baseUrl);
    } catch {
      throw new InvalidArgumentError(`openai client: illegal base URL ${JSON.stringify(baseUrl)}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new InvalidArgumentError(
        `openai client: illegal base URL protocol ${base.protocol}, expected http or https`,
      );
    }
    base.pathname = `${base.pathname.replace(/\/+$/, '')}/chat/completions`;
    this.url = base;
    this.endpoint = redactUrl(base);
    this.model = model;
    this.apiKey = options.apiKey ?? (env.FUNNEL_LLM_API_KEY || undefined);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 120_000, 1);
    this.maxRetries = Math.floor(positive('maxRetries', options.maxRetries, 3));
    this.retryBaseMs = positive('retryBaseMs', options.retryBaseMs, 500);
    this.maxRetryDelayMs = positive('maxRetryDelayMs', options.maxRetryDelayMs, 30_000);
    this.temperature = positive('temperature', options.temperature, 0);
    this.sleep = options.sleep ?? sleep;
  }

  /** Sends one streamed chat completion and returns it put together; see the module doc for retries. */
  async chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResponse> {
    const body = JSON.stringify({
      model: this.model,
      messages: request.messages,
      stream: true,
      temperature: request.temperature ?? this.temperature,
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.tools?.length ? { tools: request.tools, tool_choice: request.toolChoice ?? 'auto' } : {}),
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
    };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const caller = options.signal;
    for (let attempt = 1; ; attempt++) {
      caller?.throwIfAborted();
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
      let failure: UpstreamModelError;
      let serverWait: number | undefined;
      try {
        const response = await fetch(this.url, { method: 'POST', headers, body, signal });
        if (response.ok) return await this.readResponse(response, options.onText, attempt);
        failure = new UpstreamModelError(this.endpoint, await this.describe(response), {
          status: response.status,
          attempts: attempt,
        });
        if (!isRetryable(response.status)) throw failure;
        serverWait = retryAfterMs(response.headers);
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        if (timeout.aborted) throw new ModelTimeoutError(this.endpoint, this.timeoutMs, attempt);
        if (error instanceof UpstreamModelError) throw error;
        // fetch itself failed: refused, reset or unresolvable; worth a retry.
        failure = new UpstreamModelError(this.endpoint, `request failed: ${this.scrub(causeText(error))}`, {
          attempts: attempt,
          cause: error,
        });
      }
      if (attempt > this.maxRetries) throw failure;
      await this.sleep(backoffMs(attempt - 1, this.retryBaseMs, this.maxRetryDelayMs, serverWait), caller);
    }
  }

  /** Reads a 2xx response: an SSE stream, or one JSON completion from servers that do not stream. */
  private async readResponse(
    response: Response,
    onText: ((delta: string) => void) | undefined,
    attempts: number,
  ): Promise<ChatResponse> {
    const fail = (message: string) =>
      new UpstreamModelError(this.endpoint, message, { status: response.status, attempts });
    const accumulator = new ChatAccumulator(this.model, onText);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      const whole = (await response.json()) as ChatChunk;
      if (whole.error) throw fail(`server error: ${this.scrub(whole.error.message ?? 'unknown')}`);
      accumulator.add(whole);
      return accumulator.result();
    }
    if (response.body === null) throw fail('empty response body');
    const end = await readSse(response.body, (data) => {
      let chunk: ChatChunk;
      try {
        chunk = JSON.parse(data) as ChatChunk;
      } catch {
        throw fail(`malformed stream event ${JSON.stringify(data.slice(0, 80))}`);
      }
      if (chunk.error) throw fail(`error in stream: ${this.scrub(chunk.error.message ?? 'unknown')}`);
      accumulator.add(chunk);
    });
    const result = accumulator.result();
    if (end === 'eof' && result.finishReason === null) throw fail('stream ended before [DONE]');
    return result;
  }

  /** `HTTP 429 Too Many Requests: <the server's message>`. */
  private describe(response: Response): Promise<string> {
    return describeHttpError(response, this.apiKey, ERROR_BODY_CHARS);
  }

  /** Masks the API key wherever a server echoes it. */
  private scrub(text: string): string {
    return scrubKey(text, this.apiKey);
  }
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
