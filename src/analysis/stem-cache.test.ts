import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newStemmer } from 'snowball-stemmers';
import { describe, expect, it } from 'vitest';
import { StemCache, stemCacheFor } from './stem-cache.js';

const WORDS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/stem-words.txt');

describe('StemCache', () => {
  it("stems English exactly as snowball-stemmers' English does (indexes built with either agree)", () => {
    // Every 30th of the 347 k distinct words the analyzer stemmed in the shared collections, the
    // Debian docs and WordNet, and all of their non-ASCII words.
    const words = fs
      .readFileSync(WORDS, 'utf8')
      .split('\n')
      .filter((w) => w.length > 0);
    expect(words.length).toBeGreaterThan(12_000);
    const snowball = newStemmer('english');
    const english = new StemCache('english');
    const differ = words.filter((w) => english.stem(w) !== snowball.stem(w));
    expect(differ).toEqual([]);
    expect(english.stem('animadversion')).toBe('animadvers');
    expect(english.stem('generously')).toBe('generous');
  });

  it('stems other languages with their Snowball stemmer', () => {
    expect(new StemCache('french').stem('continuellement')).toBe('continuel');
    expect(new StemCache('german').stem('häuser')).toBe(newStemmer('german').stem('häuser'));
  });

  it('memoizes each word once (English, cheaper to stem than to look up, is not), and shares one per language', () => {
    const cache = new StemCache('french');
    expect(cache.stem('continuellement')).toBe('continuel');
    expect(cache.stem('continuellement')).toBe('continuel');
    expect(cache.size).toBe(1);
    const english = new StemCache('english');
    expect(english.stem('running')).toBe('run');
    expect(english.size).toBe(0);
    expect(stemCacheFor('english')).toBe(stemCacheFor('english'));
    expect(stemCacheFor('dutch')).not.toBe(stemCacheFor('english'));
  });
});
