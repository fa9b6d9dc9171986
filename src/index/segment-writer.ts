/**
 * @module index/segment-writer
 * The mutable in-memory buffer of one shard: documents are analyzed and appended as flat
 * (term, doc, position) triples in typed arrays, 12 bytes per token. `freeze()` inverts them with a
 * counting sort by term into an immutable Segment: no per-term objects while indexing.
 */

import type { Analyzer } from '../analysis/index.js';
import type { DocumentInput } from '../types.js';
import { ByteWriter } from './codec/byte-writer.js';
import { encodeFieldNorm, FIELD_NORM_TABLE } from './codec/field-norm.js';
import { writeDocFreq } from './codec/postings.js';
import { U32Buffer } from './growable.js';
import { type FieldPostings, Segment } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { compareTerms, TermDictionary } from './term-dictionary.js';

/** The searchable fields, in field-number order. */
export const FIELDS = ['title', 'text'] as const;
export type FieldName = (typeof FIELDS)[number];

class FieldBuffer {
  readonly termIds = new Map<string, number>();
  readonly terms: string[] = [];
  readonly tokTerm = new U32Buffer(4096);
  readonly tokDoc = new U32Buffer(4096);
  readonly tokPos = new U32Buffer(4096);
  readonly lengths = new U32Buffer(256);
  sumLength = 0;
}

export class SegmentWriter {
  private readonly analyzer: Analyzer;
  private fields: FieldBuffer[] = FIELDS.map(() => new FieldBuffer());
  private ids: string[] = [];
  private titles: string[] = [];
  private texts: string[] = [];
  private metas: string[] = [];
  /** Approximate bytes of text buffered (UTF-16 length of title + text). */
  textChars = 0;

  constructor(analyzer: Analyzer) {
    this.analyzer = analyzer;
  }

  get docCount(): number {
    return this.ids.length;
  }

  get tokenCount(): number {
    let n = 0;
    for (const f of this.fields) n += f.tokTerm.length;
    return n;
  }

  /** Analyzes and buffers one document; returns its buffer-local doc number. */
  add(doc: DocumentInput): number {
    const local = this.ids.length;
    const title = doc.title ?? '';
    const values = [title, doc.text];
    for (let f = 0; f < FIELDS.length; f++) {
      const fb = this.fields[f];
      const analyzed = this.analyzer.analyze(values[f], 'index');
      const { terms, positions } = analyzed;
      for (let i = 0; i < terms.length; i++) {
        const term = terms[i];
        let id = fb.termIds.get(term);
        if (id === undefined) {
          id = fb.terms.length;
          fb.termIds.set(term, id);
          fb.terms.push(term);
        }
        fb.tokTerm.push(id);
        fb.tokDoc.push(local);
        fb.tokPos.push(positions[i]);
      }
      fb.lengths.push(analyzed.length);
      // The sum of the lengths the norms stand for, so that merging (which only has norms) keeps it exact.
      fb.sumLength += FIELD_NORM_TABLE[encodeFieldNorm(analyzed.length)];
    }
    this.ids.push(doc.id);
    this.titles.push(title);
    this.texts.push(doc.text);
    this.metas.push(doc.meta && Object.keys(doc.meta).length > 0 ? JSON.stringify(doc.meta) : '');
    this.textChars += title.length + doc.text.length;
    return local;
  }

  /** Inverts the buffer into an immutable segment and empties the writer. */
  freeze(): Segment {
    const docCount = this.ids.length;
    const fields = this.fields.map((fb) => invertField(fb, docCount));
    const segment = new Segment({
      docCount,
      fields,
      ids: StoredColumn.fromStrings(this.ids),
      titles: StoredColumn.fromStrings(this.titles),
      texts: StoredColumn.fromStrings(this.texts),
      metas: StoredColumn.fromStrings(this.metas),
    });
    this.fields = FIELDS.map(() => new FieldBuffer());
    this.ids = [];
    this.titles = [];
    this.texts = [];
    this.metas = [];
    this.textChars = 0;
    return segment;
  }
}

function invertField(fb: FieldBuffer, docCount: number): FieldPostings {
  const termCount = fb.terms.length;
  const order = new Int32Array(termCount);
  for (let i = 0; i < termCount; i++) order[i] = i;
  const terms = fb.terms;
  const sorted = Array.from(order).sort((a, b) => compareTerms(terms[a], terms[b]));
  const ordOf = new Int32Array(termCount);
  for (let o = 0; o < termCount; o++) ordOf[sorted[o]] = o;

  // Counting sort of token occurrences by term ordinal; stable, so docs and positions stay ascending.
  const n = fb.tokTerm.length;
  const tokTerm = fb.tokTerm.data;
  const tokDoc = fb.tokDoc.data;
  const tokPos = fb.tokPos.data;
  const start = new Float64Array(termCount + 1);
  for (let i = 0; i < n; i++) start[ordOf[tokTerm[i]] + 1]++;
  for (let o = 0; o < termCount; o++) start[o + 1] += start[o];
  const fill = Float64Array.from(start);
  const occDoc = new Uint32Array(n);
  const occPos = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const o = ordOf[tokTerm[i]];
    const at = fill[o]++;
    occDoc[at] = tokDoc[i];
    occPos[at] = tokPos[i];
  }

  const postings = new ByteWriter(n * 2 + 16);
  const positions = new ByteWriter(n + 16);
  const docFreq = new Uint32Array(termCount);
  const postingsOffsets = new Float64Array(termCount + 1);
  const positionsOffsets = new Float64Array(termCount + 1);
  let maxDocFreq = 0;
  for (let o = 0; o < termCount; o++) {
    postingsOffsets[o] = postings.length;
    positionsOffsets[o] = positions.length;
    const end = start[o + 1];
    let i = start[o];
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

  return {
    terms: TermDictionary.fromSorted(sorted.map((id) => terms[id])),
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
