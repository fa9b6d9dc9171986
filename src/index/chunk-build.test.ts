import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/index.js';
import { forEachCorpusLine } from '../ingest/jsonl.js';
import type { DocumentInput } from '../types.js';
import { buildChunk } from './chunk-build.js';
import type { Segment } from './segment.js';
import { SegmentWriter } from './segment-writer.js';

const WORDS = [
  'The',
  "dog's",
  'naïve',
  'café',
  '中文字符',
  'ภาษาไทย',
  'x_y',
  '3.11',
  '😀',
  'e-mail',
  '"q"',
  'a\\b',
  'tab\tx',
  'line\nnext',
  'it’s',
];

/** Everything a segment holds, as plain arrays, for comparison. */
function dump(s: Segment | null) {
  if (!s) return null;
  const arr = (a: ArrayLike<number>) => Array.from(a);
  return {
    docCount: s.docCount,
    fields: s.fields.map((f) => ({
      terms: arr(f.terms.bytes),
      docFreq: arr(f.docFreq),
      postings: arr(f.postings),
      positions: arr(f.positions),
      norms: arr(f.norms),
      sumLength: f.sumLength,
    })),
    columns: [s.ids, s.titles, s.texts, s.metas].map((c) =>
      Array.from({ length: c.size }, (_, d) => c.get(d)),
    ),
  };
}

describe('buildChunk over JSONL bytes', () => {
  it('builds the same segments from the bytes as from the decoded documents', () => {
    const line = fc.record({
      _id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      title: fc.string({ maxLength: 8 }),
      text: fc
        .array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: 'binary', maxLength: 5 })), {
          maxLength: 12,
        })
        .map((w) => w.join(' ')),
      lang: fc.constantFrom('en', 'zh'),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (records) => {
        const lines = records.map((r) => JSON.stringify(r));
        lines.splice(1, 0, '{"_id": broken', '{"_id":"z","text":"raw\tcontrol"}');
        const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
        const analyzer = createAnalyzer({});
        const writers = () => [new SegmentWriter(analyzer), new SegmentWriter(analyzer)];
        const fromBytes = buildChunk({ kind: 'jsonl', bytes, file: 'c.jsonl', firstLine: 1 }, writers());
        const docs: DocumentInput[] = [];
        const problems: string[] = [];
        forEachCorpusLine(
          bytes,
          'c.jsonl',
          1,
          (d) => docs.push(d),
          (e) => problems.push(e.message),
        );
        const fromDocs = buildChunk({ kind: 'docs', docs }, writers());
        expect(fromBytes.problems.map((p) => p.message)).toEqual(problems);
        expect(fromBytes.docs).toBe(fromDocs.docs);
        expect(fromBytes.chars).toBe(fromDocs.chars);
        expect(fromBytes.superseded).toEqual(fromDocs.superseded);
        expect(fromBytes.segments.map(dump)).toEqual(fromDocs.segments.map(dump));
      }),
      { numRuns: 150 },
    );
  });
});
