/**
 * @module reader/retry
 * When to retry a model request and how long to wait: exponential backoff with jitter, overridden
 * by the server's `Retry-After` (seconds or an HTTP date) or `retry-after-ms` header.
 */

/** Statuses worth another try: timeout, conflict, rate limit and every 5xx. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The server's requested wait in ms, or undefined when it named none (or an unreadable one). */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wait before retry number `attempt` (0 = first retry): the server's request when it made one, else
 * `baseMs * 2^attempt` scaled by a jitter in [0.5, 1); always capped at `maxMs`.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  serverMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (serverMs !== undefined) return Math.min(serverMs, maxMs);
  return Math.min(baseMs * 2 ** attempt * (0.5 + random() / 2), maxMs);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
