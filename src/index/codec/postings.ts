/**
 * @module index/codec/postings
 * The byte layout of one term's postings (see FORMAT.md), and nothing else:
 *
 *   DocsFreqs --> <DocCode, Freq?>^docFreq      DocCode = varint(docDelta * 2 + (freq == 1 ? 1 : 0))
 *   Positions --> <<PosDelta>^freq>^docFreq     PosDelta = varint, restarts at 0 for each document
 *
 * Deltas are from the previous document; the first document's delta is its id + 1 (previous = -1).
 * A frequency of 1, the common case, costs no byte at all (Lucene's old .frq trick).
 */

import type { ByteWriter } from './byte-writer.js';

/** Appends one posting (doc ids strictly increasing within a term). */
export function writeDocFreq(out: ByteWriter, docDelta: number, freq: number): void {
  if (freq === 1) out.writeVarint(docDelta * 2 + 1);
  else {
    out.writeVarint(docDelta * 2);
    out.writeVarint(freq);
  }
}

/** Where a chunked decode of one term's postings stands. */
export interface DecodeState {
  pos: number;
  end: number;
  /** Last doc decoded (-1 before the first). */
  doc: number;
}

/**
 * Decodes up to `max` postings from where `state` stands into the scratch arrays and advances it;
 * returns how many (0 at the end). Decoding in chunks keeps the scratch arrays in cache.
 */
export function decodeChunk(
  bytes: Uint8Array,
  state: DecodeState,
  docs: Int32Array,
  freqs: Int32Array,
  max: number,
): number {
  let pos = state.pos;
  const end = state.end;
  let doc = state.doc;
  let n = 0;
  while (pos < end && n < max) {
    let b = bytes[pos++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = bytes[pos++];
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = bytes[pos++];
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = bytes[pos++];
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = bytes[pos++];
            v += (b & 0x7f) * 268435456;
          }
        }
      }
    }
    doc += v >>> 1;
    if (v & 1) freqs[n] = 1;
    else {
      b = bytes[pos++];
      let f = b & 0x7f;
      if (b >= 0x80) {
        let shift = 7;
        do {
          b = bytes[pos++];
          f += (b & 0x7f) * 2 ** shift;
          shift += 7;
        } while (b >= 0x80);
      }
      freqs[n] = f;
    }
    docs[n++] = doc;
  }
  state.pos = pos;
  state.doc = doc;
  return n;
}

/**
 * A forward cursor over one term's postings with positions, for phrase matching and merging.
 * Positions must be read (or skipped) for every document in order: `next()` skips them if not read.
 */
export class PostingsCursor {
  doc = -1;
  freq = 0;
  private pos: number;
  private posPos: number;
  private positionsRead = true;
  private readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    end: number,
    private readonly positionBytes: Uint8Array,
    positionsStart: number,
  ) {
    this.pos = start;
    this.end = end;
    this.posPos = positionsStart;
  }

  /** Advances to the next document; returns false at the end. */
  next(): boolean {
    if (!this.positionsRead) this.skipPositions();
    if (this.pos >= this.end) {
      this.doc = 0x7fffffff;
      return false;
    }
    const v = this.varint();
    this.doc += Math.floor(v / 2);
    this.freq = v & 1 ? 1 : this.varint();
    this.positionsRead = false;
    return true;
  }

  /** Advances to the first document >= target; returns false at the end. */
  advance(target: number): boolean {
    while (this.doc < target) if (!this.next()) return false;
    return true;
  }

  /** Reads the current document's positions into `out` (length >= freq); returns freq. */
  positions(out: Int32Array): number {
    this.posPos = readPositions(this.positionBytes, this.posPos, this.freq, out, this.freq);
    this.positionsRead = true;
    return this.freq;
  }

  private skipPositions(): void {
    this.posPos = skipVarints(this.positionBytes, this.posPos, this.freq);
    this.positionsRead = true;
  }

  private varint(): number {
    const bytes = this.bytes;
    let b = bytes[this.pos++];
    let v = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      b = bytes[this.pos++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    return v;
  }
}

/**
 * Reads one term's positions alongside a chunked decode of its postings: `skip(n)` passes over the
 * positions of documents not wanted (n = the sum of their frequencies), `read(freq, out)` decodes
 * the next document's positions. Cheaper than a cursor when few documents need positions.
 */
export class PositionsReader {
  constructor(
    private readonly bytes: Uint8Array,
    private pos: number,
  ) {}

  /** Skips `count` positions. */
  skip(count: number): void {
    this.pos = skipVarints(this.bytes, this.pos, count);
  }

  /** Reads the next `freq` positions into `out` (at most out.length kept; all consumed); returns how many kept. */
  read(freq: number, out: Int32Array): number {
    const keep = Math.min(freq, out.length);
    this.pos = readPositions(this.bytes, this.pos, freq, out, keep);
    return keep;
  }
}

/**
 * Passes over `count` varints from byte `p`; returns where the next one starts. Four bytes at a
 * time while at least four varints are left to pass (a word holds at most four varint ends, bytes
 * below 0x80, and when it holds four it is four whole varints): the ends of a word are counted
 * without a branch per byte, 2-3x faster than byte by byte. Stage 2 passes over the positions of
 * every document of a question's terms that is not a candidate.
 */
export function skipVarints(bytes: Uint8Array, p: number, count: number): number {
  const last = bytes.length - 4;
  while (count >= 4 && p <= last) {
    const word = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
    // Bit 7 of each byte, inverted, moved to bit 0 and summed into the top byte.
    count -= Math.imul((~word >>> 7) & 0x01010101, 0x01010101) >>> 24;
    p += 4;
  }
  for (let i = 0; i < count; i++) while (bytes[p++] >= 0x80);
  return p;
}

/**
 * Decodes one document's `freq` position deltas from byte `p` into absolute positions, keeping the
 * first `keep` in `out`; returns where the next document's positions start.
 */
function readPositions(bytes: Uint8Array, p: number, freq: number, out: Int32Array, keep: number): number {
  let prev = 0;
  for (let i = 0; i < freq; i++) {
    let b = bytes[p++];
    let v = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      b = bytes[p++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    prev += v;
    if (i < keep) out[i] = prev;
  }
  return p;
}
