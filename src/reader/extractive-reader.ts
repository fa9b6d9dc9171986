/**
 * @module reader/extractive-reader
 * The default reader, with no model: answers with the best few sentences of the top passages, each
 * followed by its `[n]` marker and backed by a verified citation of the sentence's own span.
 */

import { type Analyzer, createAnalyzer } from '../analysis/index.js';
import { InvalidArgumentError } from '../errors.js';
import { packPassages, resolveBudget } from './budget.js';
import { validatePassages } from './passages.js';
import { scoreSentences } from './score-sentences.js';
import type {
  Citation,
  DocumentText,
  DroppedCitation,
  Passage,
  Reader,
  ReadOptions,
  ReadResult,
} from './types.js';
import { verifyCitation } from './verify.js';

/** Options of {@link ExtractiveReader}. */
export interface ExtractiveReaderOptions {
  /** Sentences in the answer; default 3. */
  sentences?: number;
  /** Analyzer for term matching; default `createAnalyzer()` (English stemming, CJK bigrams). */
  analyzer?: Analyzer;
  /** Full document texts to verify citations against; default: the passages themselves. */
  documentText?: DocumentText;
  /** Longest sentence kept whole; see `splitSentences`. */
  maxSentenceChars?: number;
}

/** Full-width CJK punctuation or letters: no space is needed around them. */
const CJK_EDGE = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;

function joinAnswer(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (out !== '' && !(CJK_EDGE.test(out.at(-1) ?? '') && CJK_EDGE.test(part[0]))) out += ' ';
    out += part;
  }
  return out;
}

function withMarker(sentence: string, n: number): string {
  return CJK_EDGE.test(sentence.at(-1) ?? '') ? `${sentence}[${n}]` : `${sentence} [${n}]`;
}

/**
 * Extractive reader: sentence scoring by IDF-weighted term overlap (see `scoreSentences`).
 *
 * @example
 * const reader = new ExtractiveReader();
 * const result = await reader.read('How tall is the Eiffel Tower?', passages);
 * // result.answer: 'The tower is 330 metres tall. [1]'
 */
export class ExtractiveReader implements Reader {
  readonly name = 'extractive';
  private readonly sentences: number;
  private readonly analyzer: Analyzer;
  private readonly documentText: DocumentText | undefined;
  private readonly maxSentenceChars: number | undefined;

  constructor(options: ExtractiveReaderOptions = {}) {
    this.sentences = options.sentences ?? 3;
    if (!Number.isSafeInteger(this.sentences) || this.sentences < 1) {
      throw new InvalidArgumentError(
        `extractive reader: illegal sentences=${options.sentences}, must be an integer >= 1`,
      );
    }
    this.analyzer = options.analyzer ?? createAnalyzer();
    this.documentText = options.documentText;
    this.maxSentenceChars = options.maxSentenceChars;
  }

  /** Answers from the passages that fit `options.maxTokens`; `search` and `onText` are not used. */
  async read(question: string, passages: Passage[], options: ReadOptions = {}): Promise<ReadResult> {
    options.signal?.throwIfAborted();
    validatePassages(passages);
    const began = performance.now();
    const packed = packPassages(passages, resolveBudget(options.maxTokens));
    const ranked = scoreSentences(question, packed.passages, passages, this.analyzer, this.maxSentenceChars);
    const source = this.documentText ?? packed.passages;
    const parts: string[] = [];
    const citations: Citation[] = [];
    const dropped: DroppedCitation[] = [];
    const seen = new Set<string>();
    for (const { passage, sentence } of ranked) {
      if (citations.length >= this.sentences) break;
      const key = sentence.text.replace(/\s+/g, ' ').toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const citation: Citation = {
        passage: passage.n,
        docId: passage.docId,
        start: passage.offset + sentence.start,
        end: passage.offset + sentence.end,
        quote: sentence.text,
      };
      const verdict = verifyCitation(citation, source);
      if (!verdict.ok) {
        dropped.push({ citation, reason: verdict.reason });
        continue;
      }
      citations.push(citation);
      parts.push(withMarker(sentence.text, passage.n));
    }
    return {
      answer: joinAnswer(parts),
      citations,
      dropped,
      rounds: [
        { passages: packed.passages.length, tokensRead: packed.tokens, ms: performance.now() - began },
      ],
      model: 'extractive',
    };
  }
}
