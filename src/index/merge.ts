/**
 * @module index/merge
 * Merges segments into one, dropping deleted documents and renumbering the rest in order. Terms are
 * merged in byte order across the sources' dictionaries (a k-way merge, no re-sorting), postings and
 * positions are re-encoded with the new doc numbers.
 */

import { ByteWriter } from './codec/byte-writer.js';
import { FIELD_NORM_TABLE } from './codec/field-norm.js';
import { writeDocFreq } from './codec/postings.js';
import { type FieldPostings, Segment } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { compareBytes, TermDictionary } from './term-dictionary.js';

export interface MergeSource {
  segment: Segment;
  /** One byte per doc, non-zero = deleted; null = none deleted. */
  deleted: Uint8Array | null;
}

/** Old doc -> new doc (-1 when deleted), for each source, plus the merged doc count. */
export function docMaps(sources: readonly MergeSource[]): { maps: Int32Array[]; docCount: number } {
  let next = 0;
  const maps = sources.map(({ segment, deleted }) => {
    const m = new Int32Array(segment.docCount);
    for (let d = 0; d < segment.docCount; d++) m[d] = deleted?.[d] ? -1 : next++;
    return m;
  });
  return { maps, docCount: next };
}

export function mergeSegments(sources: readonly MergeSource[]): Segment {
  const { maps, docCount } = docMaps(sources);
  const fieldCount = sources[0].segment.fields.length;
  const fields: FieldPostings[] = [];
  for (let f = 0; f < fieldCount; f++) fields.push(mergeField(sources, maps, f, docCount));
  const keep = (s: number) => (d: number) => maps[s][d] >= 0;
  const col = (pick: (seg: Segment) => StoredColumn) =>
    StoredColumn.concat(sources.map((src, s) => ({ column: pick(src.segment), keep: keep(s) })));
  return new Segment({
    docCount,
    fields,
    ids: col((s) => s.ids),
    titles: col((s) => s.titles),
    texts: col((s) => s.texts),
    metas: col((s) => s.metas),
  });
}

function mergeField(
  sources: readonly MergeSource[],
  maps: Int32Array[],
  f: number,
  docCount: number,
): FieldPostings {
  const inputs = sources.map((s) => s.segment.fields[f]);
  const cursors = new Int32Array(inputs.length);
  const termBytes = new ByteWriter(1 << 16);
  const termOffsets: number[] = [];
  const docFreqs: number[] = [];
  const postingsOffsets: number[] = [];
  const positionsOffsets: number[] = [];
  const postings = new ByteWriter(1 << 16);
  const positions = new ByteWriter(1 << 16);
  let posScratch = new Int32Array(1024);
  let maxDocFreq = 0;

  for (;;) {
    // The smallest current term among the sources.
    let min: Uint8Array | null = null;
    for (let s = 0; s < inputs.length; s++) {
      if (cursors[s] >= inputs[s].terms.size) continue;
      const t = inputs[s].terms.termBytes(cursors[s]);
      if (min === null || compareBytes(t, min) < 0) min = t;
    }
    if (min === null) break;
    const termStart = termBytes.length;
    const postStart = postings.length;
    const posStart = positions.length;
    let df = 0;
    let prevDoc = -1;
    for (let s = 0; s < inputs.length; s++) {
      const input = inputs[s];
      const ord = cursors[s];
      if (ord >= input.terms.size || compareBytes(input.terms.termBytes(ord), min) !== 0) continue;
      cursors[s]++;
      const cursor = sources[s].segment.cursor(f, ord);
      const map = maps[s];
      while (cursor.next()) {
        const newDoc = map[cursor.doc];
        if (newDoc < 0) continue;
        if (cursor.freq > posScratch.length) posScratch = new Int32Array(cursor.freq * 2);
        const n = cursor.positions(posScratch);
        let prev = 0;
        for (let i = 0; i < n; i++) {
          positions.writeVarint(posScratch[i] - prev);
          prev = posScratch[i];
        }
        writeDocFreq(postings, newDoc - prevDoc, n);
        prevDoc = newDoc;
        df++;
      }
    }
    if (df === 0) {
      // Every posting was deleted: drop the term.
      postings.length = postStart;
      positions.length = posStart;
      continue;
    }
    termBytes.writeBytes(min);
    termOffsets.push(termStart);
    docFreqs.push(df);
    postingsOffsets.push(postStart);
    positionsOffsets.push(posStart);
    if (df > maxDocFreq) maxDocFreq = df;
  }
  termOffsets.push(termBytes.length);
  postingsOffsets.push(postings.length);
  positionsOffsets.push(positions.length);

  const norms = new Uint8Array(docCount);
  let sumLength = 0;
  for (let s = 0; s < inputs.length; s++) {
    const map = maps[s];
    const src = inputs[s].norms;
    for (let d = 0; d < map.length; d++) {
      if (map[d] < 0) continue;
      norms[map[d]] = src[d];
      // Field sums are sums of norm-decoded lengths (see segment-writer), so this is exact.
      sumLength += FIELD_NORM_TABLE[src[d]];
    }
  }

  return {
    terms: new TermDictionary(termBytes.finish(), Uint32Array.from(termOffsets)),
    docFreq: Uint32Array.from(docFreqs),
    postingsOffsets: Float64Array.from(postingsOffsets),
    postings: postings.finish(),
    positionsOffsets: Float64Array.from(positionsOffsets),
    positions: positions.finish(),
    norms,
    sumLength,
    maxDocFreq,
  };
}
