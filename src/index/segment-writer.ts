/**
 * @module index/segment-writer
 * The mutable in-memory buffer of one shard: documents are analyzed and appended as flat
 * (term id, position) pairs in typed arrays, 8 bytes per token, plus each doc's end offset; term ids
 * are the analyzer's (term-ids), held from the first add to the freeze. `freeze()` inverts them with
 * a counting sort by term into an immutable Segment: no per-term objects and no string lookups
 * while indexing, and the arrays are reused from one buffer to the next.
 */

import type { Analyzer } from '../analysis/index.js';
import type { StringSpan } from '../ingest/json-span.js';
import type { DocumentInput } from '../types.js';
import { ByteWriter } from './codec/byte-writer.js';
import { encodeFieldNorm, FIELD_NORM_TABLE } from './codec/field-norm.js';
import { writeDocFreq } from './codec/postings.js';
import { U32Buffer } from './growable.js';
import { type FieldPostings, Segment } from './segment.js';
import { StoredColumnWriter } from './stored-column.js';
import { compareTerms, TermDictionary } from './term-dictionary.js';

/** The searchable fields, in field-number order. */
export const FIELDS = ['title', 'text'] as const;
export type FieldName = (typeof FIELDS)[number];

class FieldBuffer {
  readonly tokTerm = new U32Buffer(1 << 16);
  readonly tokPos = new U32Buffer(1 << 16);
  /** Per doc: end of its tokens in tokTerm/tokPos. */
  readonly docEnd = new U32Buffer(1024);
  readonly lengths = new U32Buffer(1024);
  sumLength = 0;
  /** Next free slot in tokTerm/tokPos while a field is being analyzed. */
  current = 0;
  /** Receives each token of the text being analyzed: its term id, appended with its position. */
  readonly emit = (id: number, position: number): void => {
    const at = this.current;
    if (at === this.tokTerm.data.length) {
      this.tokTerm.length = at;
      this.tokPos.length = at;
      this.tokTerm.grow(at + 1);
      this.tokPos.grow(at + 1);
    }
    this.tokTerm.data[at] = id;
    this.tokPos.data[at] = position;
    this.current = at + 1;
  };

  /** Starts a field value: its tokens go through `emit` from the buffer's end. */
  begin(): void {
    this.current = this.tokTerm.length;
  }

  /** Ends the field value whose analysis emitted its tokens and gave its field length. */
  end(length: number): void {
    const at = this.current;
    this.tokTerm.length = at;
    this.tokPos.length = at;
    this.docEnd.push(at);
    this.lengths.push(length);
    // The sum of the lengths the norms stand for, so that merging (which only has norms) keeps it exact.
    this.sumLength += FIELD_NORM_TABLE[encodeFieldNorm(length)];
  }

  reset(): void {
    this.tokTerm.length = 0;
    this.tokPos.length = 0;
    this.docEnd.length = 0;
    this.lengths.length = 0;
    this.sumLength = 0;
  }
}

export class SegmentWriter {
  private readonly analyzer: Analyzer;
  private readonly fields: FieldBuffer[] = FIELDS.map(() => new FieldBuffer());
  private readonly ids = new StoredColumnWriter();
  private readonly titles = new StoredColumnWriter();
  private readonly texts = new StoredColumnWriter();
  private readonly metas = new StoredColumnWriter();
  /** Inversion buffers, reused from one freeze to the next (fresh memory is slow to touch). */
  private readonly scratch = new InvertScratch();
  /** Approximate bytes of text buffered (UTF-16 length of title + text). */
  textChars = 0;

  constructor(analyzer: Analyzer) {
    this.analyzer = analyzer;
  }

  get docCount(): number {
    return this.ids.size;
  }

  get tokenCount(): number {
    let n = 0;
    for (const f of this.fields) n += f.tokTerm.length;
    return n;
  }

  /**
   * Makes room for about `chars` more characters of text at once. A bulk builder knows its chunk's
   * size, and its buffers then grow once instead of doubling up to it, each step a copy into fresh
   * memory (here a page fault costs microseconds every 4 KiB). Sized for a token per 6 chars, a
   * UTF-8 byte per char and ~250 bytes of metadata per ~1,000 chars (passages); more still grows.
   */
  reserve(chars: number): void {
    const text = this.fields[1];
    const tokens = text.tokTerm.length + Math.ceil(chars / 6);
    text.tokTerm.reserve(tokens);
    text.tokPos.reserve(tokens);
    this.texts.reserve(Math.ceil(chars));
    this.metas.reserve(Math.ceil(chars / 4));
  }

  /** Analyzes and buffers one document; returns its buffer-local doc number. */
  add(doc: DocumentInput): number {
    const title = doc.title ?? '';
    const local = this.open(doc, title);
    const fb = this.fields[1];
    fb.begin();
    fb.end(this.analyzer.forEachTermId(doc.text, fb.emit));
    this.texts.add(doc.text);
    this.textChars += title.length + doc.text.length;
    return local;
  }

  /**
   * {@link add} for a document whose text is a corpus line's text span (found by ingest/json-span;
   * `doc.text` is ignored): analyzed and stored from the bytes.
   */
  addJson(doc: DocumentInput, bytes: Uint8Array, span: StringSpan): number {
    const title = doc.title ?? '';
    const local = this.open(doc, title);
    const fb = this.fields[1];
    fb.begin();
    fb.end(this.analyzer.forEachJsonTermId(bytes, span.from, span.to, fb.emit));
    this.texts.addJson(bytes, span);
    this.textChars += title.length + span.units;
    return local;
  }

  /** Starts a document: its id, title field and stored values other than the text. */
  private open(doc: DocumentInput, title: string): number {
    const local = this.ids.size;
    if (local === 0) this.analyzer.termIds.acquire();
    const fb = this.fields[0];
    fb.begin();
    fb.end(this.analyzer.forEachTermId(title, fb.emit));
    this.ids.add(doc.id);
    this.titles.add(title);
    this.metas.add(doc.meta && Object.keys(doc.meta).length > 0 ? JSON.stringify(doc.meta) : '');
    return local;
  }

  /**
   * Inverts the buffer into an immutable segment and empties the writer. With `borrowTexts`, the
   * segment's text bytes are the writer's own buffer, valid only until the next `add`: for a caller
   * that writes the segment to a file at once (see chunk-build's `spillChunk`).
   */
  freeze(borrowTexts = false): Segment {
    const docCount = this.ids.size;
    const terms = this.analyzer.termIds.terms;
    const fields = this.fields.map((fb) => invertField(fb, docCount, terms, this.scratch));
    if (docCount > 0) this.analyzer.termIds.release();
    const segment = new Segment({
      docCount,
      fields,
      ids: this.ids.take(),
      titles: this.titles.take(),
      texts: this.texts.take(borrowTexts),
      metas: this.metas.take(),
    });
    for (const fb of this.fields) fb.reset();
    this.textChars = 0;
    return segment;
  }
}

class InvertScratch {
  /** Byte writers reused from one inversion to the next; `finish()` hands out trimmed copies. */
  readonly postings = new ByteWriter(1 << 16);
  readonly positions = new ByteWriter(1 << 16);
  /** Term id -> ordinal while a field is inverted; -1 everywhere in between. */
  ordOf = new Int32Array(0);
  occDoc = new Uint32Array(0);
  occPos = new Uint32Array(0);
  start = new Float64Array(0);
  fill = new Float64Array(0);

  ensureIds(ids: number): void {
    if (this.ordOf.length < ids) {
      const bigger = new Int32Array(Math.max(ids, this.ordOf.length * 2));
      bigger.fill(-1);
      this.ordOf = bigger;
    }
  }

  ensure(tokens: number, terms: number): void {
    if (this.occDoc.length < tokens) {
      const n = Math.max(tokens, this.occDoc.length * 2);
      this.occDoc = new Uint32Array(n);
      this.occPos = new Uint32Array(n);
    }
    if (this.start.length < terms + 1) {
      const n = Math.max(terms + 1, this.start.length * 2);
      this.start = new Float64Array(n);
      this.fill = new Float64Array(n);
    }
  }
}

/** The first four bytes of `term` in UTF-8, as a number (zeros past its end). */
function utf8Prefix(term: string): number {
  let key = 0;
  let bytes = 0;
  for (let i = 0; i < term.length && bytes < 4; i++) {
    let c = term.charCodeAt(i);
    let len = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < term.length) {
      const lo = term.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        len = 4;
        i++;
      }
    }
    // The lead byte (its length marker over the top bits), then six bits a byte.
    key = key * 256 + (len === 1 ? c : ((0xff00 >> len) & 0xff) | (c >> (6 * (len - 1))));
    bytes++;
    for (let b = len - 2; b >= 0 && bytes < 4; b--, bytes++) key = key * 256 + (0x80 | ((c >> (6 * b)) & 63));
  }
  return key * 256 ** (4 - bytes);
}

const ROWS = 2 ** 21;

/**
 * Sorts term ids by their terms in UTF-8 byte order (`compareTerms`). Each id is packed with its
 * term's first four UTF-8 bytes into one double (prefix · 2^21 + row) and the doubles are sorted
 * natively; only runs of terms sharing those four bytes are then sorted by the comparator. Three
 * to four times faster than sorting the strings, and no id is looked up again by its string.
 */
export function sortByTerm(used: number[], terms: readonly string[]): void {
  const n = used.length;
  if (n >= ROWS) {
    used.sort((a, b) => compareTerms(terms[a], terms[b]));
    return;
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = utf8Prefix(terms[used[i]]) * ROWS + i;
  packed.sort();
  const order = used.slice();
  for (let i = 0; i < n; i++) used[i] = order[packed[i] % ROWS];
  for (let i = 0; i < n; ) {
    const prefix = Math.floor(packed[i] / ROWS);
    let j = i + 1;
    while (j < n && Math.floor(packed[j] / ROWS) === prefix) j++;
    if (j - i > 1) {
      const run = used.slice(i, j).sort((a, b) => compareTerms(terms[a], terms[b]));
      for (let k = 0; k < run.length; k++) used[i + k] = run[k];
    }
    i = j;
  }
}

function invertField(
  fb: FieldBuffer,
  docCount: number,
  terms: readonly string[],
  scratch: InvertScratch,
): FieldPostings {
  // The ids this field uses, sorted by term: their ordinals number the field's dictionary.
  const n = fb.tokTerm.length;
  const tokTerm = fb.tokTerm.data;
  scratch.ensureIds(terms.length);
  const ordOf = scratch.ordOf;
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = tokTerm[i];
    if (ordOf[id] === -1) {
      ordOf[id] = 0;
      used.push(id);
    }
  }
  sortByTerm(used, terms);
  const termCount = used.length;
  for (let o = 0; o < termCount; o++) ordOf[used[o]] = o;

  // Counting sort of token occurrences by term ordinal; stable, so docs and positions stay ascending.
  const tokPos = fb.tokPos.data;
  const docEnd = fb.docEnd.data;
  scratch.ensure(n, termCount);
  const { start, fill, occDoc, occPos } = scratch;
  start.fill(0, 0, termCount + 1);
  for (let i = 0; i < n; i++) start[ordOf[tokTerm[i]] + 1]++;
  for (let o = 0; o < termCount; o++) start[o + 1] += start[o];
  fill.set(start.subarray(0, termCount + 1));
  let i = 0;
  for (let doc = 0; doc < docCount; doc++) {
    const end = docEnd[doc];
    for (; i < end; i++) {
      const o = ordOf[tokTerm[i]];
      const at = fill[o]++;
      occDoc[at] = doc;
      occPos[at] = tokPos[i];
    }
  }

  const postings = scratch.postings;
  const positions = scratch.positions;
  postings.reset();
  positions.reset();
  postings.ensure(n * 2 + 16);
  positions.ensure(n + 16);
  const docFreq = new Uint32Array(termCount);
  const postingsOffsets = new Float64Array(termCount + 1);
  const positionsOffsets = new Float64Array(termCount + 1);
  let maxDocFreq = 0;
  for (let o = 0; o < termCount; o++) {
    postingsOffsets[o] = postings.length;
    positionsOffsets[o] = positions.length;
    const end = start[o + 1];
    i = start[o];
    let prevDoc = -1;
    let df = 0;
    while (i < end) {
      const doc = occDoc[i];
      let j = i;
      let prevPos = 0;
      while (j < end && occDoc[j] === doc) {
        positions.writeVarint(occPos[j] - prevPos);
        prevPos = occPos[j];
        j++;
      }
      writeDocFreq(postings, doc - prevDoc, j - i);
      prevDoc = doc;
      df++;
      i = j;
    }
    docFreq[o] = df;
    if (df > maxDocFreq) maxDocFreq = df;
  }
  postingsOffsets[termCount] = postings.length;
  positionsOffsets[termCount] = positions.length;

  const norms = new Uint8Array(docCount);
  const lengths = fb.lengths.data;
  for (let d = 0; d < docCount; d++) norms[d] = encodeFieldNorm(lengths[d]);

  for (const id of used) ordOf[id] = -1;
  return {
    terms: TermDictionary.fromSorted(used.map((id) => terms[id])),
    docFreq,
    postingsOffsets,
    postings: postings.finish(),
    positionsOffsets,
    positions: positions.finish(),
    norms,
    sumLength: fb.sumLength,
    maxDocFreq,
  };
}
