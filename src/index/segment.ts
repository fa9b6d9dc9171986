/**
 * @module index/segment
 * An immutable segment: per searchable field a term dictionary, postings and one-byte length norms;
 * a document store (id, title, text, metadata JSON); a metadata index. Readers only: nothing mutates
 * a Segment after it is built. Deletions live beside it, in the shard (see `SegmentState`).
 */

import type { MetaValue, StoredDocument } from '../types.js';
import { type DecodeState, decodeChunk, PositionsReader, PostingsCursor } from './codec/postings.js';
import { idKey, idKeysOfUtf8 } from './id-key.js';
import { MetaIndex } from './meta-index.js';
import type { StoredColumn } from './stored-column.js';
import type { TermDictionary } from './term-dictionary.js';

/** The inverted index of one field in one segment. */
export interface FieldPostings {
  readonly terms: TermDictionary;
  /** Per term ordinal: number of docs containing it. */
  readonly docFreq: Uint32Array;
  /** Per term ordinal, `postingsOffsets[o]..[o+1]` in `postings`; length = terms + 1. */
  readonly postingsOffsets: Float64Array;
  readonly postings: Uint8Array;
  /** Per term ordinal, start of its positions in `positions`. */
  readonly positionsOffsets: Float64Array;
  readonly positions: Uint8Array;
  /** One byte per doc: the encoded field length. */
  readonly norms: Uint8Array;
  /** Sum over all docs (deleted ones included until merged) of the lengths their norms stand for. */
  readonly sumLength: number;
  /** Largest docFreq of any term: the scratch size a full decode needs. */
  readonly maxDocFreq: number;
}

/** Memory by component: term dictionaries, doc/freq postings, positions, length norms, stored columns. */
export interface MemoryBreakdown {
  terms: number;
  postings: number;
  positions: number;
  norms: number;
  /** Ids, titles, metadata, text offsets (and text not yet written to disk). */
  stored: number;
}

/**
 * The in-memory part of a segment loaded from its file, in shared memory: another thread can view
 * the same bytes (`parseSegmentHead`) and score the segment without a copy.
 */
export interface SharedHead {
  head: Uint8Array;
  textsStart: number;
}

export interface SegmentParts {
  /** Set when the segment's index bytes live in a SharedArrayBuffer (loaded from a file). */
  shared?: SharedHead;
  docCount: number;
  fields: FieldPostings[];
  ids: StoredColumn;
  titles: StoredColumn;
  texts: StoredColumn;
  /** JSON of each doc's metadata, '' when none. */
  metas: StoredColumn;
  meta?: MetaIndex;
}

export class Segment {
  readonly docCount: number;
  readonly fields: readonly FieldPostings[];
  readonly ids: StoredColumn;
  readonly titles: StoredColumn;
  readonly texts: StoredColumn;
  readonly metas: StoredColumn;
  readonly shared: SharedHead | undefined;
  private metaIndex: MetaIndex | undefined;

  constructor(parts: SegmentParts) {
    this.shared = parts.shared;
    this.docCount = parts.docCount;
    this.fields = parts.fields;
    this.ids = parts.ids;
    this.titles = parts.titles;
    this.texts = parts.texts;
    this.metas = parts.metas;
    this.metaIndex = parts.meta;
  }

  /**
   * The metadata filter index, built on first use: opening an index parses no metadata (passages
   * carry a dozen keys each, and building their index was most of the time to open an index
   * that a re-run of an unchanged folder only needed to compare file dates against).
   */
  get meta(): MetaIndex {
    this.metaIndex ??= MetaIndex.build(readMetas(this.metas));
    return this.metaIndex;
  }

  /** Term ordinal in field `field`, or -1. */
  lookup(field: number, term: string): number {
    return this.fields[field].terms.lookup(term);
  }

  /** The ordinal of a term given as UTF-8 bytes (encode once, look up in many segments). */
  lookupBytes(field: number, term: Uint8Array): number {
    return this.fields[field].terms.lookupBytes(term);
  }

  docFreq(field: number, ordinal: number): number {
    return this.fields[field].docFreq[ordinal];
  }

  /** Starts a chunked decode of a term's postings (see `decodeChunk`). */
  startDecode(field: number, ordinal: number): DecodeState {
    const f = this.fields[field];
    return { pos: f.postingsOffsets[ordinal], end: f.postingsOffsets[ordinal + 1], doc: -1 };
  }

  /** Decodes up to `max` more postings of a started decode; returns how many (0 at the end). */
  decodeChunk(field: number, state: DecodeState, docs: Int32Array, freqs: Int32Array, max: number): number {
    return decodeChunk(this.fields[field].postings, state, docs, freqs, max);
  }

  /** A cursor with positions over a term's postings. */
  cursor(field: number, ordinal: number): PostingsCursor {
    const f = this.fields[field];
    return new PostingsCursor(
      f.postings,
      f.postingsOffsets[ordinal],
      f.postingsOffsets[ordinal + 1],
      f.positions,
      f.positionsOffsets[ordinal],
    );
  }

  /** A positions reader for a term, to go with `startDecode` / `decodeChunk`. */
  positionsReader(field: number, ordinal: number): PositionsReader {
    const f = this.fields[field];
    return new PositionsReader(f.positions, f.positionsOffsets[ordinal]);
  }

  private idCache: string[] | null = null;

  /** Doc `doc`'s external id (from the decoded list when there is one, else decoded alone). */
  idOf(doc: number): string {
    return this.idCache ? this.idCache[doc] : this.ids.get(doc);
  }

  /** Every doc's external id, decoded once and kept (the shard's id map holds the same strings). */
  idList(): string[] {
    if (!this.idCache) {
      const list: string[] = new Array(this.docCount);
      for (let d = 0; d < this.docCount; d++) list[d] = this.ids.get(d);
      this.idCache = list;
    }
    return this.idCache;
  }

  private keyCache: Float64Array | null = null;

  /** Every doc's tie key (`idKey` of its id), computed once and kept: 8 bytes per doc. */
  idKeys(): Float64Array {
    if (!this.keyCache) {
      const keys = new Float64Array(this.docCount);
      if (!this.ids.onDisk) idKeysOfUtf8(this.ids.bytes, this.ids.offsets, keys);
      else {
        const ids = this.idList();
        for (let d = 0; d < this.docCount; d++) keys[d] = idKey(ids[d]);
      }
      this.keyCache = keys;
    }
    return this.keyCache;
  }

  metaOf(doc: number): Record<string, MetaValue | MetaValue[]> {
    const json = this.metas.get(doc);
    return json === '' ? {} : JSON.parse(json);
  }

  document(doc: number): StoredDocument {
    return {
      id: this.ids.get(doc),
      title: this.titles.get(doc),
      text: this.texts.get(doc),
      meta: this.metaOf(doc),
    };
  }

  /** Where this segment's memory goes, in bytes (document text on disk is not counted). */
  memoryBreakdown(): MemoryBreakdown {
    const m: MemoryBreakdown = { terms: 0, postings: 0, positions: 0, norms: 0, stored: 0 };
    for (const f of this.fields) {
      m.terms += f.terms.bytes.byteLength + f.terms.offsets.byteLength + f.docFreq.byteLength;
      m.postings += f.postingsOffsets.byteLength + f.postings.byteLength;
      m.positions += f.positionsOffsets.byteLength + f.positions.byteLength;
      m.norms += f.norms.byteLength;
    }
    m.stored = this.storedBytes(true);
    return m;
  }

  /** Bytes this segment holds in memory (document text on disk is not counted). */
  get byteSize(): number {
    const m = this.memoryBreakdown();
    return m.terms + m.postings + m.positions + m.norms + m.stored;
  }

  /** Bytes of the segment's data wherever it is kept (what a merge has to hold in memory). */
  get totalBytes(): number {
    return this.byteSize - this.storedBytes(true) + this.storedBytes(false);
  }

  private storedBytes(memoryOnly: boolean): number {
    let n = 0;
    for (const c of [this.ids, this.titles, this.texts, this.metas]) {
      n += c.offsets.byteLength + (memoryOnly ? c.bytes.byteLength : c.byteLength);
    }
    return n;
  }

  /** Closes the files that file-backed columns read from. */
  close(): void {
    for (const c of [this.ids, this.titles, this.texts, this.metas]) c.close();
  }
}

function readMetas(column: StoredColumn): (Record<string, MetaValue | MetaValue[]> | undefined)[] {
  const out: (Record<string, MetaValue | MetaValue[]> | undefined)[] = new Array(column.size);
  for (let d = 0; d < column.size; d++) {
    out[d] = column.valueLength(d) === 0 ? undefined : JSON.parse(column.get(d));
  }
  return out;
}
