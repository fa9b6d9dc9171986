/**
 * @module analysis/stem-cache
 * Owns stemming: one Snowball stemmer per language. English, the default, is the `porter2`
 * package: the same Snowball English algorithm, with the same stems as snowball-stemmers' (checked
 * on 347 k words of the shared collections, the Debian docs and WordNet; a test keeps checking), at
 * 0.35 µs a word instead of 6.4: cheaper than a memo's lookup and insertion of a new word (1 µs), so
 * it is called as is (the analyzer's word memo already keeps each ASCII word's term). Every other
 * language is snowball-stemmers', behind a memo: natural text repeats a small vocabulary, so a Map
 * of at most {@link STEM_CACHE_MAX} entries (cleared when full) turns most calls into one lookup.
 * The stemmers are shared by every analyzer of the same language.
 */

import { createRequire } from 'node:module';
import { stem as porter2 } from 'porter2';
import type { Stemmer } from 'snowball-stemmers';

/** snowball-stemmers, loaded for the first language other than English (it takes 200 ms). */
function newStemmer(language: string): Stemmer {
  const snowball = createRequire(import.meta.url)('snowball-stemmers') as typeof import('snowball-stemmers');
  return snowball.newStemmer(language);
}

/** Maximum number of memoized words per language before the memo is cleared. */
export const STEM_CACHE_MAX = 1_000_000;

/**
 * A copy of `s` that does not share memory with a larger string. `text.slice()` of 13+ characters is
 * a view into the whole input; keeping it as a term or cache key would keep the document alive.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** The stemmer of one language (memoizing, but for English). */
export class StemCache {
  /** Null for English. */
  private readonly memo: Map<string, string> | null;
  private readonly stemmer: Stemmer;

  constructor(language: string) {
    const english = language === 'english';
    this.stemmer = english ? { stem: porter2 } : newStemmer(language);
    this.memo = english ? null : new Map();
  }

  /** The stem of a normalized term; the result never retains the caller's input string. */
  stem(term: string): string {
    if (this.memo === null) return this.stemmer.stem(detach(term));
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
    return this.memo?.size ?? 0;
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
