import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../src/ingest/testing/make-pdf.js';
import { writeTinyGguf } from '../src/reader/testing/tiny-gguf.js';
import { tempDir } from './helpers.js';

const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'funnel.js');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

function funnel(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('funnel CLI', () => {
  it('indexes a folder of notes and searches it', () => {
    const index = path.join(tempDir(), 'idx');
    const r = funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    expect(r.stderr).toMatch(/commit 1: 3 passages/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/indexed 3 files \(.*, 3 passages\)/);
    const s = funnel('search', 'sourdough starter', '--index', index);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('sub/bread.txt');
    expect(s.stdout).toContain('[Sourdough]');
    const j = JSON.parse(funnel('search', 'tomatoes', '--index', index, '--json').stdout);
    expect(j.hits[0]).toMatchObject({ title: 'Growing tomatoes', meta: { path: 'garden.md' } });
    expect(j.hits[0].id).toMatch(/^garden\.md#[0-9a-f]{12}$/);
    expect(j.total).toBe(1);
    // Indexing again updates in place.
    funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    expect(JSON.parse(funnel('stats', '--index', index, '--json').stdout).docs).toBe(3);
  });

  it('reads with a local GGUF model (--profile local), streaming its answer and checking its citation', () => {
    const index = path.join(tempDir(), 'idx');
    funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    const model = path.join(tempDir(), 'tiny.gguf');
    writeTinyGguf(model, [
      'Feed',
      '▁the▁starter',
      '▁[1]',
      '.\nCITATIONS:▁[{"passage":▁1,▁"quote":▁"',
      'Feed▁the▁starter▁the▁night▁before▁baking',
      '"}]',
    ]);
    const ask = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'ask', 'how do I keep a sourdough starter alive?', ...args], {
        encoding: 'utf8',
        env: { ...process.env, FUNNEL_GGUF_MODEL: model },
      });
    const a = ask('--index', index, '--profile', 'local');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^Feed the starter \[1\]\./);
    expect(a.stdout).toContain('sub/bread.txt');
    const j = JSON.parse(ask('--index', index, '--profile', 'local', '--json').stdout);
    expect(j.funnel).toBe('bm25+prf ─30000→ ltr ─117→ gguf');
    expect(j.trace.map((t: { stage: string; status: string }) => `${t.stage} ${t.status}`)).toEqual([
      '1:bm25+prf ok',
      '2:ltr ok',
      '3:gguf ok',
    ]);
    expect(j.answer.citations).toHaveLength(1);
    expect(j.answer.citations[0]).toMatchObject({
      quote: 'Feed the starter the night before baking',
      docId: expect.stringMatching(/^sub\/bread\.txt#/),
    });
    // Without a model file the reader falls back to the extractive one, and the trace says why.
    const none = JSON.parse(
      spawnSync(
        process.execPath,
        [BIN, 'ask', 'sourdough', '--index', index, '--profile', 'local', '--json'],
        {
          encoding: 'utf8',
          env: { ...process.env, FUNNEL_GGUF_MODEL: path.join(tempDir(), 'gone.gguf') },
        },
      ).stdout,
    );
    expect(none.trace[2]).toMatchObject({ status: 'failed', notes: { fallback: 'extractive' } });
    expect(none.trace[2].error).toMatch(/gone\.gguf: no such model file/);
    expect(none.answer.citations.length).toBeGreaterThan(0);
  });

  it("judges the funnel's candidates with a local GGUF model and writes qrels", () => {
    const index = path.join(tempDir(), 'idx');
    funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    const dir = tempDir();
    const model = path.join(dir, 'judge.gguf');
    // One passage a request (--batch 1), so this one reply grades every pair 3.
    writeTinyGguf(model, ['{"grades":▁[{"n":▁1,', '▁"grade":▁3}]}']);
    const queries = path.join(dir, 'q.jsonl');
    fs.writeFileSync(queries, '{"_id":"q1","text":"sourdough starter"}\n{"_id":"q2","text":"tomatoes"}\n');
    const qrels = path.join(dir, 'qrels.tsv');
    const args = ['judge', '--index', index, '--queries', queries, '--out', qrels, '--batch', '1'];
    const r = funnel(...args, '--gguf', model, '--json');
    expect(r.stderr).toMatch(/with judge\.gguf at local .*judge\.gguf/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ model: 'judge.gguf', queries: 2, failed: 0 });
    expect(summary.graded).toBe(summary.pairs);
    const lines = fs.readFileSync(qrels, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('query-id\tcorpus-id\tscore');
    expect(lines.slice(1)).toContainEqual(expect.stringMatching(/^q1\tsub\/bread\.txt#[0-9a-f]{12}\t3$/));
    expect(lines.slice(1)).toContainEqual(expect.stringMatching(/^q2\tgarden\.md#[0-9a-f]{12}\t3$/));
    expect(funnel(...args, '--gguf', model, '--model', 'x').stderr).toMatch(/--gguf runs a local model/);
  });

  it('asks a question through the funnel, lists profiles and explains a ranking', () => {
    const index = path.join(tempDir(), 'idx');
    funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    const a = funnel('ask', 'how do I keep a sourdough starter alive?', '--index', index, '--trace');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/\[1\]/);
    expect(a.stdout).toContain('sub/bread.txt');
    expect(a.stdout).toMatch(/bm25\+prf ─30000→ ltr ─117→ extractive/);
    expect(a.stdout).toMatch(/1:bm25\+prf .* ms/);
    const j = JSON.parse(funnel('ask', 'sourdough', '--index', index, '--json').stdout);
    expect(j.trace.map((t: { stage: string }) => t.stage)).toEqual(['1:bm25+prf', '2:ltr', '3:extractive']);
    expect(j.answer.citations.length).toBeGreaterThan(0);
    expect(j.hits[0].scores).toHaveProperty('1:bm25+prf');
    expect(funnel('profiles').stdout).toMatch(/^default +bm25\+prf ─30000→/m);
    const e = funnel('explain', 'sourdough starter', 'sub/bread.txt', '--index', index);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/1:bm25\+prf +rank 1 of/);
    expect(e.stdout).toMatch(/proximity/);
    expect(funnel('ask', 'x', '--index', index, '--profile', 'nope').stderr).toMatch(
      /unknown profile "nope"/,
    );
    const queries = path.join(tempDir(), 'q.jsonl');
    fs.writeFileSync(queries, '{"_id":"q1","text":"sourdough starter"}\n');
    for (const stage of ['retrieve', 'final']) {
      const r = funnel(
        'run',
        '--index',
        index,
        '--queries',
        queries,
        '--output',
        '-',
        '--profile',
        'default',
        '--stage',
        stage,
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^q1 Q0 sub\/bread\.txt#[0-9a-f]{12} 1 /);
    }
  });

  it("indexes a folder of mixed formats as passages, skips a binary, and drops an edited file's old passages", () => {
    const root = path.join(tempDir(), 'docs');
    fs.mkdirSync(path.join(root, 'mail', 'cur'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'guide.md'),
      '# Guide\n\n## Boats\n\nThe kayak is red.\n\n## Trains\n\nThe night train leaves at nine.\n',
    );
    fs.writeFileSync(
      path.join(root, 'page.html'),
      '<html><head><title>Harbour</title><script>var lighthouse=1</script></head><body><nav>menu</nav><h1>Harbour</h1><p>Ferries dock at the pier.</p></body></html>',
    );
    fs.writeFileSync(
      path.join(root, 'mail', 'cur', '1700000000.M1P1.host:2,S'),
      'From: Ann Lee <ann@example.org>\r\nTo: bob@example.org\r\nSubject: Picnic plans\r\nDate: Tue, 1 Aug 2023 10:00:00 +0000\r\nMessage-ID: <p1@example.org>\r\n\r\nBring the watermelon on Saturday.\r\n',
    );
    fs.writeFileSync(
      path.join(root, 'blob.txt'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0xff, 0xfe, 0, 1]),
    );
    const index = path.join(tempDir(), 'idx');
    const r = funnel('index', root, '--index', index);
    // A binary is skipped (reported with its reason), not failed: the exit code stays 0.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped \(1\):\n {2}\S*blob\.txt: binary content: NUL bytes/);
    const find = (q: string) => JSON.parse(funnel('search', q, '--index', index, '--json').stdout).hits;
    expect(find('kayak')[0].meta).toMatchObject({ path: 'guide.md', heading: 'Guide > Boats' });
    expect(find('ferries')[0].meta.path).toBe('page.html');
    expect(find('lighthouse')).toEqual([]);
    expect(find('watermelon')[0]).toMatchObject({ title: 'Picnic plans' });
    const before = JSON.parse(funnel('stats', '--index', index, '--json').stdout).docs;
    fs.writeFileSync(
      path.join(root, 'guide.md'),
      '# Guide\n\n## Boats\n\nThe canoe is green.\n\n## Trains\n\nThe night train leaves at nine.\n',
    );
    // Only the edited file is read again.
    expect(funnel('index', root, '--index', index).stdout).toMatch(
      /indexed 1 files .* 2 unchanged, 0 removed, 1 skipped/,
    );
    expect(find('kayak')).toEqual([]);
    expect(find('canoe')[0].meta.path).toBe('guide.md');
    expect(JSON.parse(funnel('stats', '--index', index, '--json').stdout).docs).toBe(before);
    // A deleted file's passages go.
    fs.rmSync(path.join(root, 'page.html'));
    expect(funnel('index', root, '--index', index).stdout).toMatch(
      /indexed 0 files .* 2 unchanged, 1 removed/,
    );
    expect(find('ferries')).toEqual([]);
    // Nothing changed: the run stats the files and does not even open the index.
    expect(funnel('index', root, '--index', index).stdout).toMatch(
      /2 unchanged[\s\S]*up to date .*not opened/,
    );
    // Once the index is changed by someone else, the next run opens it again.
    funnel('delete', find('canoe')[0].id, '--index', index);
    expect(funnel('index', root, '--index', index).stdout).toMatch(
      /2 unchanged[\s\S]*passages, \d+ segments/,
    );
  });

  it('reports bad files by path from the builder threads that read them, indexes the rest, exits 3', () => {
    const root = path.join(tempDir(), 'bad');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'broken.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF');
    fs.writeFileSync(path.join(root, 'bad.eml'), 'this is not a mail header\n\nbody\n');
    fs.writeFileSync(path.join(root, 'photo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2]));
    fs.writeFileSync(
      path.join(root, 'mixed.txt'),
      Buffer.concat([Buffer.from('naïve beaver '), Buffer.from([0xff, 0xfe]), Buffer.from(' résumé\n')]),
    );
    for (let i = 0; i < 30; i++)
      fs.writeFileSync(path.join(root, `n${i}.txt`), `Note ${i} about the wren.\n`);
    // PDF.js runs in the builder threads too.
    fs.writeFileSync(
      path.join(root, 'good.pdf'),
      makePdf({ pages: [['The lynx hunts.'], ['The owl waits.']] }),
    );
    const index = path.join(tempDir(), 'idx');
    const r = funnel('index', root, '--index', index, '--json');
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ files: 35, indexed: 32, passages: 33 });
    const rel = (issues: { path: string; reason: string }[]) =>
      issues.map((i) => `${path.relative(root, i.path)}: ${i.reason}`).sort();
    expect(rel(s.failed)).toEqual([
      expect.stringMatching(/^bad\.eml: malformed mail/),
      expect.stringMatching(/^broken\.pdf: /),
    ]);
    expect(rel(s.skipped)).toEqual(['photo.txt: binary content: NUL bytes']);
    expect(rel(s.warnings)).toEqual([expect.stringMatching(/^mixed\.txt: invalid UTF-8/)]);
    const hit = (q: string) => JSON.parse(funnel('search', q, '--index', index, '--json').stdout).hits[0];
    expect(hit('beaver').meta.path).toBe('mixed.txt');
    expect(hit('owl').meta).toMatchObject({ path: 'good.pdf', page: 2 });
  });

  it('watches a folder: a saved file becomes searchable by another process; SIGINT stops cleanly', async () => {
    const root = path.join(tempDir(), 'notes');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.txt'), 'The otter floats.\n');
    const index = path.join(tempDir(), 'idx');
    // A folder named relative to the working directory.
    const child = spawn(process.execPath, [BIN, 'watch', 'notes', '--index', index], {
      stdio: 'pipe',
      cwd: path.dirname(root),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (check: () => boolean, what: string) => {
      const end = Date.now() + 60_000;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => stderr.includes('watching'), 'the watcher to start');
      expect(stdout).toMatch(/indexed 1 files/);
      fs.writeFileSync(path.join(root, 'b.md'), '# Seals\n\nThe seal sunbathes on the rocks.\n');
      const hits = () => JSON.parse(funnel('search', 'sunbathes', '--index', index, '--json').stdout).hits;
      await until(() => hits().length > 0, 'the new file in a search');
      expect(hits()[0].meta).toMatchObject({ path: 'b.md', line: 1, 'line-end': 3 });
      await until(() => /b\.md: 1 indexed \(1 passages\)/.test(stdout), 'the update line');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/stopped; index committed/);
    // The index is closed and unlocked: another writer can open it.
    expect(funnel('index', root, '--index', index).stdout).toMatch(/2 unchanged/);
  });

  it('reports a broken JSONL line with its line number, indexes the rest, exits 3', () => {
    const index = path.join(tempDir(), 'idx');
    const r = funnel('index', path.join(FIXTURES, 'broken.jsonl'), '--index', index);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/broken\.jsonl:2/);
    expect(r.stderr).toMatch(/broken\.jsonl:3/);
    expect(r.stdout).toMatch(/indexed 2 documents/);
    const j = JSON.parse(funnel('search', 'sailing', '--index', index, '--json').stdout);
    expect(j.hits.map((h: { id: string }) => h.id).sort()).toEqual(['d1', 'd3']);
  });

  it('writes a TREC run, deletes, merges and shows stats', () => {
    const dir = tempDir();
    const index = path.join(dir, 'idx');
    funnel('index', path.join(FIXTURES, 'broken.jsonl'), '--index', index);
    const queries = path.join(dir, 'q.jsonl');
    fs.writeFileSync(queries, '{"_id":"q1","text":"sailing"}\n{"_id":"q2","text":"rowing boats"}\n');
    const out = path.join(dir, 'run.trec');
    expect(funnel('run', '--index', index, '--queries', queries, '--output', out, '-k', '5').code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(4);
    for (const line of lines) expect(line).toMatch(/^q[12] Q0 d[13] [12] \d+\.\d{6} funnel$/);
    expect(funnel('delete', 'd1', 'nope', '--index', index).code).toBe(3);
    expect(funnel('merge', '--index', index).code).toBe(0);
    const stats = JSON.parse(funnel('stats', '--index', index, '--json').stdout);
    expect(stats).toMatchObject({ docs: 1, deletedDocs: 0 });
  });

  it('gives clear errors and usage exit codes', () => {
    const missing = funnel('search', 'x', '--index', path.join(tempDir(), 'none'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no index here/);
    expect(funnel('search', 'x').code).toBe(2);
    expect(funnel('search', 'x', '--index', 'y', '-k', 'many').stderr).toMatch(/-k: illegal value "many"/);
    expect(
      funnel('index', path.join(tempDir(), 'nothing-here'), '--index', path.join(tempDir(), 'i')).stderr,
    ).toMatch(/no such file or directory/);
    for (const cmd of ['index', 'search', 'run', 'stats', 'delete', 'merge']) {
      expect(funnel(cmd, '--help').stdout).toMatch(/Usage: funnel/);
    }
  });
});
