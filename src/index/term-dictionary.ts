/**
 * @module index/term-dictionary
 * "Here is a term, give me its ordinal." Terms of one field of one segment, sorted by UTF-8 bytes,
 * stored as one byte array plus an offsets array: about 1 byte per character and 4 bytes per term,
 * where a `Map<string, …>` would cost ~80 bytes per term. Lookup is a binary search in two levels:
 * first over the first four bytes of every {@link BLOCK}-th term (one small array, which stays in
 * cache), then over the bytes of the few dozen terms that prefix leaves. A plain binary search over
 * 700,000 terms touched ~20 places far apart in two large arrays, a cache miss each (~2 µs a
 * lookup); a query looks up hundreds of terms (every feedback candidate's idf, per field and
 * segment).
 */

import { compareUtf8 } from '../strings.js';
import { StoredColumn } from './stored-column.js';

const encoder = new TextEncoder();

/** Every BLOCK-th term's prefix is in the first level. */
const BLOCK = 32;
/** A lookup's key bytes (lookups are synchronous; grown for long terms). */
let keyBuffer = new Uint8Array(256);

export class TermDictionary {
  /** Concatenated UTF-8 bytes of all terms in sorted order. */
  readonly bytes: Uint8Array;
  /** `offsets[i]..offsets[i+1]` is term i; length = size + 1. */
  readonly offsets: Uint32Array;
  /** First level, built on the first lookup: the prefix (see {@link prefixOf}) of term i·BLOCK. */
  private sample: Uint32Array | null = null;

  constructor(bytes: Uint8Array, offsets: Uint32Array) {
    this.bytes = bytes;
    this.offsets = offsets;
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** Builds a dictionary from terms already sorted by `compareTerms`. */
  static fromSorted(terms: readonly string[]): TermDictionary {
    const packed = StoredColumn.fromStrings(terms);
    return new TermDictionary(packed.bytes, Uint32Array.from(packed.offsets));
  }

  /** The ordinal of `term`, or -1. */
  lookup(term: string): number {
    if (keyBuffer.length < term.length * 3) keyBuffer = new Uint8Array(term.length * 3);
    const { written } = encoder.encodeInto(term, keyBuffer);
    return this.lookupBytes(keyBuffer, written);
  }

  /** The ordinal of the term whose UTF-8 bytes are `key[0, length)`, or -1. */
  lookupBytes(key: Uint8Array, length = key.length): number {
    if (this.sample === null) this.sample = this.buildSample();
    const sample = this.sample;
    // Prefixes never decrease along the terms. Blocks whose first term's prefix is below the key's
    // start before it; the first block whose prefix is above it starts after it.
    const p = prefixOf(key, 0, length);
    const below = firstAtLeast(sample, p) - 1;
    const above = firstAtLeast(sample, p + 1);
    let lo = below < 0 ? 0 : below * BLOCK;
    let hi = Math.min(this.size, above * BLOCK) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, key, length);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  private buildSample(): Uint32Array {
    const sample = new Uint32Array(Math.ceil(this.size / BLOCK));
    for (let i = 0; i < sample.length; i++) {
      const o = i * BLOCK;
      sample[i] = prefixOf(this.bytes, this.offsets[o], this.offsets[o + 1]);
    }
    return sample;
  }

  /** The raw bytes of term `ordinal` (no copy). */
  termBytes(ordinal: number): Uint8Array {
    return this.bytes.subarray(this.offsets[ordinal], this.offsets[ordinal + 1]);
  }

  private compareAt(ordinal: number, key: Uint8Array, bEnd: number): number {
    const bytes = this.bytes;
    let a = this.offsets[ordinal];
    const aEnd = this.offsets[ordinal + 1];
    let b = 0;
    while (a < aEnd && b < bEnd) {
      const d = bytes[a] - key[b];
      if (d !== 0) return d;
      a++;
      b++;
    }
    return aEnd - a - (bEnd - b);
  }
}

/**
 * The first four bytes of `bytes[start, end)` as a big-endian number, zero-padded: if one term's
 * prefix is below another's, the term sorts before it (equal prefixes decide nothing).
 */
function prefixOf(bytes: Uint8Array, start: number, end: number): number {
  let p = 0;
  for (let i = 0; i < 4; i++) p = p * 256 + (start + i < end ? bytes[start + i] : 0);
  return p;
}

/** The first index of ascending `a` whose value is >= `v` (a.length if none). */
function firstAtLeast(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Orders terms as the dictionary does: by UTF-8 bytes (= by code point). */
export const compareTerms = compareUtf8;

/** Compares two byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
