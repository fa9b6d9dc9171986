/**
 * @module reader/llm-reader
 * The LLM reader: packs passages into a token budget, gives them to a chat model as numbered data
 * (see `prompt`), lets it call `search` for up to `maxRounds` rounds, then keeps only the citations
 * whose quotes it can find verbatim in the cited passage and verify in the document.
 */

import { InvalidArgumentError } from '../errors.js';
import { packPassages, resolveBudget } from './budget.js';
import type { ChatClient, ChatMessage, ChatResponse, ToolCall } from './chat-types.js';
import { locateQuote } from './locate.js';
import { validatePassages } from './passages.js';
import {
  neutralise,
  SEARCH_TOOL,
  searchResultsMessage,
  systemPrompt,
  toolError,
  userMessage,
} from './prompt.js';
import { CitationsFilter, keepMarkers, parseReply } from './reply-format.js';
import type {
  Citation,
  DocumentText,
  DroppedCitation,
  Passage,
  Reader,
  ReadOptions,
  ReadResult,
  ReadRound,
} from './types.js';
import { checkCitations } from './verify.js';

/** Options of {@link LlmReader}. */
export interface LlmReaderOptions {
  /** The model, e.g. `new OpenAIClient()`. */
  client: ChatClient;
  /** Full document texts to verify citations against; default: the passages shown to the model. */
  documentText?: DocumentText;
  /** Cap on the tokens of each reply; default 1024. */
  maxAnswerTokens?: number;
}

/** Passages the model has seen, by number. */
class Shown {
  readonly byNumber = new Map<number, Passage>();
  private readonly byKey = new Map<string, number>();
  next: number;

  constructor(given: readonly Passage[]) {
    this.next = given.reduce((max, p) => Math.max(max, p.n), 0) + 1;
  }

  static key(p: Passage): string {
    return `${p.docId}\u0000${p.offset}\u0000${p.text.length}`;
  }

  add(p: Passage): void {
    this.byNumber.set(p.n, p);
    this.byKey.set(Shown.key(p), p.n);
  }

  numberOf(p: Passage): number | undefined {
    return this.byKey.get(Shown.key(p));
  }
}

/** What one round of tool calls added. */
interface ToolRound {
  messages: ChatMessage[];
  queries: string[];
  passages: number;
  tokens: number;
}

/**
 * Reader backed by a chat model, with verified citations.
 *
 * @example
 * const reader = new LlmReader({ client: new OpenAIClient() }); // settings from FUNNEL_LLM_*
 * const result = await reader.read(question, passages, { onText: (d) => process.stdout.write(d) });
 */
export class LlmReader implements Reader {
  readonly name = 'llm';
  private readonly client: ChatClient;
  private readonly documentText: DocumentText | undefined;
  private readonly maxAnswerTokens: number;

  constructor(options: LlmReaderOptions) {
    if (typeof options?.client?.chat !== 'function') {
      throw new InvalidArgumentError('llm reader: no client, expected an object with a chat() method');
    }
    this.client = options.client;
    this.documentText = options.documentText;
    this.maxAnswerTokens = options.maxAnswerTokens ?? 1024;
    if (!Number.isSafeInteger(this.maxAnswerTokens) || this.maxAnswerTokens < 1) {
      throw new InvalidArgumentError(
        `llm reader: illegal maxAnswerTokens=${options.maxAnswerTokens}, must be an integer >= 1`,
      );
    }
  }

  /**
   * Reads the passages that fit `options.maxTokens` (shared by all rounds) and asks the model. With
   * `options.search`, the model may call `search` in up to `maxRounds` rounds; found passages are
   * renumbered after the highest given number (their own `n` is ignored), and ones already shown are
   * referred to by their number. Rejects with the signal's reason on abort, and with
   * UpstreamModelError / ModelTimeoutError when the model server fails.
   */
  async read(question: string, passages: Passage[], options: ReadOptions = {}): Promise<ReadResult> {
    const { signal, search } = options;
    signal?.throwIfAborted();
    validatePassages(passages);
    const maxRounds = options.maxRounds ?? 3;
    if (!Number.isSafeInteger(maxRounds) || maxRounds < 0) {
      throw new InvalidArgumentError(`llm reader: illegal maxRounds=${maxRounds}, must be an integer >= 0`);
    }
    let remaining = resolveBudget(options.maxTokens);
    const packed = packPassages(passages, remaining);
    remaining -= packed.tokens;
    const shown = new Shown(passages);
    for (const p of packed.passages) shown.add(p);
    const canSearch = search !== undefined && maxRounds > 0;
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(canSearch) },
      { role: 'user', content: userMessage(question, packed.passages) },
    ];
    const rounds: ReadRound[] = [];
    let round: ReadRound = { passages: packed.passages.length, tokensRead: packed.tokens, ms: 0 };
    let began = performance.now();
    let reply: ChatResponse;
    for (let searches = 0; ; searches++) {
      const offer = canSearch && searches < maxRounds;
      const filter = new CitationsFilter(options.onText);
      // Once the rounds are spent the tool stays declared (the history holds its calls) but is refused.
      const tools = canSearch
        ? { tools: [SEARCH_TOOL], toolChoice: offer ? ('auto' as const) : ('none' as const) }
        : {};
      reply = await this.client.chat(
        { messages, ...tools, maxTokens: this.maxAnswerTokens },
        { signal, onText: filter.push },
      );
      filter.end();
      rounds.push({ ...round, ms: performance.now() - began });
      if (!offer || reply.toolCalls.length === 0 || search === undefined) break;
      began = performance.now();
      const last = searches + 1 === maxRounds;
      const added = await this.runTools(reply, search, shown, remaining, last, signal);
      remaining -= added.tokens;
      messages.push(...added.messages);
      const query = added.queries.join(' | ');
      round = { ...(query ? { query } : {}), passages: added.passages, tokensRead: added.tokens, ms: 0 };
    }
    return { ...this.finish(reply.content, shown), rounds, model: reply.model };
  }

  /** Runs the search calls of one reply and returns the messages that answer them. */
  private async runTools(
    reply: ChatResponse,
    search: (query: string) => Promise<Passage[]>,
    shown: Shown,
    budget: number,
    last: boolean,
    signal: AbortSignal | undefined,
  ): Promise<ToolRound> {
    const out: ToolRound = {
      messages: [{ role: 'assistant', content: reply.content || null, tool_calls: reply.toolCalls }],
      queries: [],
      passages: 0,
      tokens: 0,
    };
    for (const call of reply.toolCalls) {
      const query = searchQuery(call);
      if (typeof query !== 'string') {
        out.messages.push({ role: 'tool', tool_call_id: call.id, content: toolError(query.error) });
        continue;
      }
      out.queries.push(query);
      const found = await search(query);
      signal?.throwIfAborted();
      const repeated: number[] = [];
      const fresh: Passage[] = [];
      for (const p of found) {
        const seen = shown.numberOf(p);
        if (seen !== undefined) repeated.push(seen);
        else if (!fresh.some((f) => Shown.key(f) === Shown.key(p))) fresh.push(p);
      }
      const packed = packPassages(fresh, budget - out.tokens, false);
      const numbered = packed.passages.map((p) => ({ ...p, n: shown.next++ }));
      validatePassages(numbered);
      for (const p of numbered) shown.add(p);
      out.passages += numbered.length;
      out.tokens += packed.tokens;
      out.messages.push({
        role: 'tool',
        tool_call_id: call.id,
        content: searchResultsMessage(query, numbered, repeated, last),
      });
    }
    return out;
  }

  /** Parses the final reply, locates and verifies its quotes, and keeps the markers they back. */
  private finish(content: string, shown: Shown): Pick<ReadResult, 'answer' | 'citations' | 'dropped'> {
    const parsed = parseReply(content);
    const dropped: DroppedCitation[] = parsed.malformed.map((m) => ({
      citation: { passage: 0, docId: '', start: -1, end: -1, quote: m.entry },
      reason: m.reason,
    }));
    const located: Citation[] = [];
    for (const { passage: n, quote } of parsed.cited) {
      const passage = shown.byNumber.get(n);
      const unplaced: Citation = { passage: n, docId: passage?.docId ?? '', start: -1, end: -1, quote };
      if (passage === undefined) {
        dropped.push({ citation: unplaced, reason: `passage [${n}] was not given to the model` });
        continue;
      }
      const span = locateQuote(neutralise(passage.text), quote);
      if (span === undefined) {
        dropped.push({ citation: unplaced, reason: `quote not found in passage [${n}]` });
        continue;
      }
      located.push({
        passage: n,
        docId: passage.docId,
        start: passage.offset + span.start,
        end: passage.offset + span.end,
        quote: passage.text.slice(span.start, span.end),
      });
    }
    const checked = checkCitations(dedupe(located), this.documentText ?? [...shown.byNumber.values()]);
    const backed = new Set(checked.citations.map((c) => c.passage));
    return {
      answer: keepMarkers(parsed.answer, backed),
      citations: checked.citations,
      dropped: [...dropped, ...checked.dropped],
    };
  }
}

/** The query of a search call, or why there is none. */
function searchQuery(call: ToolCall): string | { error: string } {
  if (call.function.name !== SEARCH_TOOL.function.name) {
    return { error: `unknown tool ${JSON.stringify(call.function.name)}; the only tool is search` };
  }
  try {
    const args = JSON.parse(call.function.arguments || '{}') as { query?: unknown };
    if (typeof args.query === 'string' && args.query.trim() !== '') return args.query.trim();
  } catch {
    // fall through to the error
  }
  return { error: 'search takes JSON arguments {"query": "a short keyword query"}' };
}

function dedupe(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.passage}:${c.start}:${c.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
