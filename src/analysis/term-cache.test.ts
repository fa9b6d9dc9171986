import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiTermCache, HASH_SEED, hashStep, PACKED_CHARS, packChar, TERM_CACHE_MAX } from './term-cache.js';

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

  it('tells apart words at every packed length and past it, by content, not by hash alone', () => {
    const cache = new AsciiTermCache();
    const words: string[] = [];
    for (let len = 1; len <= 40; len++) {
      const w = 'abcdefghijklmnopqrstuvwxyz0123456789abcdefgh'.slice(0, len);
      words.push(w, `${w.slice(0, -1)}_`);
    }
    // Every word is stored under one hash, so only the key comparison can tell them apart.
    for (const [i, w] of words.entries()) cache.set(w, 7, `t${i}`, i);
    words.forEach((w, i) => {
      const text = ` ${w.toUpperCase()} `;
      expect(cache.get(text, 1, 1 + w.length, 7)).toBe(`t${i}`);
      expect(cache.id(cache.find(text, 1, 1 + w.length, 7))).toBe(i);
      expect(cache.id(cache.findBytes(Buffer.from(text), 1, 1 + w.length, 7))).toBe(i);
    });
    expect(cache.get(' abcdefghijklmnopq ', 1, 17, 7)).toBe('t30');
    expect(cache.find('abcdefghijklmnopqy', 0, 18, 7)).toBe(-1);
    expect(cache.find('abcdeg', 0, 6, 7)).toBe(-1);
  });

  it('keeps entries while growing and clears itself when full', () => {
    const cache = new AsciiTermCache();
    // Short words are packed in their slots, long ones kept in the pool: both survive growing.
    const words = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `w${i}` : `averylongwordindeed${i}`));
    for (const w of words) cache.set(w, hashOf(w), w.toUpperCase());
    for (const w of words) expect(cache.get(w, 0, w.length, hashOf(w))).toBe(w.toUpperCase());
    for (let i = 5000; i < TERM_CACHE_MAX + 10; i++) cache.set(`w${i}`, hashOf(`w${i}`), '');
    expect(cache.size).toBeLessThanOrEqual(TERM_CACHE_MAX);
    expect(cache.size).toBeGreaterThan(0);
  });

  it('agrees with a Map on any words, however their hashes collide, by every lookup path', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 60 }),
        fc.array(word, { maxLength: 30 }),
        fc.nat(3),
        (stored, probes, bits) => {
          const cache = new AsciiTermCache();
          const reference = new Map<string, number>();
          // Few distinct hashes (bits 0..3): long probe runs and equal hashes of different words.
          const hash = (w: string) => hashOf(w) & ((1 << bits) - 1);
          for (const w of stored) {
            const key = w.toLowerCase();
            if (reference.has(key)) continue;
            reference.set(key, reference.size);
            cache.set(key, hash(key), key.toUpperCase(), reference.size - 1);
          }
          for (const w of [...stored, ...probes]) {
            const want = reference.get(w.toLowerCase());
            const text = `(${w})`;
            const h = hash(w.toLowerCase());
            const viaText = cache.find(text, 1, 1 + w.length, h);
            const viaBytes = cache.findBytes(Buffer.from(text), 1, 1 + w.length, h);
            let viaPacked = viaText;
            if (w.length <= PACKED_CHARS) {
              // As the tokenizers pack a word while they scan it.
              let acc = 0;
              for (let j = 0; j < w.length; j++)
                acc = packChar(cache.packed, acc, j, w.toLowerCase().charCodeAt(j));
              viaPacked = cache.findPacked(h, w.length, acc);
            }
            for (const slot of [viaText, viaBytes, viaPacked])
              expect(slot < 0 ? undefined : cache.id(slot)).toBe(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
