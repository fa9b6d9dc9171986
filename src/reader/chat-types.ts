/**
 * @module reader/chat-types
 * The slice of the OpenAI chat-completions protocol the reader uses: messages, tools, tool calls and
 * the streamed chunks. Wire names (snake_case) are kept as the protocol spells them. Types only.
 */

/** A function the model may call. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One chat message, as sent to the server. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A JSON-schema object, as tools declare their parameters. */
export interface JsonSchema {
  type: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean;
}

/** A tool offered to the model. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

/** What the reader asks of a chat client. */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** 'auto' (the default when tools are given) or 'none' to refuse tool calls this turn. */
  toolChoice?: 'auto' | 'none';
  /** Cap on generated tokens (`max_tokens`). */
  maxTokens?: number;
  /** Sampling temperature; the client's default when absent. */
  temperature?: number;
}

/** Per-call options of a chat client. */
export interface ChatCallOptions {
  signal?: AbortSignal;
  /** Receives each streamed piece of the answer text. */
  onText?: (delta: string) => void;
}

/** A finished completion: the streamed pieces put together. */
export interface ChatResponse {
  /** The answer text ('' when the model only called tools). */
  content: string;
  /** Tool calls in index order, arguments fully accumulated. */
  toolCalls: ToolCall[];
  /** 'stop', 'tool_calls', 'length'... or null when the server sent none. */
  finishReason: string | null;
  /** The model that answered, as the server names it (else the configured one). */
  model: string;
}

/** Anything that can complete a chat: the OpenAI-compatible client, or a fake in tests. */
export interface ChatClient {
  /** The configured model name. */
  readonly model: string;
  chat(request: ChatRequest, options?: ChatCallOptions): Promise<ChatResponse>;
}

/** One streamed `chat.completion.chunk`, as far as the reader reads it. */
export interface ChatChunk {
  model?: string;
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        type?: 'function';
        function?: { name?: string; arguments?: string };
      }[];
    };
    /** Present in non-streamed completions. */
    message?: { content?: string | null; tool_calls?: ToolCall[] };
    finish_reason?: string | null;
  }[];
  error?: { message?: string; type?: string; code?: string | number };
}
