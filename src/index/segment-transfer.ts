/**
 * @module index/segment-transfer
 * A Segment as plain data (typed arrays and numbers) for postMessage, and back. The arrays are
 * transferred, not copied.
 */

import { type FieldPostings, Segment } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { TermDictionary } from './term-dictionary.js';

type PlainField = Omit<FieldPostings, 'terms'> & { termBytes: Uint8Array; termOffsets: Uint32Array };
type Column = { bytes: Uint8Array; offsets: Float64Array };

export interface PlainSegment {
  docCount: number;
  fields: PlainField[];
  /** ids, titles, texts, metas */
  columns: Column[];
}

/** The segment as plain data; `withoutTexts` leaves the document text out (it is in a file). */
export function toParts(s: Segment, options: { withoutTexts?: boolean } = {}): PlainSegment {
  return {
    docCount: s.docCount,
    fields: s.fields.map(({ terms, ...rest }) => ({
      ...rest,
      termBytes: terms.bytes,
      termOffsets: terms.offsets,
    })),
    columns: [s.ids, s.titles, s.texts, s.metas].map((c) => ({
      bytes: options.withoutTexts && c === s.texts ? new Uint8Array(0) : c.bytes,
      offsets: c.offsets,
    })),
  };
}

/** The distinct ArrayBuffers of a plain segment, for a transfer list. */
export function segmentArrays(p: PlainSegment): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const part of [...p.fields, ...p.columns]) {
    for (const value of Object.values(part)) {
      if (ArrayBuffer.isView(value)) set.add(value.buffer as ArrayBuffer);
    }
  }
  return [...set];
}

export function fromParts(p: PlainSegment): Segment {
  const [ids, titles, texts, metas] = p.columns.map((c) => new StoredColumn(c.bytes, c.offsets));
  return new Segment({
    docCount: p.docCount,
    fields: p.fields.map(({ termBytes, termOffsets, ...rest }) => ({
      ...rest,
      terms: new TermDictionary(termBytes, termOffsets),
    })),
    ids,
    titles,
    texts,
    metas,
  });
}
