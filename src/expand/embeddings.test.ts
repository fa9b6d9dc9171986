import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunnelError } from '../errors.js';
import { type Embeddings, loadEmbeddings } from './embeddings.js';

const DIMS = 10; // not a multiple of 4: exercises the dot product's tail
const SIZE = 400;

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(42);
const words = Array.from({ length: SIZE }, (_, i) => `w${i}`);
words.splice(3, 3, 'a"b', 'café', '😀');
const vectors = words.map(() =>
  Array.from({ length: DIMS }, () => (next() - 0.5) * (next() < 0.05 ? 1e-7 : 2)),
);

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < DIMS; d++) {
    dot += a[d] * b[d];
    na += a[d] * a[d];
    nb += b[d] * b[d];
  }
  return dot / Math.sqrt(na * nb);
}

/** The wink file format, vectors listed in a shuffled order. */
function winkJson(): string {
  const order = words.map((_, i) => i).sort((a, b) => ((a * 7919) % SIZE) - ((b * 7919) % SIZE));
  const entries = order.map((i) => {
    const norm = Math.hypot(...vectors[i]);
    return `${JSON.stringify(words[i])}:${JSON.stringify([...vectors[i], norm, i])}`;
  });
  return (
    `{"precision":8,"l2NormIndex":${DIMS},"wordIndex":${DIMS + 1},"size":${SIZE},"dimensions":${DIMS},` +
    `"words":${JSON.stringify(words)},"vectors":{${entries.join(',')}},"unkVector":[${new Array(DIMS + 2).fill(0)}]}`
  );
}

let root: string;
let jsonFile: string;
let emb: Embeddings;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-embeddings-'));
  jsonFile = path.join(root, 'vectors.json');
  fs.writeFileSync(jsonFile, winkJson());
  emb = await loadEmbeddings({
    jsonFile,
    cacheDir: path.join(root, 'cache'),
    sourceVersion: '1',
    neighbourCandidates: Infinity,
  });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('embeddings from a small file', () => {
  it('keeps every word at its frequency rank, non-ASCII ones too', () => {
    expect(emb.size).toBe(SIZE);
    expect(emb.dimensions).toBe(DIMS);
    words.forEach((w, i) => {
      expect(emb.rank(w)).toBe(i);
      expect(emb.word(i)).toBe(w);
    });
    expect(emb.rank(' W7 ')).toBe(7);
  });

  it('gives unit vectors and cosines to within quantization error', () => {
    for (let i = 0; i < SIZE; i += 7) {
      const v = emb.vector(words[i])!;
      expect(v).toBeInstanceOf(Float32Array);
      expect(Math.hypot(...v)).toBeCloseTo(1, 1);
      expect(cosine([...v], vectors[i])).toBeGreaterThan(0.999);
      const j = (i * 13 + 5) % SIZE;
      expect(Math.abs(emb.similarity(words[i], words[j]) - cosine(vectors[i], vectors[j]))).toBeLessThan(
        0.02,
      );
    }
    expect(emb.similarity('w10', 'w10')).toBeCloseTo(1, 1);
  });

  it('finds the same nearest neighbours as an exact float search', () => {
    for (let q = 0; q < SIZE; q += 17) {
      const exact = words
        .map((w, i) => ({ w, s: cosine(vectors[q], vectors[i]) }))
        .filter((_, i) => i !== q)
        .sort((a, b) => b.s - a.s);
      const got = emb.neighbours(words[q], 10);
      expect(got).toHaveLength(10);
      const kth = exact[9].s;
      for (const [i, n] of got.entries()) {
        const s = cosine(vectors[q], vectors[words.indexOf(n.word)]);
        expect(Math.abs(n.score - s)).toBeLessThan(0.02);
        expect(s).toBeGreaterThan(kth - 0.03);
        if (i > 0) expect(n.score).toBeLessThanOrEqual(got[i - 1].score);
        expect(n.word).not.toBe(words[q]);
      }
    }
  });

  it('searches only the most frequent candidates when asked', () => {
    const got = emb.neighbours('w300', 5, 50);
    expect(got).toHaveLength(5);
    for (const n of got) expect(emb.rank(n.word)).toBeLessThan(50);
    expect(emb.neighbours('w1', 1000, 20)).toHaveLength(19);
  });

  it('is deterministic', () => {
    expect(emb.neighbours('w5', 20)).toEqual(emb.neighbours('w5', 20));
  });

  it('returns nothing for unknown words', () => {
    expect(emb.vector('nope')).toBeUndefined();
    expect(emb.neighbours('nope', 10)).toEqual([]);
    expect(emb.neighbours('w1', 0)).toEqual([]);
    expect(emb.neighbours('w1', 2.5)).toHaveLength(2);
    expect(emb.similarity('nope', 'w1')).toBe(0);
    expect(emb.has('nope')).toBe(false);
  });

  it('rebuilds a corrupted cache file', async () => {
    const file = emb.report!.file;
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length - 3] ^= 1;
    fs.writeFileSync(file, bad);
    const again = await loadEmbeddings({ jsonFile, cacheDir: path.dirname(file), sourceVersion: '1' });
    expect(again.report?.built).toBe(true);
    expect(fs.readFileSync(file).equals(good)).toBe(true);
    expect(again.neighbours('w3', 3)).toEqual(emb.neighbours('w3', 3));
  });

  it('rejects a file whose vectors do not match its header', async () => {
    const broken = path.join(root, 'broken.json');
    fs.writeFileSync(broken, winkJson().replace(`"size":${SIZE}`, `"size":${SIZE + 1}`));
    await expect(loadEmbeddings({ jsonFile: broken, cacheDir: path.join(root, 'c2') })).rejects.toThrow(
      FunnelError,
    );
  });
});
