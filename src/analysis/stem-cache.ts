/**
 * @module analysis/stem-cache
 * Owns stemming: one Snowball stemmer per language behind a bounded memo. English, the default, is
 * the `porter2` package: the same Snowball English algorithm, with the same stems as
 * snowball-stemmers' (checked on 347 k words of the shared collections, the Debian docs and
 * WordNet; a test keeps checking), at 0.2-0.9 µs a new word instead of 6.4. Every other language
 * is snowball-stemmers'. Natural text repeats a small vocabulary, so a Map of at most
 * {@link STEM_CACHE_MAX} entries (cleared when full) turns most calls into one lookup. The caches
 * are shared by every analyzer of the same language.
 */

import { stem as porter2 } from 'porter2';
import { newStemmer, type Stemmer } from 'snowball-stemmers';

/** Maximum number of memoized words per language before the memo is cleared. */
export const STEM_CACHE_MAX = 1_000_000;

/**
 * A copy of `s` that does not share memory with a larger string. `text.slice()` of 13+ characters is
 * a view into the whole input; keeping it as a term or cache key would keep the document alive.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** A memoizing stemmer for one language. */
export class StemCache {
  private readonly memo = new Map<string, string>();
  private readonly stemmer: Stemmer;

  constructor(language: string) {
    this.stemmer = language === 'english' ? { stem: porter2 } : newStemmer(language);
  }

  /** The stem of a normalized term; the result never retains the caller's input string. */
  stem(term: string): string {
    let s = this.memo.get(term);
    if (s === undefined) {
      if (this.memo.size >= STEM_CACHE_MAX) this.memo.clear();
      const key = detach(term);
      s = this.stemmer.stem(key);
      this.memo.set(key, s);
    }
    return s;
  }

  /** Number of memoized words (for tests). */
  get size(): number {
    return this.memo.size;
  }
}

const shared = new Map<string, StemCache>();

/** The shared memoizing stemmer of a snowball language. */
export function stemCacheFor(language: string): StemCache {
  let c = shared.get(language);
  if (c === undefined) {
    c = new StemCache(language);
    shared.set(language, c);
  }
  return c;
}
