/**
 * @module index/term-dictionary
 * "Here is a term, give me its ordinal." Terms of one field of one segment, sorted by UTF-8 bytes,
 * stored as one byte array plus an offsets array: about 1 byte per character and 4 bytes per term,
 * where a `Map<string, …>` would cost ~80 bytes per term. Lookup is a binary search over bytes.
 */

import { compareUtf8 } from '../strings.js';
import { StoredColumn } from './stored-column.js';

const encoder = new TextEncoder();

export class TermDictionary {
  /** Concatenated UTF-8 bytes of all terms in sorted order. */
  readonly bytes: Uint8Array;
  /** `offsets[i]..offsets[i+1]` is term i; length = size + 1. */
  readonly offsets: Uint32Array;

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
    return this.lookupBytes(encoder.encode(term));
  }

  lookupBytes(key: Uint8Array): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** The raw bytes of term `ordinal` (no copy). */
  termBytes(ordinal: number): Uint8Array {
    return this.bytes.subarray(this.offsets[ordinal], this.offsets[ordinal + 1]);
  }

  private compareAt(ordinal: number, key: Uint8Array): number {
    const bytes = this.bytes;
    let a = this.offsets[ordinal];
    const aEnd = this.offsets[ordinal + 1];
    let b = 0;
    const bEnd = key.length;
    while (a < aEnd && b < bEnd) {
      const d = bytes[a] - key[b];
      if (d !== 0) return d;
      a++;
      b++;
    }
    return aEnd - a - (bEnd - b);
  }
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
