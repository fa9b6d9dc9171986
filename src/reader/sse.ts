/**
 * @module reader/sse
 * Reads the `data:` payloads of a Server-Sent Events body (parsing by eventsource-parser, which
 * handles CRLF, multi-line data, comments and chunks split anywhere) until `[DONE]` or the end.
 */

import { createParser } from 'eventsource-parser';

/** Largest event buffered before giving up: far above any completion chunk, far below memory. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/** How an SSE body ended. */
export type SseEnd = 'done' | 'eof';

/**
 * Calls `onData` with each event's data, in order, until a `[DONE]` event ('done') or the end of the
 * body ('eof'). Rejects when `onData` throws or the body breaks; the body is released either way.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => void,
): Promise<SseEnd> {
  const events: string[] = [];
  let parseError: Error | undefined;
  const parser = createParser({
    onEvent: (event) => events.push(event.data),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') parseError = error;
    },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      if (parseError) throw parseError;
      for (const data of events.splice(0)) {
        if (data.trim() === '[DONE]') return 'done';
        onData(data);
      }
      if (done) {
        parser.reset({ consume: true });
        for (const data of events.splice(0)) {
          if (data.trim() === '[DONE]') return 'done';
          onData(data);
        }
        return 'eof';
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
