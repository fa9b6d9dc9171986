import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { CorruptIndexError, FunnelError, InvalidArgumentError } from '../src/errors.js';
import { QUERY_WORDS, randomDocs, rng, tempDir } from './helpers.js';

const open: Engine[] = [];
async function openEngine(dir: string, options: Parameters<typeof Engine.open>[1] = {}): Promise<Engine> {
  const e = await Engine.open(dir, options);
  open.push(e);
  return e;
}
afterEach(async () => {
  for (const e of open.splice(0)) await e.close({ commit: false });
});

describe('Engine', () => {
  it('finds a document as soon as it is added, before any commit', async () => {
    const e = await openEngine(tempDir(), { shards: 2 });
    e.add({ id: 'a', title: 'Alpha', text: 'the quick brown fox' });
    expect(e.search('fox').hits.map((h) => h.id)).toEqual(['a']);
    e.add({ id: 'b', text: 'a lazy dog sleeps' });
    expect(e.search('dog').hits.map((h) => h.id)).toEqual(['b']);
    expect(e.search('fox dog').total).toBe(2);
  });

  it('updates in place by id and deletes by id', async () => {
    const e = await openEngine(tempDir());
    e.add({ id: 'a', text: 'old words here' });
    await e.commit();
    e.add({ id: 'a', text: 'new words there' });
    expect(e.search('old').total).toBe(0);
    expect(e.search('new').hits[0].id).toBe('a');
    expect(e.stats().docs).toBe(1);
    expect(e.delete('a')).toBe(true);
    expect(e.delete('a')).toBe(false);
    expect(e.search('new').total).toBe(0);
    expect(e.get('a')).toBeUndefined();
  });

  it('keeps committed documents across close and reopen, from the WAL and from segments', async () => {
    const dir = tempDir();
    const docs = randomDocs(300, 1);
    const e = await Engine.open(dir, { shards: 3 });
    for (const d of docs.slice(0, 100)) e.add(d);
    expect((await e.commit()).mode).toBe('wal');
    for (const d of docs.slice(100)) e.add(d);
    expect((await e.commit({ flush: true })).mode).toBe('flush');
    e.delete('doc-5');
    e.add({ ...docs[6], text: 'replaced text zebra' });
    await e.commit();
    const before = e.search('river forest', { k: 50 }).hits;
    await e.close({ commit: false });

    const r = await openEngine(dir, { readOnly: true });
    expect(r.stats().docs).toBe(299);
    expect(r.get('doc-5')).toBeUndefined();
    expect(r.search('zebra').hits.map((h) => h.id)).toEqual(['doc-6']);
    expect(r.search('river forest', { k: 50 }).hits).toEqual(before);
    expect(r.openReport.replayedOps).toBe(2);
  });

  it('ranks exactly the same with 1 shard or 4 shards and many segments', async () => {
    const docs = randomDocs(1500, 7);
    const one = await openEngine(tempDir(), { shards: 1 });
    const four = await openEngine(tempDir(), { shards: 4, bufferTokens: 3000 });
    for (const d of docs) {
      one.add(d);
      four.add(d);
    }
    expect(four.stats().segments).toBeGreaterThan(8);
    const r = rng(3);
    for (let q = 0; q < 40; q++) {
      const words = Array.from(
        { length: 1 + Math.floor(r() * 4) },
        () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)],
      );
      const query = q % 5 === 0 ? `"${words.join(' ')}"` : words.join(' ');
      const a = one.search(query, { k: 100, stored: false }).hits;
      const b = four.search(query, { k: 100, stored: false }).hits;
      expect(b.map((h) => h.id)).toEqual(a.map((h) => h.id));
      b.forEach((h, i) => {
        expect(h.score).toBeCloseTo(a[i].score, 9);
      });
    }
  });

  it('merges segments into one per shard, dropping deleted documents, ranking like a fresh index', async () => {
    const docs = randomDocs(800, 11);
    const live = docs.filter((_, i) => i % 7 !== 0);
    const e = await openEngine(tempDir(), { shards: 2, bufferTokens: 2000 });
    for (const d of docs) e.add(d);
    for (let i = 0; i < 800; i += 7) e.delete(`doc-${i}`);
    await e.merge();
    const s = e.stats();
    expect(s.segments).toBe(2);
    expect(s.deletedDocs).toBe(0);
    expect(s.docs).toBe(live.length);
    const fresh = await openEngine(tempDir(), { shards: 2 });
    for (const d of live) fresh.add(d);
    for (const q of ['castle garden', 'river', '"swim read"', 'apple +pear -plum']) {
      const a = fresh.search(q, { k: 200 }).hits;
      const b = e.search(q, { k: 200 }).hits;
      expect(b.map((h) => h.id)).toEqual(a.map((h) => h.id));
      b.forEach((h, i) => {
        expect(h.score).toBeCloseTo(a[i].score, 9);
      });
    }
  });

  it('supports phrases, required and excluded terms, field and metadata filters', async () => {
    const e = await openEngine(tempDir(), { shards: 2 });
    e.add({
      id: '1',
      title: 'River trip',
      text: 'we walked along the river bank at night',
      meta: { year: 2001, lang: 'en', date: '2001-05-03' },
    });
    e.add({
      id: '2',
      title: 'Bank notes',
      text: 'the bank of the river was muddy',
      meta: { year: 2010, lang: 'fr', date: '2010-01-01' },
    });
    e.add({
      id: '3',
      title: 'Night',
      text: 'a river at night and a city bank',
      meta: { year: 2020, lang: 'en', date: '2020-12-31' },
    });
    const ids = (q: string) =>
      e
        .search(q, { k: 10 })
        .hits.map((h) => h.id)
        .sort();
    expect(ids('"river bank"')).toEqual(['1']);
    expect(ids('"bank of the river"')).toEqual(['2']);
    expect(ids('river +night')).toEqual(['1', '3']);
    expect(ids('river -night')).toEqual(['2']);
    expect(ids('title:night')).toEqual(['3']);
    expect(ids('river lang:en')).toEqual(['1', '3']);
    expect(ids('river -lang:en')).toEqual(['2']);
    expect(ids('river year:>=2010')).toEqual(['2', '3']);
    expect(ids('river year:2000..2015')).toEqual(['1', '2']);
    expect(ids('river date:<2015-01-01')).toEqual(['1', '2']);
    expect(ids('lang:EN')).toEqual(['1', '3']);
    expect(ids('unknownkey:river')).toEqual(['1', '2', '3']);
  });

  it('finds Chinese text with one-, two- and many-character queries, and as phrases', async () => {
    const e = await openEngine(tempDir(), { shards: 2 });
    e.add({ id: 'zh1', text: '北京大学是中国著名的高等学府，位于北京市海淀区。' });
    e.add({ id: 'zh2', text: '上海是中国的经济中心，人口众多。' });
    e.add({ id: 'mix', text: '我们使用 Python 编程语言开发搜索引擎。' });
    const ids = (q: string) =>
      e
        .search(q)
        .hits.map((h) => h.id)
        .sort();
    expect(ids('京')).toEqual(['zh1']);
    expect(ids('上海')).toEqual(['zh2']);
    expect(ids('中国')).toEqual(['zh1', 'zh2']);
    expect(ids('"北京大学"')).toEqual(['zh1']);
    expect(ids('+北京大学')).toEqual(['zh1']);
    expect(ids('"海淀区"')).toEqual(['zh1']);
    expect(ids('python 搜索引擎')).toEqual(['mix']);
    expect(ids('"学北京"')).toEqual([]);
  });

  it('stems at index and query time and marks matches in snippets', async () => {
    const e = await openEngine(tempDir());
    e.add({ id: 's', title: 'Swimming', text: 'She swims daily. Swimming in cold lakes is good for you.' });
    const hit = e.search('swim', { snippets: true }).hits[0];
    expect(hit.id).toBe('s');
    expect(hit.snippet).toContain('[swims]');
    expect(hit.snippet).toContain('[Swimming]');
  });

  it('keeps the segment count bounded when every add is followed by a search', async () => {
    const docs = randomDocs(300, 9);
    const live = await openEngine(tempDir(), { shards: 2 });
    for (const d of docs) {
      live.add(d);
      live.search('river');
    }
    expect(live.stats().segments).toBeLessThanOrEqual(2 * 8);
    const batch = await openEngine(tempDir(), { shards: 2 });
    for (const d of docs) batch.add(d);
    for (const q of ['river forest', 'apple pear', '"swim read"']) {
      expect(live.search(q, { k: 50 }).hits.map((h) => h.id)).toEqual(
        batch.search(q, { k: 50 }).hits.map((h) => h.id),
      );
    }
  });

  it('bulk mode: batches build into segments, updates and deletes across batches resolve to the newest', async () => {
    const dir = tempDir();
    const e = await Engine.open(dir, { shards: 2, bulk: true });
    const docs = randomDocs(400, 5);
    for (const d of docs) e.add(d);
    e.add({ ...docs[3], text: 'updated unique zebra' });
    expect(e.delete('doc-4')).toBe(true);
    await e.commit();
    expect(e.stats().docs).toBe(399);
    expect(e.search('zebra').hits.map((h) => h.id)).toEqual(['doc-3']);
    expect(e.get('doc-4')).toBeUndefined();
    for (const d of docs.slice(10, 60)) e.add({ ...d, text: `${d.text} again` });
    await e.close();
    const r = await openEngine(dir, { readOnly: true });
    expect(r.stats().docs).toBe(399);
    expect(r.get('doc-10')?.text).toMatch(/ again$/);
    expect(r.search('zebra').hits.map((h) => h.id)).toEqual(['doc-3']);
  });

  it('bulk mode: JSONL chunks decode in the builder, report bad lines, and the newest copy of an id wins', async () => {
    const dir = tempDir();
    const e = await Engine.open(dir, { shards: 3, bulk: true });
    e.add({ id: 'old', text: 'committed before the load' });
    await e.commit();
    const jsonl = (lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);
    const first = e.addJsonl(
      jsonl([
        '{"_id":"a","title":"A","text":"alpha apple"}',
        '{"_id":"b","text":"beta"}',
        '{"_id": oops',
        '{"_id":"a","text":"alpha again, the later line wins"}',
        '',
        '{"_id":"old","text":"replaces the committed copy"}',
        '{"_id":"c","text":"gamma","lang":"en"}',
      ]),
      'corpus.jsonl',
      10,
    );
    // Operations made while the chunk is in flight are newer than it.
    e.add({ id: 'b', text: 'beta from add, newer than the chunk' });
    e.delete('c');
    const second = e.addJsonl(jsonl(['{"_id":"d","text":"delta"}', '{"text":"no id"}']), 'corpus.jsonl', 17);
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1.docs).toBe(5);
    expect(r1.errors.map((x) => x.source)).toEqual(['corpus.jsonl:12']);
    expect(r2.errors[0].message).toMatch(/^corpus\.jsonl:18: "_id" must be a non-empty string/);
    await e.commit();
    expect(e.get('a')?.text).toBe('alpha again, the later line wins');
    expect(e.get('b')?.text).toBe('beta from add, newer than the chunk');
    expect(e.get('c')).toBeUndefined();
    expect(e.get('old')?.text).toBe('replaces the committed copy');
    expect(e.stats().docs).toBe(4);
    expect(e.search('alpha').hits.map((h) => h.id)).toEqual(['a']);
    await e.close();
    const r = await openEngine(dir, { readOnly: true });
    expect(r.stats().docs).toBe(4);
    expect(r.search('delta').hits.map((h) => h.id)).toEqual(['d']);
  });

  it('bulk mode: a checkpoint commit makes what is built durable and leaves the rest of the load going', async () => {
    const dir = tempDir();
    const e = await Engine.open(dir, { shards: 2, bulk: true });
    const jsonl = (from: number, n: number) =>
      new TextEncoder().encode(
        `${Array.from({ length: n }, (_, i) => JSON.stringify({ _id: `d${from + i}`, text: `word${from + i} shared` })).join('\n')}\n`,
      );
    const first = e.addJsonl(jsonl(0, 50), 'c.jsonl', 1);
    await first;
    const second = e.addJsonl(jsonl(50, 50), 'c.jsonl', 51); // may still be building
    for (let i = 100; i < 110; i++) e.add({ id: `d${i}`, text: `word${i} shared open batch` });
    const cp = await e.commit({ checkpoint: true });
    expect(cp.mode).not.toBe('wal');
    // What the checkpoint made durable is there for a reader: at least the first chunk.
    const mid = await openEngine(dir, { readOnly: true });
    expect(mid.stats().docs).toBeGreaterThanOrEqual(50);
    expect(mid.search('word7').hits.map((h) => h.id)).toEqual(['d7']);
    await mid.close();
    await second;
    await e.commit();
    expect(e.stats().docs).toBe(110);
    await e.close();
    const r = await openEngine(dir, { readOnly: true });
    expect(r.stats().docs).toBe(110);
    expect(r.search('word105').hits.map((h) => h.id)).toEqual(['d105']);
    expect(r.search('word77').hits.map((h) => h.id)).toEqual(['d77']);
  });

  it('rejects bad arguments with clear errors', async () => {
    const e = await openEngine(tempDir());
    expect(() => e.add({ id: '', text: 'x' })).toThrow(InvalidArgumentError);
    expect(() => e.add({ id: 'x', text: 3 as unknown as string })).toThrow(/text must be a string/);
    expect(() => e.search('x', { k: 0 })).toThrow(/illegal k=0/);
    await expect(Engine.open(path.join(tempDir(), 'missing'), { readOnly: true })).rejects.toThrow(
      /no index here/,
    );
  });

  it('allows one writer per directory', async () => {
    const dir = tempDir();
    await openEngine(dir);
    await expect(Engine.open(dir)).rejects.toThrow(FunnelError);
  });
});

describe('corruption', () => {
  async function committedIndex(): Promise<string> {
    const dir = tempDir();
    const e = await Engine.open(dir, { shards: 1 });
    for (const d of randomDocs(50, 2)) e.add(d);
    await e.commit({ flush: true });
    await e.close();
    return dir;
  }

  it('detects a flipped byte in a segment and names the file', async () => {
    const dir = await committedIndex();
    const seg = fs.readdirSync(dir).find((f) => f.endsWith('.seg'))!;
    const file = path.join(dir, seg);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const err = await Engine.open(dir).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptIndexError);
    expect(err.message).toContain(seg);
    expect(err.message).toMatch(/checksum mismatch/);
  });

  it('detects a truncated segment and a truncated manifest', async () => {
    const dir = await committedIndex();
    const seg = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.seg'))!);
    fs.truncateSync(seg, fs.statSync(seg).size - 3);
    await expect(Engine.open(dir)).rejects.toThrow(/truncated|footer/);
    const dir2 = await committedIndex();
    fs.truncateSync(path.join(dir2, 'MANIFEST'), 10);
    await expect(Engine.open(dir2)).rejects.toThrow(/MANIFEST/);
  });

  it('detects a missing segment file', async () => {
    const dir = await committedIndex();
    fs.rmSync(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.seg'))!));
    await expect(Engine.open(dir)).rejects.toThrow(/missing/);
  });

  it('drops a torn WAL tail but keeps every complete record before it', async () => {
    const dir = tempDir();
    const e = await Engine.open(dir, { shards: 1 });
    e.add({ id: 'kept', text: 'committed words' });
    await e.commit();
    await e.close({ commit: false });
    const wal = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('wal-'))!);
    fs.appendFileSync(wal, Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    const r = await openEngine(dir);
    expect(r.openReport.droppedWalBytes).toBe(7);
    expect(r.get('kept')?.text).toBe('committed words');
    r.add({ id: 'after', text: 'more words' });
    await r.commit();
    await r.close({ commit: false });
    const r2 = await openEngine(dir, { readOnly: true });
    expect(r2.openReport.droppedWalBytes).toBe(0);
    expect(r2.stats().docs).toBe(2);
  });
});
