import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { rng, tempDir } from './helpers.js';

const WRITER = path.join(import.meta.dirname, 'fixtures', 'crash-writer.mjs');

/** Runs the writer until it has committed at least `minCommits` batches, then SIGKILLs it after `delayMs`. */
function runAndKill(dir: string, start: number, walFlushBytes: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(start), String(walFlushBytes)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = start;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/committed (\d+)/g)) committed = Math.max(committed, Number(m[1]));
      if (!timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('crash safety (kill -9 while indexing)', () => {
  it('keeps every committed document, through WAL commits and segment flushes', async () => {
    const dir = tempDir();
    const r = rng(42);
    let next = 0;
    for (let round = 0; round < 4; round++) {
      // Small WAL limits force segment flushes and manifest swaps during the run, too.
      const walFlush = round % 2 === 0 ? 1 << 30 : 16 << 10;
      const committed = await runAndKill(dir, next, walFlush, 50 + Math.floor(r() * 400));
      const engine = await Engine.open(dir, { readOnly: true });
      for (let n = 0; n < committed; n++) {
        // doc-n is deleted when doc-(n+50) is added; an uncommitted batch may or may not have survived.
        const deleter = n % 50 === 0 ? n + 50 : -1;
        const doc = engine.get(`doc-${n}`);
        if (deleter >= 0 && deleter < committed) expect(doc, `doc-${n} should be deleted`).toBeUndefined();
        else if (deleter < 0 || deleter >= committed + 25) {
          expect(doc?.text ?? '', `doc-${n} lost after kill -9 (committed ${committed})`).toContain(
            `number ${n} `,
          );
        }
      }
      expect(engine.search(`"document number ${committed - 1}"`).hits[0]?.id).toBe(`doc-${committed - 1}`);
      await engine.close();
      next = committed;
    }
  }, 120_000);

  it('lets readers open and search while a writer commits, flushes and merges', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [WRITER, dir, '0', String(16 << 10)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Readers open and search for 4 s of the writer's work, and at least 4 times (on a loaded
      // machine an open can take over a second): every one must find committed documents.
      let opened = 0;
      const started = Date.now();
      while (Date.now() - started < 4000 || opened < 4) {
        const reader = await Engine.open(dir, { readOnly: true });
        expect(reader.search('river forest', { k: 5 }).hits.length).toBeGreaterThan(0);
        await reader.close();
        opened++;
      }
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
