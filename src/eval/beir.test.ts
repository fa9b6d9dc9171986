import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../errors.js';
import { type CorpusDoc, iterateCorpus, readQrels, readQueries } from './beir.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnel-beir-'));
  await writeFile(
    join(dir, 'corpus.jsonl'),
    [
      '\uFEFF{"_id":"d1","title":"T1","text":"one"}',
      '{"_id":"d2","text":"two","year":1999,"lang":"en","ok":true,"tags":["x"],"extra":null}',
      '{"_id":"d3", "title": "broken"',
      '',
      '{"title":"no id","text":"x"}',
      '[1,2]',
      '{"_id":4,"title":"","text":"numeric id"}\r',
      '{"_id":"d5","title":7,"text":"bad title"}',
      '{"_id":"d6","title":"last","text":"no newline at end"}',
    ].join('\n'),
  );
  await writeFile(join(dir, 'queries.jsonl'), '{"_id":"1","text":"first?"}\n{"_id":"2","text":"second"}\n');
  await writeFile(join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\n1\td1\t1\n2\td2\t2\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<CorpusDoc>): Promise<CorpusDoc[]> {
  const out: CorpusDoc[] = [];
  for await (const doc of it) out.push(doc);
  return out;
}

describe('iterateCorpus', () => {
  it('streams documents, keeps scalar extra fields as meta, skips and collects broken lines', async () => {
    const corpus = iterateCorpus(dir);
    const docs = await collect(corpus);
    expect(docs).toEqual([
      { id: 'd1', title: 'T1', text: 'one' },
      { id: 'd2', title: '', text: 'two', meta: { year: 1999, lang: 'en', ok: true } },
      { id: '4', title: '', text: 'numeric id' },
      { id: 'd6', title: 'last', text: 'no newline at end' },
    ]);
    const file = join(dir, 'corpus.jsonl');
    expect(corpus.errors.map((e) => e.source)).toEqual([`${file}:3`, `${file}:5`, `${file}:6`, `${file}:8`]);
    expect(corpus.errors.every((e) => e instanceof BadInputError)).toBe(true);
    expect(corpus.errors[0].message).toMatch(/invalid JSON/);
    expect(corpus.errors[1].message).toMatch(/"_id"/);
    expect(corpus.errors[3].message).toMatch(/"title" must be a string/);
  });

  it('reports to onError instead when given, and onError may abort', async () => {
    const seen: number[] = [];
    const corpus = iterateCorpus(join(dir, 'corpus.jsonl'), {
      onError: (e) => seen.push(Number(e.source.split(':').pop())),
    });
    expect((await collect(corpus)).length).toBe(4);
    expect(seen).toEqual([3, 5, 6, 8]);
    expect(corpus.errors).toEqual([]);
    const aborting = iterateCorpus(dir, {
      onError: (e) => {
        throw e;
      },
    });
    await expect(collect(aborting)).rejects.toThrow(/corpus\.jsonl:3: invalid JSON/);
  });

  it('throws BadInputError for a missing file', async () => {
    await expect(collect(iterateCorpus(join(dir, 'nope')))).rejects.toThrow(BadInputError);
  });
});

describe('readQueries / readQrels', () => {
  it('reads from the folder or the file', async () => {
    expect(await readQueries(dir)).toEqual(
      new Map([
        ['1', 'first?'],
        ['2', 'second'],
      ]),
    );
    expect(await readQueries(join(dir, 'queries.jsonl'))).toEqual(await readQueries(dir));
    expect((await readQrels(dir)).get('2')).toEqual(new Map([['d2', 2]]));
  });

  it('throws on a broken query line, naming file and line', async () => {
    const file = join(dir, 'bad-queries.jsonl');
    await writeFile(file, '{"_id":"1","text":"a"}\n{"_id":"1","text":"b"}\n');
    await expect(readQueries(file)).rejects.toThrow(`${file}:2: duplicate query id "1"`);
    await writeFile(file, '{"_id":"1","text":"a"}\n{oops}\n');
    await expect(readQueries(file)).rejects.toThrow(`${file}:2: invalid JSON`);
  });
});

// The shared collections sit beside the repository (../shared/data) on developer machines and in CI.
const scifact = resolve(import.meta.dirname, '../../../shared/data/scifact');

describe.skipIf(!existsSync(scifact))('real collection: scifact', () => {
  it('loads queries, qrels and the whole corpus without errors', async () => {
    const queries = await readQueries(scifact);
    const qrels = await readQrels(scifact);
    expect(queries.size).toBe(300);
    expect([...qrels.values()].reduce((n, docs) => n + docs.size, 0)).toBe(339);
    for (const qid of qrels.keys()) expect(queries.has(qid)).toBe(true);
    const corpus = iterateCorpus(scifact);
    let count = 0;
    for await (const doc of corpus) {
      if (count === 0) expect(doc.id).toBe('4983');
      count++;
    }
    expect(count).toBe(5183);
    expect(corpus.errors).toEqual([]);
  });
});
