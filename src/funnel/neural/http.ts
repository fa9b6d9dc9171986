/**
 * @module funnel/neural/http
 * One JSON POST to a model server, as the neural stages need it: a bearer key when one is set, a
 * timeout per attempt, retries with backoff on 408/409/429/5xx and refused connections honouring
 * `Retry-After` (the policy of reader/retry), and the stage's deadline and abort signal over all of
 * it. A wait that would end past the deadline is not started: the stage fails at once. Errors name
 * the endpoint (credentials masked) and never contain the API key, even when a server echoes it.
 */

import { FunnelError } from '../../errors.js';
import { describeHttpError, scrubKey } from '../../reader/http-errors.js';
import { backoffMs, isRetryable, retryAfterMs, sleep } from '../../reader/retry.js';
import { OverBudget } from '../types.js';
import { endpointUrl, numberOption, type OptionSource, redactUrl, stringOption } from './options.js';

/** Longest piece of an error body quoted in an error message. */
const ERROR_BODY_CHARS = 300;

/** A model endpoint that failed: refused, an HTTP error status, a timeout, or a malformed answer. */
export class ModelEndpointError extends FunnelError {
  /** The endpoint, credentials masked, e.g. `http://127.0.0.1:8080/v1/embeddings`. */
  readonly endpoint: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Requests made, retries included. */
  readonly attempts: number;
  constructor(
    what: string,
    endpoint: string,
    message: string,
    options: { status?: number; attempts: number; cause?: unknown },
  ) {
    const tries = options.attempts > 1 ? ` (after ${options.attempts} attempts)` : '';
    super('IO', `${what} ${endpoint}: ${message}${tries}`, { cause: options.cause });
    this.name = 'ModelEndpointError';
    this.endpoint = endpoint;
    this.status = options.status;
    this.attempts = options.attempts;
  }
}

/** A JSON endpoint and how to call it. */
export interface JsonEndpointOptions {
  /** What the endpoint is, for messages: `embeddings`, `rerank`. */
  what: string;
  url: URL;
  apiKey?: string;
  /** Limit on one attempt; default 30 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number;
  /** First backoff step; default 250 ms, doubled each retry. */
  retryBaseMs?: number;
  /** Longest wait between attempts, also capping `Retry-After`; default 10 000 ms. */
  maxRetryDelayMs?: number;
  /** Waits between attempts; default a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What bounds one call: the stage's deadline (performance.now() time) and the caller's signal. */
export interface CallLimits {
  /** The stage label, for OverBudget. */
  stage: string;
  /** The stage's budget, for OverBudget. */
  budgetMs: number;
  deadline: number;
  signal?: AbortSignal;
  /** Counts every request sent (`requests`) and every retry (`retries`). */
  work: Record<string, number>;
}

/** A JSON endpoint with retries; see the module doc. */
export class JsonEndpoint {
  /** The endpoint as shown in errors. */
  readonly endpoint: string;
  private readonly o: Required<Omit<JsonEndpointOptions, 'apiKey'>> & { apiKey?: string };

  constructor(options: JsonEndpointOptions) {
    this.endpoint = redactUrl(options.url);
    this.o = {
      what: options.what,
      url: options.url,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseMs: options.retryBaseMs ?? 250,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      sleep: options.sleep ?? sleep,
    };
  }

  /** POSTs `body` and returns the parsed JSON answer; throws ModelEndpointError, OverBudget or the abort reason. */
  async post(body: unknown, limits: CallLimits): Promise<unknown> {
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    const caller = limits.signal;
    const overBudget = () => new OverBudget(limits.stage, limits.budgetMs);
    for (let attempt = 1; ; attempt++) {
      caller?.throwIfAborted();
      const remaining = limits.deadline - performance.now();
      if (remaining <= 0) throw overBudget();
      const attemptMs = Math.min(this.o.timeoutMs, remaining);
      const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(attemptMs)));
      const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
      limits.work.requests = (limits.work.requests ?? 0) + 1;
      if (attempt > 1) limits.work.retries = (limits.work.retries ?? 0) + 1;
      let detail: string;
      let status: number | undefined;
      let cause: unknown;
      let serverWait: number | undefined;
      try {
        const response = await fetch(this.o.url, { method: 'POST', headers, body: payload, signal });
        if (response.ok) return await this.readJson(response, attempt);
        status = response.status;
        detail = await this.describe(response);
        if (!isRetryable(status)) throw this.fail(detail, { status, attempts: attempt });
        serverWait = retryAfterMs(response.headers);
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        if (timeout.aborted) {
          if (attemptMs < this.o.timeoutMs) throw overBudget();
          throw this.fail(`no answer within ${this.o.timeoutMs} ms`, { attempts: attempt });
        }
        if (error instanceof ModelEndpointError) throw error;
        // fetch itself failed: refused, reset or unresolvable; worth a retry.
        detail = `request failed: ${this.scrub(causeText(error))}`;
        cause = error;
      }
      if (attempt > this.o.maxRetries) throw this.fail(detail, { status, attempts: attempt, cause });
      const wait = backoffMs(attempt - 1, this.o.retryBaseMs, this.o.maxRetryDelayMs, serverWait);
      if (performance.now() + wait >= limits.deadline) {
        const why = `${detail}; not retried: waiting ${Math.round(wait)} ms would pass the stage's budget of ${limits.budgetMs} ms`;
        throw this.fail(why, { status, attempts: attempt, cause });
      }
      await this.o.sleep(wait, caller);
    }
  }

  private async readJson(response: Response, attempts: number): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw this.fail(`the answer is not JSON: ${JSON.stringify(this.scrub(text.slice(0, 80)))}`, {
        status: response.status,
        attempts,
      });
    }
  }

  /** A ModelEndpointError naming this endpoint. */
  fail(message: string, options: { status?: number; attempts: number; cause?: unknown }): ModelEndpointError {
    return new ModelEndpointError(this.o.what, this.endpoint, message, options);
  }

  /** `HTTP 429 Too Many Requests: <the server's message>`. */
  private describe(response: Response): Promise<string> {
    return describeHttpError(response, this.o.apiKey, ERROR_BODY_CHARS);
  }

  /** Masks the API key wherever a server echoes it. */
  private scrub(text: string): string {
    return scrubKey(text, this.o.apiKey);
  }
}

function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * A JSON endpoint configured from a stage's options: `{baseUrl}/{path}`, the key from the option
 * `apiKey` or `keyEnv`, and the timeout and retry options every HTTP stage takes.
 */
export function endpointFromOptions(
  src: OptionSource,
  what: string,
  baseUrl: string,
  path: string,
  keyEnv: string,
): JsonEndpoint {
  return new JsonEndpoint({
    what,
    url: endpointUrl(src, baseUrl, path),
    apiKey: stringOption(src, 'apiKey', keyEnv),
    timeoutMs: numberOption(src, 'timeoutMs', 30_000, { min: 1 }),
    maxRetries: numberOption(src, 'maxRetries', 2, { integer: true, max: 100 }),
    retryBaseMs: numberOption(src, 'retryBaseMs', 250),
    maxRetryDelayMs: numberOption(src, 'maxRetryDelayMs', 10_000),
  });
}
