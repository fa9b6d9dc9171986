/**
 * @module reader/llama-cpp-client
 * A chat client for a local GGUF model run in this process by llama.cpp, through the optional
 * package node-llama-cpp: no server, no network, no key. It speaks the reader's {@link ChatClient}
 * interface, so the LLM reader uses it as it uses an OpenAI-compatible server: messages in, the
 * answer streamed out, tool calls returned to the caller (the model's chat template, read from the
 * GGUF file, decides how they are written). The package is loaded on first use; without it, the
 * error says how to install it. A model file is loaded once per process and path, and calls to one
 * client are answered one at a time (one context sequence).
 */

import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BadInputError, InvalidArgumentError } from '../errors.js';
import { optionalPackage } from '../optional-package.js';
import type {
  ChatCallOptions,
  ChatClient,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ToolCall,
} from './chat-types.js';

/** The version this build is tested with (package.json pins it as an optional dependency). */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';

/** Options of {@link LlamaCppClient}. */
export interface LlamaCppClientOptions {
  /** Path of the `.gguf` file; default `FUNNEL_GGUF_MODEL`. */
  modelPath?: string;
  /** Tokens of context (prompt and answer); default 8192, or the model's own if smaller. */
  contextSize?: number;
  /** Sampling temperature; default 0 (greedy: the same passages give the same answer). */
  temperature?: number;
  /** Layers offloaded to a GPU: 'auto' (the default) uses one when llama.cpp finds it. */
  gpuLayers?: 'auto' | number;
}

/** What a history item of node-llama-cpp looks like, as far as this client writes it. */
type HistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: (string | FunctionCallItem)[] };
interface FunctionCallItem {
  type: 'functionCall';
  name: string;
  params: unknown;
  result: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: the optional package's types are not a dependency of the build
type Module = any;

const loadModule = optionalPackage('node-llama-cpp', NODE_LLAMA_CPP_VERSION, 'local model');
/** llama.cpp's bindings, once per process; then each model file once per path and GPU setting. */
let llamaPromise: Promise<Module> | undefined;
const models = new Map<string, Promise<Module>>();

function loadModel(path: string, gpuLayers: 'auto' | number): Promise<Module> {
  const key = `${path}\u0000${gpuLayers}`;
  let loaded = models.get(key);
  if (loaded === undefined) {
    loaded = (async () => {
      llamaPromise ??= loadModule().then((mod) =>
        mod.getLlama({ build: 'never', progressLogs: false, logLevel: 'error' }),
      );
      const llama = await llamaPromise.catch((err: unknown) => {
        llamaPromise = undefined;
        throw err;
      });
      try {
        return await llama.loadModel({ modelPath: path, gpuLayers });
      } catch (err) {
        throw new BadInputError(path, `cannot load the GGUF model: ${(err as Error).message}`);
      }
    })();
    loaded.catch(() => models.delete(key));
    models.set(key, loaded);
  }
  return loaded;
}

/**
 * OpenAI-style messages as node-llama-cpp's chat history, ending with the model's turn to answer:
 * an assistant message and the results of its tool calls become one model response.
 */
export function toHistory(messages: readonly ChatMessage[]): HistoryItem[] {
  const history: HistoryItem[] = [];
  const calls = new Map<string, FunctionCallItem>();
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'user') history.push({ type: m.role, text: m.content });
    else if (m.role === 'assistant') {
      const response: (string | FunctionCallItem)[] = m.content ? [m.content] : [];
      for (const call of m.tool_calls ?? []) {
        const item: FunctionCallItem = {
          type: 'functionCall',
          name: call.function.name,
          params: parseArguments(call.function.arguments),
          result: '',
        };
        calls.set(call.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else {
      const call = calls.get(m.tool_call_id);
      if (call === undefined)
        throw new InvalidArgumentError(`local model: a tool result for unknown call ${m.tool_call_id}`);
      call.result = m.content;
    }
  }
  // The model's turn: a new one after the user, or the same one continued after its tool calls'
  // results (as node-llama-cpp's own chat session continues a response after a function call).
  if (history[history.length - 1]?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

function parseArguments(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

const FINISH: Record<string, string> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  functionCalls: 'tool_calls',
  maxTokens: 'length',
  abort: 'stop',
};

/**
 * A local GGUF model as a chat client.
 *
 * @example
 * const reader = new LlmReader({ client: new LlamaCppClient({ modelPath: 'qwen2.5-3b-instruct-q4_k_m.gguf' }) });
 */
export class LlamaCppClient implements ChatClient {
  readonly model: string;
  private readonly path: string;
  private readonly contextSize: number;
  private readonly temperature: number;
  private readonly gpuLayers: 'auto' | number;
  private chatPromise: Promise<{ chat: Module; context: Module }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: LlamaCppClientOptions = {}) {
    const path = options.modelPath ?? process.env.FUNNEL_GGUF_MODEL;
    if (typeof path !== 'string' || path === '') {
      throw new InvalidArgumentError(
        'local model: no model file, set FUNNEL_GGUF_MODEL or the stage option modelPath to a .gguf file',
      );
    }
    this.path = resolve(path);
    this.model = basename(this.path);
    this.contextSize = options.contextSize ?? 8192;
    this.temperature = options.temperature ?? 0;
    this.gpuLayers = options.gpuLayers ?? 'auto';
    if (!Number.isSafeInteger(this.contextSize) || this.contextSize < 256)
      throw new InvalidArgumentError(
        `local model: illegal contextSize=${options.contextSize}, must be an integer >= 256`,
      );
    if (!(this.temperature >= 0))
      throw new InvalidArgumentError(`local model: illegal temperature=${options.temperature}, must be >= 0`);
  }

  private start(): Promise<{ chat: Module; context: Module }> {
    this.chatPromise ??= (async () => {
      if (!existsSync(this.path)) throw new BadInputError(this.path, 'no such model file');
      const mod = await loadModule();
      const model = await loadModel(this.path, this.gpuLayers);
      const contextSize = Math.min(this.contextSize, model.trainContextSize ?? this.contextSize);
      const context = await model.createContext({ contextSize });
      return { chat: new mod.LlamaChat({ contextSequence: context.getSequence() }), context };
    })();
    this.chatPromise.catch(() => {
      this.chatPromise = undefined;
    });
    return this.chatPromise;
  }

  chat(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResponse> {
    const run = this.queue.then(() => this.generate(request, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async generate(request: ChatRequest, options: ChatCallOptions): Promise<ChatResponse> {
    options.signal?.throwIfAborted();
    const { chat } = await this.start();
    const offer = request.tools !== undefined && request.tools.length > 0 && request.toolChoice !== 'none';
    const functions = offer
      ? Object.fromEntries(
          (request.tools ?? []).map((t) => [
            t.function.name,
            { description: t.function.description, params: t.function.parameters },
          ]),
        )
      : undefined;
    const result = await chat.generateResponse(toHistory(request.messages), {
      maxTokens: request.maxTokens,
      temperature: request.temperature ?? this.temperature,
      signal: options.signal,
      functions,
      onTextChunk: options.onText,
    });
    const toolCalls: ToolCall[] = (
      (result.functionCalls ?? []) as { functionName: string; params: unknown }[]
    ).map((call, i) => ({
      id: `call_${i + 1}`,
      type: 'function',
      function: { name: call.functionName, arguments: JSON.stringify(call.params ?? {}) },
    }));
    return {
      content: result.response as string,
      toolCalls,
      finishReason: FINISH[result.metadata?.stopReason as string] ?? null,
      model: this.model,
    };
  }

  /** Frees the context (the model stays loaded for other clients of this process). */
  async close(): Promise<void> {
    const started = this.chatPromise;
    this.chatPromise = undefined;
    if (started) await (await started).context.dispose();
  }
}
