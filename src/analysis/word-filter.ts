/**
 * @module analysis/word-filter
 * Owns the filter chain applied to a normalized word of a space-separated script: length cap → stop
 * words → stemming. It also holds the analyzer's raw ASCII word memo, whose values are this chain's
 * results, and the analyzer's term ids. One per analyzer.
 */

import { detach, type StemCache } from './stem-cache.js';
import { AsciiTermCache } from './term-cache.js';
import { TermIds } from './term-ids.js';

/** Longest term kept, in UTF-16 units after normalization; a longer word is dropped. */
export const MAX_TERM_LENGTH = 64;

/** Stop words, stemmer and ASCII memo of one analyzer. */
export class WordFilter {
  readonly asciiCache = new AsciiTermCache();
  /** Ids of final terms; renewing it clears the memo, whose entries carry ids. */
  readonly termIds = new TermIds(() => this.asciiCache.clear());

  constructor(
    private readonly stopSet: ReadonlySet<string> | null,
    private readonly stemmer: StemCache | null,
  ) {}

  /**
   * Memoizes the raw ASCII word `raw` (hash `hash` of its lower-cased chars; `upper` when it has
   * capitals) with its final term and term id; returns its slot in the ASCII memo. The tokenizers'
   * path for a word the memo does not know yet.
   */
  remember(raw: string, upper: boolean, stemmable: boolean, hash: number): number {
    const key = detach(upper ? raw.toLowerCase() : raw);
    const term = this.resolve(key, stemmable);
    return this.asciiCache.set(key, hash, term, term.length > 0 ? this.termIds.id(term) : -1);
  }

  /**
   * The final term of a normalized word, or '' when the word is dropped (too long, or a stop word).
   * The result never shares memory with `term`'s parent string.
   */
  resolve(term: string, stemmable: boolean): string {
    if (term.length === 0 || term.length > MAX_TERM_LENGTH || this.stopSet?.has(term) === true) return '';
    if (stemmable && this.stemmer !== null) {
      const stem = this.stemmer.stem(term);
      if (stem.length > 0) return stem;
    }
    return detach(term);
  }
}
