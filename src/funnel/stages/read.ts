/**
 * @module funnel/stages/read
 * Stage 3: the reader reads the top passages and answers with verified citations: the extractive
 * reader by default, an OpenAI-compatible chat model with `llm` (settings from the stage options or
 * FUNNEL_LLM_BASE_URL / FUNNEL_LLM_MODEL / FUNNEL_LLM_API_KEY), or a local GGUF model with `gguf`
 * (`modelPath`, else FUNNEL_GGUF_MODEL; `contextSize`, `temperature`). Citations are checked against
 * the stored document text.
 */

import { ExtractiveReader } from '../../reader/extractive-reader.js';
import { LlamaCppClient } from '../../reader/llama-cpp-client.js';
import { LlmReader } from '../../reader/llm-reader.js';
import { OpenAIClient } from '../../reader/openai-client.js';
import type { Passage, Reader, ReadResult } from '../../reader/types.js';
import { CandidateSet } from '../candidate-set.js';
import { toPassages } from '../passages.js';
import type { StageSpec } from '../profile.js';
import type { Candidate, ReadStage, StageContext } from '../types.js';

export class ReaderStage implements ReadStage {
  constructor(readonly spec: StageSpec) {}

  async read(input: Candidate[], ctx: StageContext): Promise<ReadResult> {
    const { engine } = ctx;
    const documentText = (id: string) => engine.get(id)?.text;
    const terms = new Set(ctx.query.clauses.filter((c) => c.occur !== 'mustNot').flatMap((c) => c.terms));
    const passages = toPassages(engine, input, terms, this.spec.keep);
    const { reader, close } = this.reader(documentText);
    const search = async (q: string): Promise<Passage[]> => {
      const r = engine.retrieve(q, 10);
      const found = CandidateSet.fromRefs(r.refs).toArray();
      const qTerms = new Set(r.query.clauses.flatMap((c) => c.terms));
      return toPassages(engine, found, qTerms, 10);
    };
    let result: ReadResult;
    try {
      result = await reader.read(ctx.question, passages, {
        signal: ctx.signal,
        onText: ctx.onText,
        search,
        maxRounds: typeof this.spec.options.maxRounds === 'number' ? this.spec.options.maxRounds : 3,
      });
    } finally {
      await close?.();
    }
    ctx.trace.work.passages = passages.length;
    ctx.trace.work.tokensRead = result.rounds.reduce((s, r) => s + r.tokensRead, 0);
    ctx.trace.work.citations = result.citations.length;
    ctx.trace.work.citationsDropped = result.dropped.length;
    if (result.dropped.length > 0) ctx.trace.notes = { dropped: result.dropped };
    return result;
  }

  /** The stage's reader, and what frees its resources once it has read (a local model's context). */
  private reader(documentText: (id: string) => string | undefined): {
    reader: Reader;
    close?: () => Promise<void>;
  } {
    const o = this.spec.options;
    if (this.spec.model === 'llm') {
      const client = new OpenAIClient({
        baseUrl: typeof o.baseUrl === 'string' ? o.baseUrl : undefined,
        model: typeof o.model === 'string' ? o.model : undefined,
      });
      return { reader: new LlmReader({ client, documentText }) };
    }
    if (this.spec.model === 'gguf') {
      const client = new LlamaCppClient({
        modelPath: typeof o.modelPath === 'string' ? o.modelPath : undefined,
        contextSize: typeof o.contextSize === 'number' ? o.contextSize : undefined,
        temperature: typeof o.temperature === 'number' ? o.temperature : undefined,
      });
      return { reader: new LlmReader({ client, documentText }), close: () => client.close() };
    }
    return {
      reader: new ExtractiveReader({
        documentText,
        sentences: typeof o.sentences === 'number' ? o.sentences : 3,
      }),
    };
  }
}
