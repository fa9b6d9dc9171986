/**
 * @module reader/errors
 * Errors of the model adapter. They name the endpoint (credentials stripped) and the HTTP status,
 * never the API key. Both use the library's 'IO' code: a model server is input/output.
 */

import { FunnelError } from '../errors.js';

/** A model server that failed: a refused connection, an HTTP error status, or a broken stream. */
export class UpstreamModelError extends FunnelError {
  /** The endpoint, e.g. `http://127.0.0.1:8080/v1/chat/completions`. */
  readonly endpoint: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Requests made, retries included. */
  readonly attempts: number;
  constructor(
    endpoint: string,
    message: string,
    options: { status?: number; attempts: number; cause?: unknown },
  ) {
    const tries = options.attempts > 1 ? ` (after ${options.attempts} attempts)` : '';
    super('IO', `chat completions ${endpoint}: ${message}${tries}`, { cause: options.cause });
    this.name = 'UpstreamModelError';
    this.endpoint = endpoint;
    this.status = options.status;
    this.attempts = options.attempts;
  }
}

/** A model server that did not finish within the client's timeout. */
export class ModelTimeoutError extends UpstreamModelError {
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutMs: number;
  constructor(endpoint: string, timeoutMs: number, attempts: number) {
    super(endpoint, `no complete answer within ${timeoutMs} ms`, { attempts });
    this.name = 'ModelTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}
