import { describe, expect, it } from 'vitest';
import { AsciiTermCache, HASH_SEED, hashStep, TERM_CACHE_MAX } from './term-cache.js';

const hashOf = (word: string) => {
  let h = HASH_SEED;
  for (let i = 0; i < word.length; i++) h = hashStep(h, word.toLowerCase().charCodeAt(i));
  return h;
};

describe('AsciiTermCache', () => {
  it('finds a word in place, case-insensitively, and misses other words', () => {
    const cache = new AsciiTermCache();
    cache.set('running', hashOf('running'), 'run');
    const text = 'The RUNNING man';
    expect(cache.get(text, 4, 11, hashOf('RUNNING'))).toBe('run');
    expect(cache.get(text, 0, 3, hashOf('the'))).toBeUndefined();
    expect(cache.get(text, 4, 10, hashOf('RUNNIN'))).toBeUndefined();
  });

  it('keeps entries while growing and clears itself when full', () => {
    const cache = new AsciiTermCache();
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    for (const w of words) cache.set(w, hashOf(w), w.toUpperCase());
    for (const w of words) expect(cache.get(w, 0, w.length, hashOf(w))).toBe(w.toUpperCase());
    for (let i = 5000; i < TERM_CACHE_MAX + 10; i++) cache.set(`w${i}`, hashOf(`w${i}`), '');
    expect(cache.size).toBeLessThanOrEqual(TERM_CACHE_MAX);
    expect(cache.size).toBeGreaterThan(0);
  });
});
