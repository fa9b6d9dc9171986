import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
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
    expect(r.stderr).toMatch(/commit 1: 3 docs/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/indexed 3 documents/);
    const s = funnel('search', 'sourdough starter', '--index', index);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('sub/bread.txt');
    expect(s.stdout).toContain('[Sourdough]');
    const j = JSON.parse(funnel('search', 'tomatoes', '--index', index, '--json').stdout);
    expect(j.hits[0]).toMatchObject({ id: 'garden.md', title: 'Growing tomatoes' });
    expect(j.total).toBe(1);
    // Indexing again updates in place.
    funnel('index', path.join(FIXTURES, 'notes'), '--index', index);
    expect(JSON.parse(funnel('stats', '--index', index, '--json').stdout).docs).toBe(3);
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
      expect(r.stdout).toMatch(/^q1 Q0 sub\/bread\.txt 1 /);
    }
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
