/**
 * @module index/segment-transfer
 * A Segment as plain data (typed arrays and numbers) for postMessage, and back. The arrays are
 * transferred, not copied.
 */

import { Segment } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { TermDictionary } from './term-dictionary.js';

type Column = { bytes: Uint8Array; offsets: Float64Array };

export interface PlainSegment {
  docCount: number;
  fields: {
    termBytes: Uint8Array;
    termOffsets: Uint32Array;
    docFreq: Uint32Array;
    postingsOffsets: Float64Array;
    postings: Uint8Array;
    positionsOffsets: Float64Array;
    positions: Uint8Array;
    norms: Uint8Array;
    sumLength: number;
    maxDocFreq: number;
  }[];
  columns: Column[];
}

export function toParts(s: Segment): PlainSegment {
  return {
    docCount: s.docCount,
    fields: s.fields.map((f) => ({
      termBytes: f.terms.bytes,
      termOffsets: f.terms.offsets,
      docFreq: f.docFreq,
      postingsOffsets: f.postingsOffsets,
      postings: f.postings,
      positionsOffsets: f.positionsOffsets,
      positions: f.positions,
      norms: f.norms,
      sumLength: f.sumLength,
      maxDocFreq: f.maxDocFreq,
    })),
    columns: [s.ids, s.titles, s.texts, s.metas].map((c) => ({ bytes: c.bytes, offsets: c.offsets })),
  };
}

/** The distinct ArrayBuffers of a plain segment, for a transfer list. */
export function segmentArrays(p: PlainSegment): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const f of p.fields) {
    for (const a of [
      f.termBytes,
      f.termOffsets,
      f.docFreq,
      f.postingsOffsets,
      f.postings,
      f.positionsOffsets,
      f.positions,
      f.norms,
    ]) {
      set.add(a.buffer as ArrayBuffer);
    }
  }
  for (const c of p.columns) {
    set.add(c.bytes.buffer as ArrayBuffer);
    set.add(c.offsets.buffer as ArrayBuffer);
  }
  return [...set];
}

export function fromParts(p: PlainSegment): Segment {
  const [ids, titles, texts, metas] = p.columns.map((c) => new StoredColumn(c.bytes, c.offsets));
  return new Segment({
    docCount: p.docCount,
    fields: p.fields.map((f) => ({
      terms: new TermDictionary(f.termBytes, f.termOffsets),
      docFreq: f.docFreq,
      postingsOffsets: f.postingsOffsets,
      postings: f.postings,
      positionsOffsets: f.positionsOffsets,
      positions: f.positions,
      norms: f.norms,
      sumLength: f.sumLength,
      maxDocFreq: f.maxDocFreq,
    })),
    ids,
    titles,
    texts,
    metas,
  });
}
