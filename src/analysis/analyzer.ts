/**
 * @module analysis/analyzer
 * Owns the Analyzer: the public entry point that turns a string into terms with positions and
 * original-text offsets, the same way at index time and at query time. It resolves and validates
 * options (language, stop words, stemming) and wires the tokenizer, stop set and stemmer together.
 */

import { InvalidArgumentError } from '../errors.js';
import { tokenizeJson } from './json-tokenizer.js';
import { stemCacheFor } from './stem-cache.js';
import { buildStopSet, defaultStopWords } from './stop-words.js';
import type { TermIds } from './term-ids.js';
import { TokenSink } from './token-sink.js';
import { tokenize } from './tokenizer.js';
import { WordFilter } from './word-filter.js';

/** 'index' emits everything a document may be searched by; 'query' emits what a query must match. */
export type AnalyzeMode = 'index' | 'query';

/** Struct of arrays, to avoid one object per token in the hot path. */
export interface AnalyzedText {
  /** Analyzed tokens, in text order. */
  terms: string[];
  /** Token position; several tokens may share one (e.g. a CJK unigram and bigram). Non-decreasing. */
  positions: number[];
  /** UTF-16 offset of the token's first char in the original input string. */
  starts: number[];
  /** UTF-16 offset just past the token's last char in the original input string. */
  ends: number[];
  /** Field length for BM25: number of distinct positions that carry at least one token. */
  length: number;
  /** Next free position, so a caller can add a gap and continue with a second field. */
  positionCount: number;
}

export interface AnalyzerOptions {
  /** One of {@link SUPPORTED_LANGUAGES}; default 'english'. 'none' means no stemming, no stop words. */
  language?: string;
  /** true: the language's default list; false: none; an array: exactly these words. Default true. */
  stopwords?: boolean | string[];
  /** Snowball stemming; default true (always false for 'none'). */
  stem?: boolean;
}

/** Options after defaults are applied; plain JSON, stored in an index manifest. */
export type ResolvedAnalyzerOptions = Readonly<Required<AnalyzerOptions>>;

export interface Analyzer {
  /** The resolved language, e.g. 'english'. */
  readonly language: string;
  /** The resolved options; `createAnalyzer(a.options)` builds an identical analyzer. */
  readonly options: ResolvedAnalyzerOptions;
  /** Analyzes a text; default mode 'index'. */
  analyze(text: string, mode?: AnalyzeMode): AnalyzedText;
  /** Analyzes one query word or phrase the same way; `analyze(text, mode).terms`, default mode 'query'. */
  terms(text: string, mode?: AnalyzeMode): string[];
  /**
   * Index mode without arrays: calls `emit(term, position)` for each token in order and returns the
   * field length (as `analyze(text, 'index')` gives). The indexer's fast path: no offsets, no garbage.
   */
  forEachToken(text: string, emit: (term: string, position: number) => void): number;
  /**
   * `forEachToken` with each term as its id in {@link termIds}: no string per token at all. A caller
   * keeping ids must `acquire` the table first and `release` it when it no longer needs them.
   */
  forEachTermId(text: string, emit: (id: number, position: number) => void): number;
  /**
   * `forEachTermId` over the content of a JSON string literal given as UTF-8 bytes `[start, end)`
   * (escapes included, as in a corpus line): the same tokens as for the decoded string, without
   * decoding it (see json-tokenizer). The content must be valid JSON string content.
   */
  forEachJsonTermId(
    bytes: Uint8Array,
    start: number,
    end: number,
    emit: (id: number, position: number) => void,
  ): number;
  /** The analyzer's term id table (see term-ids). */
  readonly termIds: TermIds;
}

/**
 * 'english' (the default), every other algorithm of snowball-stemmers 0.6.0 (listed here, so that
 * its 200 ms load waits for a language that needs it; a test checks the list against the package),
 * then 'none'.
 */
export const SUPPORTED_LANGUAGES: readonly string[] = Object.freeze([
  'english',
  ...[
    'arabic',
    'armenian',
    'basque',
    'catalan',
    'czech',
    'danish',
    'dutch',
    'finnish',
    'french',
    'german',
    'hungarian',
    'irish',
    'italian',
    'norwegian',
    'porter',
    'portuguese',
    'romanian',
    'russian',
    'slovene',
    'spanish',
    'swedish',
    'tamil',
    'turkish',
  ],
  'none',
]);

function resolveOptions(options: AnalyzerOptions | undefined): ResolvedAnalyzerOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`analyzer: illegal options ${String(options)}, expected an object`);
  }
  const language = options.language ?? 'english';
  if (typeof language !== 'string' || !SUPPORTED_LANGUAGES.includes(language)) {
    throw new InvalidArgumentError(
      `analyzer: unknown language ${JSON.stringify(language)}, expected one of ${SUPPORTED_LANGUAGES.join(', ')}`,
    );
  }
  const none = language === 'none';
  let stopwords = options.stopwords ?? !none;
  if (Array.isArray(stopwords)) {
    if (!stopwords.every((w) => typeof w === 'string')) {
      throw new InvalidArgumentError('analyzer: illegal stopwords, expected an array of strings');
    }
    stopwords = Object.freeze([...stopwords]) as string[];
  } else if (typeof stopwords !== 'boolean') {
    throw new InvalidArgumentError(
      `analyzer: illegal stopwords ${JSON.stringify(stopwords)}, expected a boolean or an array of strings`,
    );
  } else if (none) {
    stopwords = false;
  }
  const stem = options.stem ?? !none;
  if (typeof stem !== 'boolean') {
    throw new InvalidArgumentError(`analyzer: illegal stem ${JSON.stringify(stem)}, expected a boolean`);
  }
  return Object.freeze({ language, stopwords, stem: stem && !none });
}

class TextAnalyzer implements Analyzer {
  readonly language: string;
  readonly options: ResolvedAnalyzerOptions;
  private readonly filter: WordFilter;

  constructor(options: ResolvedAnalyzerOptions) {
    this.options = options;
    this.language = options.language;
    const words = Array.isArray(options.stopwords)
      ? options.stopwords
      : options.stopwords
        ? defaultStopWords(options.language)
        : [];
    this.filter = new WordFilter(
      words.length > 0 ? buildStopSet(words) : null,
      options.stem ? stemCacheFor(options.language) : null,
    );
  }

  analyze(text: string, mode: AnalyzeMode = 'index'): AnalyzedText {
    if (typeof text !== 'string') {
      throw new InvalidArgumentError(`analyzer: illegal text of type ${typeof text}, expected a string`);
    }
    if (mode !== 'index' && mode !== 'query') {
      throw new InvalidArgumentError(
        `analyzer: unknown mode ${JSON.stringify(mode)}, expected index or query`,
      );
    }
    const sink = new TokenSink(this.filter);
    tokenize(sink, text, mode === 'query');
    return sink.result();
  }

  terms(text: string, mode: AnalyzeMode = 'query'): string[] {
    return this.analyze(text, mode).terms;
  }

  forEachToken(text: string, emit: (term: string, position: number) => void): number {
    const sink = new TokenSink(this.filter, emit);
    tokenize(sink, text, false);
    return sink.result().length;
  }

  forEachTermId(text: string, emit: (id: number, position: number) => void): number {
    const sink = new TokenSink(this.filter, null, emit);
    tokenize(sink, text, false);
    return sink.result().length;
  }

  forEachJsonTermId(
    bytes: Uint8Array,
    start: number,
    end: number,
    emit: (id: number, position: number) => void,
  ): number {
    const sink = new TokenSink(this.filter, null, emit);
    tokenizeJson(sink, bytes, start, end);
    return sink.result().length;
  }

  get termIds(): TermIds {
    return this.filter.termIds;
  }
}

/** Builds an analyzer; throws InvalidArgumentError on an unknown language or malformed option. */
export function createAnalyzer(options?: AnalyzerOptions): Analyzer {
  return new TextAnalyzer(resolveOptions(options));
}
