/**
 * @module reader/testing/openai-protocol-server
 * @internal A scripted OpenAI chat-completions server on 127.0.0.1 (an ephemeral port) for tests:
 * it records each request and answers with the next scripted reply: an SSE stream of chunks, a
 * JSON status (429 with Retry-After, 500...), or a hang. It speaks the wire protocol only; no model.
 */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { ChatChunk, ChatMessage, ToolDefinition } from '../chat-types.js';
import { listenLoopback } from './loopback.js';

/** The body of a chat-completions request, as the server saw it. */
export interface CompletionBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  tools?: ToolDefinition[];
  tool_choice?: string;
}

/** One request the server received. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: CompletionBody;
}

/** A scripted reply. */
export type Reply =
  /** An SSE stream of chunks, then `data: [DONE]` unless `done` is false; `split` cuts every event in two writes. */
  | { stream: ChatChunk[]; done?: boolean; split?: boolean }
  /** A plain HTTP answer with a JSON body. */
  | { status: number; json: unknown; headers?: Record<string, string> }
  /** Never answers. */
  | { hang: true };

/** A running server. */
export interface ProtocolServer {
  /** e.g. `http://127.0.0.1:40123/v1`. */
  baseUrl: string;
  /** Requests received, in order. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

const ID = 'chatcmpl-test';

function chunk(
  delta: NonNullable<ChatChunk['choices']>[number]['delta'],
  finish: string | null = null,
): ChatChunk {
  return { model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] };
}

/** A streamed text answer, cut into pieces of `size` characters. */
export function textReply(text: string, size = 7): Reply {
  const chunks: ChatChunk[] = [chunk({ content: '' })];
  for (let i = 0; i < text.length; i += size) chunks.push(chunk({ content: text.slice(i, i + size) }));
  chunks.push(chunk({}, 'stop'));
  return { stream: chunks, split: true };
}

/** A streamed answer made only of tool calls; the calls' deltas are interleaved to test accumulation by index. */
export function toolCallReply(calls: { id: string; name: string; args: string }[]): Reply {
  const chunks: ChatChunk[] = calls.map((c, index) =>
    chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }),
  );
  const half = (s: string) => Math.ceil(s.length / 2);
  for (const part of [0, 1]) {
    calls.forEach((c, index) => {
      const args = part === 0 ? c.args.slice(0, half(c.args)) : c.args.slice(half(c.args));
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
    });
  }
  chunks.push(chunk({}, 'tool_calls'));
  return { stream: chunks };
}

function sendStream(
  res: ServerResponse,
  reply: { stream: ChatChunk[]; done?: boolean; split?: boolean },
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events = reply.stream.map(
    (c) => `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', ...c })}\n\n`,
  );
  if (reply.done !== false) events.push('data: [DONE]\n\n');
  for (const event of events) {
    if (reply.split) {
      const cut = Math.floor(event.length / 2);
      res.write(event.slice(0, cut));
      res.write(event.slice(cut));
    } else {
      res.write(event);
    }
  }
  res.end();
}

/** Starts the server; `script` gives the reply to the i-th request (0-based), or lists the replies in order. */
export async function startProtocolServer(
  script: Reply[] | ((request: SeenRequest, i: number) => Reply),
): Promise<ProtocolServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      let body: CompletionBody;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8')) as CompletionBody;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'body is not JSON' } }));
        return;
      }
      const seen: SeenRequest = { method: req.method, path: req.url, headers: req.headers, body };
      requests.push(seen);
      const i = requests.length - 1;
      const reply: Reply = Array.isArray(script)
        ? (script[i] ?? { status: 500, json: { error: { message: `no scripted reply #${i}` } } })
        : script(seen, i);
      if ('hang' in reply) return;
      if ('stream' in reply) {
        sendStream(res, reply);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.json));
    });
  });
  return { ...(await listenLoopback(server)), requests };
}
