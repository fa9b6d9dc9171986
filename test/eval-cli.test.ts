import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const BIN = path.join(import.meta.dirname, '..', 'bin', 'funnel.js');

function funnel(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeCollection(root: string, name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'corpus.jsonl'),
    [
      '{"_id":"d1","title":"Sailing","text":"sailing boats on the lake in summer"}',
      '{"_id":"d2","title":"Rowing","text":"rowing boats need oars and strong arms"}',
      '{"_id":"d3","title":"Bread","text":"sourdough bread needs a starter"}',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'queries.jsonl'),
    '{"_id":"q1","text":"sailing"}\n{"_id":"q2","text":"sourdough starter"}\n',
  );
  fs.writeFileSync(path.join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t2\n');
  return dir;
}

describe('funnel eval and funnel needle', () => {
  it('evaluates one collection per stage, and every collection of a folder with a mean row', () => {
    const root = tempDir();
    const a = writeCollection(root, 'a');
    writeCollection(root, 'b');
    const idx = path.join(root, 'idx');
    const one = funnel('eval', '--dataset', a, '--profile', 'bm25,default', '--json', '--index-dir', idx);
    expect(one.code).toBe(0);
    const r = JSON.parse(one.stdout);
    expect(r.profiles.map((p: { profile: string }) => p.profile)).toEqual(['bm25', 'default']);
    expect(r.profiles[0].stages[0].metrics).toMatchObject({ ndcg10: 1, map: 1, mrr10: 1, queries: 2 });
    const report = path.join(root, 'r.html');
    const all = funnel('eval', '--all', root, '--profile', 'bm25', '--index-dir', idx, '--report', report);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^mean of 2 +1\.000/m);
    expect(all.stdout).toMatch(/1:bm25 +1\.000 +1\.000 +1\.000/);
    expect(fs.readFileSync(report, 'utf8')).toMatch(/<svg[^>]*>[\s\S]*nDCG@10 of the final ranking/);
  });

  it('names bad input and rejects bad usage', () => {
    const root = tempDir();
    expect(funnel('eval').code).toBe(2);
    const missing = funnel('eval', '--dataset', path.join(root, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope: no such folder/);
    const dir = writeCollection(root, 'c');
    fs.writeFileSync(path.join(dir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\tvery\n');
    const bad = funnel('eval', '--dataset', dir, '--index-dir', path.join(root, 'idx'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/qrels\.tsv:2: relevance grade must be an integer, got "very"/);
    expect(funnel('eval', '--dataset', dir, '--profile', 'nope').stderr).toMatch(/unknown profile "nope"/);
    expect(funnel('needle', '--needles', '65').stderr).toMatch(/--needles: illegal value "65"/);
    expect(funnel('needle', '--kinds', 'haystack').stderr).toMatch(/--kinds: unknown "haystack"/);
    expect(funnel('needle', '--corpus', path.join(root, 'none'), '--index-dir', root).stderr).toMatch(
      /none: no such file or folder/,
    );
  });

  it('runs the needle benchmark on a small haystack and merges runs into one report', () => {
    const root = tempDir();
    const corpus = path.join(root, 'corpus.jsonl');
    const words = 'river stone cloud morning garden window letter music table paper'.split(' ');
    const lines = Array.from({ length: 300 }, (_, i) => {
      const text = Array.from({ length: 30 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
      return JSON.stringify({ _id: `d${i}`, title: '', text: `${text}.` });
    });
    fs.writeFileSync(corpus, lines.join('\n'));
    const args = ['--corpus', corpus, '--tokens', '4000', '--needles', '1,4', '--kinds', 'single,no-overlap'];
    const r = funnel(
      'needle',
      ...args,
      '--depths',
      'spread',
      '--profile',
      'bm25',
      '--index-dir',
      root,
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    fs.writeFileSync(path.join(root, 'a.json'), r.stdout);
    expect(out.runs[0].haystack.docs).toBeGreaterThan(117);
    const results = out.runs[0].results;
    expect(results.map((x: { kind: string; k: number }) => `${x.kind} ${x.k}`)).toEqual([
      'single 1',
      'single 4',
      'no-overlap 1',
      'no-overlap 4',
    ]);
    expect(results[1]).toMatchObject({ recallFinal: 1, accuracy: 1 });
    expect(r.stderr).toMatch(/haystack 4e3: \d+ tokens in \d+ documents, built/);
    const again = funnel(
      'needle',
      ...args,
      '--depths',
      'start',
      '--profile',
      'bm25',
      '--index-dir',
      root,
      '--json',
    );
    expect(again.stderr).toMatch(/reused/);
    fs.writeFileSync(path.join(root, 'b.json'), again.stdout);
    const report = path.join(root, 'n.html');
    const merged = funnel('needle', '--merge', `${root}/a.json,${root}/b.json`, '--report', report, '--png');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/single +1 +1\.000/);
    expect(fs.readFileSync(report, 'utf8')).toContain('needle recall into the final 117 vs haystack size');
    if (fs.existsSync(path.join(root, 'n-chart-1.png'))) {
      expect(fs.readFileSync(path.join(root, 'n-chart-1.png')).subarray(1, 4).toString()).toBe('PNG');
    }
  });
});
