import { describe, expect, it } from 'vitest';
import { BadInputError, InvalidArgumentError } from '../errors.js';
import { parseBeirQrels } from './qrels.js';
import { formatTrecQrels, formatTrecRun, parseTrecQrels, parseTrecRun } from './trec.js';

describe('BEIR qrels.tsv', () => {
  it('parses judgments after the header, grades as integers', () => {
    const q = parseBeirQrels('query-id\tcorpus-id\tscore\r\n1\tA\t2\n1\tB\t0\n2\tA\t1\n\n', 'qrels.tsv');
    expect(q).toEqual(
      new Map([
        [
          '1',
          new Map([
            ['A', 2],
            ['B', 0],
          ]),
        ],
        ['2', new Map([['A', 1]])],
      ]),
    );
  });

  it('names file and line of a malformed line', () => {
    const bad = 'query-id\tcorpus-id\tscore\n1\tA\t1\n1 A 1\n';
    expect(() => parseBeirQrels(bad, 'x/qrels.tsv')).toThrow(BadInputError);
    expect(() => parseBeirQrels(bad, 'x/qrels.tsv')).toThrow(/^x\/qrels\.tsv:3: expected 3 tab-separated/);
    expect(() => parseBeirQrels('query-id\tcorpus-id\tscore\n1\tA\thigh\n', 'f')).toThrow(
      /f:2: relevance grade/,
    );
    expect(() => parseBeirQrels('query-id\tcorpus-id\tscore\n1\tA\t0.5\n', 'f')).toThrow(/f:2/);
    expect(() => parseBeirQrels('query-id\tcorpus-id\tscore\n1\tA\t0x10\n', 'f')).toThrow(/f:2/);
  });

  it('requires the header and refuses duplicate judgments', () => {
    expect(() => parseBeirQrels('1\tA\t1\n', 'f')).toThrow(/f:1: header/);
    expect(() => parseBeirQrels('', 'f')).toThrow(/missing header/);
    expect(() => parseBeirQrels('query-id\tcorpus-id\tscore\n1\tA\t1\n1\tA\t2\n', 'f')).toThrow(
      /f:3: duplicate/,
    );
  });
});

describe('TREC qrels', () => {
  it('parses `qid iter docid rel`, skipping comments and blank lines', () => {
    const q = parseTrecQrels('# judged\n1 0 A 2\n\n1\t0\tB   0\r\n2 Q0 A -1\n', 'q.txt');
    expect(q).toEqual(
      new Map([
        [
          '1',
          new Map([
            ['A', 2],
            ['B', 0],
          ]),
        ],
        ['2', new Map([['A', -1]])],
      ]),
    );
  });

  it('round-trips through formatTrecQrels', () => {
    const q = parseTrecQrels('1 0 A 2\n1 0 B 0\n2 0 C 1\n', 'q');
    expect(formatTrecQrels(q)).toBe('1 0 A 2\n1 0 B 0\n2 0 C 1\n');
    expect(parseTrecQrels(formatTrecQrels(q), 'q')).toEqual(q);
  });

  it('names the line of a malformed judgment', () => {
    expect(() => parseTrecQrels('1 0 A 1\n1 0 B\n', 'q.txt')).toThrow(/^q\.txt:2: expected 4 fields/);
    expect(() => parseTrecQrels('1 0 A 1 x\n', 'q.txt')).toThrow(/q\.txt:1/);
    expect(() => parseTrecQrels('1 0 A 1\n1 0 A 1\n', 'q.txt')).toThrow(/q\.txt:2: duplicate/);
  });
});

describe('TREC run', () => {
  it('parses runs ignoring the rank field and extra fields', () => {
    const run = parseTrecRun('1 Q0 A 5 1.5 tag\n1 Q0 B 1 2.5e0 tag extra\n2 Q0 A 1 -3 tag\n', 'run');
    expect(run).toEqual(
      new Map([
        [
          '1',
          [
            { docId: 'A', score: 1.5 },
            { docId: 'B', score: 2.5 },
          ],
        ],
        ['2', [{ docId: 'A', score: -3 }]],
      ]),
    );
  });

  it('names the line of a malformed run line, a bad score or a duplicate doc', () => {
    expect(() => parseTrecRun('1 Q0 A 1 1 t\n1 Q0 B 2 1\n', 'r.txt')).toThrow(/^r\.txt:2: expected 6 fields/);
    expect(() => parseTrecRun('1 Q0 A 1 high t\n', 'r.txt')).toThrow(/r\.txt:1: score must be a number/);
    expect(() => parseTrecRun('1 Q0 A 1 1 t\n1 Q0 A 2 0.5 t\n', 'r.txt')).toThrow(
      /r\.txt:2: doc "A" listed twice/,
    );
  });

  it('formats in trec_eval rank order with full-precision scores', () => {
    const text = formatTrecRun(
      new Map([
        [
          'q',
          [
            { docId: 'a', score: 0.1 + 0.2 },
            { docId: 'b', score: 0.1 + 0.2 },
            { docId: 'c', score: 1e-7 },
          ],
        ],
      ]),
      'bm25',
    );
    expect(text).toBe(
      'q Q0 b 1 0.30000000000000004 bm25\nq Q0 a 2 0.30000000000000004 bm25\nq Q0 c 3 1e-7 bm25\n',
    );
    expect(
      parseTrecRun(text, 'r')
        .get('q')
        ?.map((h) => h.score),
    ).toEqual([0.1 + 0.2, 0.1 + 0.2, 1e-7]);
  });

  it('refuses ids that would break the format', () => {
    expect(() => formatTrecRun(new Map([['q', [{ docId: 'a b', score: 1 }]]]))).toThrow(InvalidArgumentError);
    expect(() => formatTrecRun(new Map([['q', []]]), 'two words')).toThrow(/run tag/);
  });
});
