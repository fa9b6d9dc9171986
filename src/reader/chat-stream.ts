/**
 * @module reader/chat-stream
 * Puts a streamed completion back together: text deltas are appended (and handed to `onText`), and
 * tool-call deltas are accumulated by their `index`: the first delta of a call brings its id and
 * name, later ones bring pieces of its JSON arguments. Also reads a whole (non-streamed) completion,
 * for servers that ignore `stream: true`. Pure, no I/O.
 */

import type { ChatChunk, ChatResponse, ToolCall } from './chat-types.js';

/** Accumulates `chat.completion.chunk`s of choice 0 into a {@link ChatResponse}. */
export class ChatAccumulator {
  private content = '';
  private readonly calls = new Map<number, ToolCall>();
  private finishReason: string | null = null;
  private model: string;

  constructor(
    defaultModel: string,
    private readonly onText?: (delta: string) => void,
  ) {
    this.model = defaultModel;
  }

  /** Adds one chunk (or one whole completion). */
  add(chunk: ChatChunk): void {
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const text = choice.delta?.content ?? choice.message?.content;
      if (typeof text === 'string' && text !== '') {
        this.content += text;
        this.onText?.(text);
      }
      for (const call of choice.message?.tool_calls ?? []) this.calls.set(this.calls.size, { ...call });
      for (const delta of choice.delta?.tool_calls ?? []) {
        const call = this.calls.get(delta.index) ?? {
          id: '',
          type: 'function' as const,
          function: { name: '', arguments: '' },
        };
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.function.name += delta.function.name;
        if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
        this.calls.set(delta.index, call);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** The completion so far; tool calls in index order, each with an id (made up when the server sent none). */
  result(): ChatResponse {
    const toolCalls = [...this.calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
    return { content: this.content, toolCalls, finishReason: this.finishReason, model: this.model };
  }
}
