import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine.js';
import { loadProfiles } from '../../funnel/profile.js';
import { buildHaystack, pieceTarget, readLayout } from './haystack.js';
import { runNeedles } from './needle-bench.js';
import { depthTable, needleCharts, needleReportHtml, summaryTable } from './needle-report.js';
import { chooseHosts, documentAt, insertSentence, needlePositions, windowBaseline } from './placement.js';
import { seeded } from './random.js';

const WORDS = `river mountain forest ocean desert valley island harbor bridge tower castle garden apple
cherry grape lemon mango olive peach pear plum engine index shard segment query ranking score memory
durable fresh walk jump swim read write paper stone glass metal cloud rain snow wind light shadow
morning evening winter summer market kitchen window door table chair letter story music`.split(/\s+/);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-needle-test-'));
}

/** `docs` JSONL documents of 20-40 words (sentences of 5-10 words), ids `${prefix}<i>`. */
function writeCorpus(file: string, docs: number, seed: number, prefix = 'd'): void {
  const random = seeded(seed);
  const lines: string[] = [];
  for (let i = 0; i < docs; i++) {
    const sentences: string[] = [];
    let words = 0;
    const target = 20 + Math.floor(random() * 21);
    while (words < target) {
      const n = Math.min(5 + Math.floor(random() * 6), target - words);
      const s = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]);
      sentences.push(`${s.join(' ')}.`);
      words += n;
    }
    lines.push(JSON.stringify({ _id: `${prefix}${i}`, title: '', text: sentences.join(' ') }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('placement', () => {
  it('puts needles in their depth band, one host each', () => {
    const random = seeded(1);
    const start = needlePositions(16, 'start', 10_000, random);
    expect(Math.max(...start)).toBeLessThan(1000);
    const end = needlePositions(16, 'end', 10_000, random);
    expect(Math.min(...end)).toBeGreaterThanOrEqual(9000);
    const middle = needlePositions(4, 'middle', 10_000, random);
    for (const p of middle) expect(p >= 4500 && p < 5500).toBe(true);
    const spread = needlePositions(4, 'spread', 10_000, random).sort((a, b) => a - b);
    // Stratified: one needle in each quarter.
    expect(spread.map((p) => Math.floor(p / 2500))).toEqual([0, 1, 2, 3]);
    const layout = { ids: ['a', 'b', 'c'], starts: Float64Array.from([0, 10, 20, 30]) };
    expect([0, 9, 10, 29].map((p) => documentAt(layout, p))).toEqual([0, 0, 1, 2]);
    expect(chooseHosts(layout, [1, 2, 25])).toEqual([0, 1, 2]);
    expect(chooseHosts(layout, [25, 26], (d) => d !== 2)).toEqual([0, 1]);
  });

  it('inserts a needle at a sentence boundary', () => {
    expect(insertSentence('One two. Three four. Five.', 'NEEDLE.', 0.35)).toBe(
      'One two. Three four. NEEDLE. Five.',
    );
    expect(insertSentence('One two. Three four.', 'NEEDLE.', 0)).toBe('One two. NEEDLE. Three four.');
    expect(insertSentence('no boundary here', 'NEEDLE.', 0.5)).toBe('no boundary here NEEDLE.');
    expect(insertSentence('', 'NEEDLE.', 0.5)).toBe('NEEDLE.');
  });

  it('computes the window baseline: the share held and the best slice', () => {
    const b = windowBaseline([0, 50, 100, 1000], 2000, 101);
    expect(b).toEqual({ window: 101, share: 101 / 2000, best: 3 / 4 });
    expect(windowBaseline([0, 1999], 2000, 128_000)).toEqual({ window: 128_000, share: 1, best: 1 });
    // Spread needles: about window / haystack.
    const spread = Array.from({ length: 100 }, (_, i) => i * 1e7 + 5e6);
    expect(windowBaseline(spread, 1e9, 128_000).best).toBe(0.01);
    expect(windowBaseline(spread, 1e9, 2e7).best).toBe(0.02);
  });
});

describe('pieceTarget', () => {
  it('keeps documents up to 1.25 targets whole and cuts longer ones evenly, never past 1.25 targets', () => {
    expect(pieceTarget(250, 200)).toBe(0);
    expect(pieceTarget(251, 200)).toBe(126);
    expect(pieceTarget(1000, 200)).toBe(200);
    expect(pieceTarget(1099, 200)).toBe(220);
    expect(pieceTarget(5000, 0)).toBe(0);
    for (let t = 251; t < 5000; t += 7) {
      const piece = pieceTarget(t, 200);
      expect(piece).toBeGreaterThanOrEqual(120);
      expect(piece).toBeLessThanOrEqual(250);
    }
  });
});

describe('buildHaystack', () => {
  it('streams a JSONL corpus to N tokens, records the layout, and is reused', async () => {
    const root = tmp();
    const corpus = path.join(root, 'corpus.jsonl');
    writeCorpus(corpus, 400, 1);
    const dir = path.join(root, 'h');
    const first = await buildHaystack(dir, { corpus, tokens: 5000, shards: 1 });
    expect(first.reused).toBe(false);
    expect(first.info.tokens).toBeGreaterThanOrEqual(5000);
    expect(first.info.tokens).toBeLessThan(5041);
    expect(first.layout.ids.length).toBe(first.info.docs);
    expect(first.layout.starts[first.info.docs]).toBe(first.info.tokens);
    expect(first.layout.ids.slice(0, 3)).toEqual(['d0', 'd1', 'd2']);
    const engine = await Engine.open(dir, { readOnly: true });
    expect(engine.stats().docs).toBe(first.info.docs);
    expect(engine.get(`d${first.info.docs}`)).toBeUndefined(); // the next line was not indexed
    await engine.close();
    const again = await buildHaystack(dir, { corpus, tokens: 5000, shards: 1 });
    expect(again.reused).toBe(true);
    expect(again.layout).toEqual(readLayout(dir));
    expect(again.layout.ids).toEqual(first.layout.ids);
  });

  it('cuts long documents into passages on the bytes (ids <id>#<n>)', async () => {
    const root = tmp();
    const corpus = path.join(root, 'corpus.jsonl');
    writeCorpus(corpus, 50, 5);
    const long = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    fs.appendFileSync(corpus, `${JSON.stringify({ _id: 'big', title: 'Big', text: long })}\n`);
    writeCorpus(path.join(root, 'tail.jsonl'), 50, 6, 't');
    fs.appendFileSync(corpus, fs.readFileSync(path.join(root, 'tail.jsonl')));
    const h = await buildHaystack(path.join(root, 'h'), {
      corpus,
      tokens: 2500,
      shards: 1,
      passageTokens: 100,
    });
    expect(h.info.parts).toHaveLength(1);
    const parts = h.layout.ids.filter((id) => id.startsWith('big#'));
    expect(parts).toEqual(['big#0', 'big#1', 'big#2', 'big#3', 'big#4', 'big#5']);
    expect(h.layout.ids).toContain('t0');
    const engine = await Engine.open(path.join(root, 'h'), { readOnly: true });
    expect(parts.map((id) => engine.get(id)?.text).join('')).toBe(long);
    expect(engine.get('big#1')?.title).toBe('Big');
    expect(engine.stats().docs).toBe(h.info.docs);
    await engine.close();
  });

  it('continues with the fill corpus, or repeats the corpus with renamed ids', async () => {
    const root = tmp();
    const corpus = path.join(root, 'small.jsonl');
    writeCorpus(corpus, 20, 2);
    const fill = path.join(root, 'fill.jsonl');
    writeCorpus(fill, 400, 3, 'f');
    const filled = await buildHaystack(path.join(root, 'a'), { corpus, fill, tokens: 3000, shards: 1 });
    expect(filled.info.parts.map((p) => [path.basename(p.source), p.round])).toEqual([
      ['small.jsonl', 1],
      ['fill.jsonl', 1],
    ]);
    expect(filled.layout.ids).toContain('f0');
    const repeated = await buildHaystack(path.join(root, 'b'), { corpus, tokens: 1500, shards: 1 });
    expect(repeated.info.parts.length).toBeGreaterThan(1);
    expect(repeated.layout.ids).toContain('d0~r2');
    const engine = await Engine.open(path.join(root, 'b'), { readOnly: true });
    expect(engine.get('d0~r2')?.text).toBe(engine.get('d0')?.text);
    expect(engine.stats().docs).toBe(repeated.info.docs);
    await engine.close();
  });

  it('cuts a folder of text files into passages and names a bad corpus', async () => {
    const root = tmp();
    const folder = path.join(root, 'essays');
    fs.mkdirSync(folder);
    const paragraph = `${WORDS.join(' ')}. `.repeat(3);
    fs.writeFileSync(path.join(folder, 'a.txt'), `${paragraph}\n\n${paragraph}\n\n${paragraph}`);
    fs.writeFileSync(path.join(folder, 'b.md'), paragraph);
    fs.writeFileSync(path.join(folder, 'skip.bin'), 'x');
    const h = await buildHaystack(path.join(root, 'h'), { corpus: folder, tokens: 500, shards: 1 });
    expect(h.layout.ids[0]).toBe('a.txt#0');
    expect(h.info.tokens).toBeGreaterThanOrEqual(500);
    await expect(
      buildHaystack(path.join(root, 'x'), { corpus: path.join(root, 'nope'), tokens: 10 }),
    ).rejects.toThrow(/nope: no such file or folder/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    await expect(buildHaystack(path.join(root, 'y'), { corpus: empty, tokens: 10 })).rejects.toThrow(
      /empty: no text files/,
    );
  });
});

describe('runNeedles', () => {
  it('finds overlapping needles, reports no-overlap ones honestly, and restores the haystack', async () => {
    const root = tmp();
    const corpus = path.join(root, 'corpus.jsonl');
    writeCorpus(corpus, 600, 4);
    const dir = path.join(root, 'h');
    const built = await buildHaystack(dir, { corpus, tokens: 12_000, shards: 1 });
    expect(built.info.docs).toBeGreaterThan(300); // more documents than the final 117
    const engine = await Engine.open(dir);
    const profiles = loadProfiles();
    const results = await runNeedles(engine, built.layout, {
      configs: [
        { kind: 'single', k: 4, depth: 'spread' },
        { kind: 'distractor', k: 2, depth: 'start' },
        { kind: 'multi-key', k: 4, depth: 'end' },
        { kind: 'no-overlap', k: 4, depth: 'middle' },
      ],
      profiles: [profiles.get('bm25')!, profiles.get('default')!],
      seed: 7,
      tokens: built.info.tokens,
    });
    expect(results).toHaveLength(8);
    const at = (kind: string, profile: string) =>
      results.find((r) => r.kind === kind && r.profile === profile)!;
    for (const profile of ['bm25', 'default']) {
      expect(at('single', profile)).toMatchObject({ recallFinal: 1, recall10: 1, allFound: 1, accuracy: 1 });
      expect(at('distractor', profile).recallFinal).toBe(1);
      expect(at('multi-key', profile)).toMatchObject({ recallFinal: 1, allFound: 1, accuracy: 1 });
      // The question's words are nowhere in the haystack: nothing to find.
      expect(at('no-overlap', profile)).toMatchObject({ recallFinal: 0, accuracy: 0 });
    }
    const single = at('single', 'default');
    expect(single.stages.map((s) => s.stage)).toEqual(['1:bm25+prf', '2:ltr', '3:extractive']);
    expect(Object.keys(single.stages[0].recall)).toEqual(['10', '117', '1000', '30000']);
    expect(Object.keys(single.stages[1].recall)).toEqual(['10', '117']);
    expect(single.stages[0].work.postings).toBeGreaterThan(0);
    expect(single.windows.map((w) => w.best)).toEqual([1, 1, 1]);
    expect(single.answers[0].answer).toContain(single.answers[0].expected[0]);
    // Every host has its own text back.
    expect(engine.search('membership society vault ship telescope lives').total).toBe(0);
    expect(engine.stats().docs).toBe(built.info.docs);
    await engine.close();

    const runs = [{ corpus, seed: 7, haystack: built.info, results }];
    const summary = summaryTable(runs);
    expect(summary.head).toContain('128k window');
    expect(summary.rows).toHaveLength(8);
    for (const t of [summary, depthTable(runs)])
      for (const row of t.rows) expect(row).toHaveLength(t.head.length);
    expect(depthTable(runs).rows).toHaveLength(8);
    const charts = await needleCharts(runs);
    expect(charts).toHaveLength(3);
    expect(charts[0]).toContain('Funnel bm25');
    expect(charts[0]).toContain('128k-token window');
    expect(needleReportHtml(runs, charts)).toContain('<svg');
  });
});
