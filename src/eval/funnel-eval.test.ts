import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfiles, validateProfile } from '../funnel/profile.js';
import { evaluateCollection, meanOverCollections } from './collection-eval.js';
import { checkCollection, listCollections } from './collections.js';
import { collectionsTable, degradedNotes, stageTable } from './eval-report.js';
import { percentile } from './percentile.js';
import { formatTable } from './table.js';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-eval-test-'));
}

/** A four-document collection; q3 is judged but missing from queries.jsonl, q4 has no judgments. */
function writeCollection(root: string, name = 'fruit'): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const docs = [
    ['d1', 'apple pie recipe with apples and cinnamon'],
    ['d2', 'banana bread baked slowly'],
    ['d3', 'cherry tart with almonds'],
    ['d4', 'apple banana smoothie'],
  ];
  fs.writeFileSync(
    path.join(dir, 'corpus.jsonl'),
    docs.map(([id, text]) => JSON.stringify({ _id: id, title: '', text })).join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'queries.jsonl'),
    [
      '{"_id":"q1","text":"cherry"}',
      '{"_id":"q2","text":"banana bread"}',
      '{"_id":"q4","text":"apple"}',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'qrels.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td3\t1\nq2\td2\t2\nq3\td1\t1\n',
  );
  return dir;
}

describe('evaluateCollection', () => {
  it('scores every stage with trec_eval -c: a judged query missing from the queries counts as 0', async () => {
    const root = tmp();
    const dir = writeCollection(root);
    const profiles = loadProfiles();
    const r = await evaluateCollection(dir, [profiles.get('bm25')!, profiles.get('default')!], {
      indexDir: path.join(root, 'idx'),
    });
    expect(r).toMatchObject({ name: 'fruit', docs: 4, queries: 3 });
    const bm25 = r.profiles[0];
    expect(bm25.stages.map((s) => s.stage)).toEqual(['1:bm25', '2:extractive']);
    // q1 and q2 find their one relevant doc at rank 1; q3 is missing: (1 + 1 + 0) / 3.
    const m = bm25.stages[0].metrics!;
    expect(m.ndcg10).toBeCloseTo(2 / 3, 12);
    expect(m.map).toBeCloseTo(2 / 3, 12);
    expect(m.mrr10).toBeCloseTo(2 / 3, 12);
    expect(m.recall[117]).toBeCloseTo(2 / 3, 12);
    expect(m.missing).toBe(1);
    expect(bm25.stages[1].metrics).toBeUndefined(); // the reader does not rank
    expect(bm25.stages[1].work.passages).toBeGreaterThan(0);
    const def = r.profiles[1];
    expect(def.stages.map((s) => s.stage)).toEqual(['1:bm25+prf', '2:ltr', '3:extractive']);
    expect(def.stages[1].metrics!.recall[10]).toBeCloseTo(2 / 3, 12);
    expect(def.totalMs.p95).toBeGreaterThanOrEqual(def.totalMs.p50);
    // The index is cached: a second run reuses it.
    const stamp = fs.readFileSync(path.join(root, 'idx', 'fruit', 'INDEXED'), 'utf8');
    await evaluateCollection(dir, [profiles.get('bm25')!], { indexDir: path.join(root, 'idx'), read: false });
    expect(fs.readFileSync(path.join(root, 'idx', 'fruit', 'INDEXED'), 'utf8')).toBe(stamp);

    const table = stageTable(r);
    expect(table.rows.map((row) => row[1])).toEqual([
      '1:bm25',
      '2:extractive',
      'whole funnel',
      '1:bm25+prf',
      '2:ltr',
      '3:extractive',
      'whole funnel',
    ]);
    expect(formatTable(table)).toMatch(/1:bm25 +0\.667 +0\.667 +0\.667/);
    const all = collectionsTable([r, r]);
    expect(all.rows.map((row) => row[0])).toEqual(['fruit', 'fruit', 'mean of 2']);
    expect(meanOverCollections([r, r]).profiles[0].stages[0].metrics!.ndcg10).toBeCloseTo(2 / 3, 12);
  });

  it('says when a stage failed and its rows show the order before it', async () => {
    const root = tmp();
    const dir = writeCollection(root);
    const broken = validateProfile(
      {
        stages: [
          { kind: 'retrieve', model: 'bm25', keep: 10 },
          { kind: 'rerank', model: 'ltr', keep: 5, options: { modelFile: path.join(root, 'gone.json') } },
        ],
      },
      'broken',
    );
    const r = await evaluateCollection(dir, [broken], { indexDir: path.join(root, 'idx') });
    expect(r.profiles[0].stages[1]).toMatchObject({
      degraded: 2,
      error: expect.stringMatching(/gone\.json/),
    });
    expect(r.profiles[0].stages[0].degraded).toBe(0);
    expect(degradedNotes(r)).toEqual([
      expect.stringMatching(/^fruit: broken 2:ltr failed or ran over its budget in 2 queries .*gone\.json/),
    ]);
  });

  it('names the input that is wrong', async () => {
    const root = tmp();
    expect(() => checkCollection(path.join(root, 'nope'))).toThrow(/nope: no such folder/);
    const dir = writeCollection(root);
    fs.rmSync(path.join(dir, 'qrels.tsv'));
    expect(() => checkCollection(dir)).toThrow(/fruit: not a judged BEIR collection: qrels.tsv is missing/);
    expect(() => listCollections(root)).toThrow(/no judged collection here/);
    expect(() => listCollections(path.join(root, 'missing'))).toThrow(/missing: cannot read the folder/);
    fs.writeFileSync(path.join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td3\n');
    const profiles = [loadProfiles().get('bm25')!];
    await expect(evaluateCollection(dir, profiles, { indexDir: path.join(root, 'idx') })).rejects.toThrow(
      /qrels\.tsv:2: expected 3 tab-separated fields/,
    );
    expect(listCollections(root)).toEqual([dir]);
  });
});

describe('percentile', () => {
  it('is nearest-rank: a measured value', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
});
