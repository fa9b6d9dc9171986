import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BadInputError } from '../errors.js';
import { type CorpusDoc, forEachCorpusLine } from './jsonl.js';
import { readLineBatches, readLineChunks } from './lines.js';

function tempFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funnel-lines-'));
  const file = path.join(dir, 'corpus.jsonl');
  fs.writeFileSync(file, content);
  return file;
}

async function chunksOf(file: string, size: number) {
  const out: { text: string; firstLine: number; lines: number }[] = [];
  for await (const c of readLineChunks(file, size)) {
    out.push({ text: Buffer.from(c.bytes).toString('utf8'), firstLine: c.firstLine, lines: c.lines });
  }
  return out;
}

describe('readLineChunks', () => {
  it('cuts only at line ends, numbers lines, and grows for a line longer than a chunk', async () => {
    const lines = ['short', 'x'.repeat(50), 'é中文', '', 'last line without newline'];
    const file = tempFile(lines.join('\r\n'));
    for (const size of [4, 16, 64, 1 << 20]) {
      const chunks = await chunksOf(file, size);
      expect(chunks.map((c) => c.text).join('')).toBe(lines.join('\r\n'));
      let expected = 1;
      for (const c of chunks) {
        expect(c.firstLine).toBe(expected);
        expect(c.text.endsWith('\n') || c === chunks.at(-1)).toBe(true);
        expected += c.lines;
      }
      expect(expected - 1).toBe(lines.length);
    }
  });

  it('yields nothing for an empty file', async () => {
    expect(await chunksOf(tempFile(''), 16)).toEqual([]);
  });

  it('agrees with readLineBatches', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `{"_id":"${i}","text":"line ${i}"}`).join('\n');
    const file = tempFile(`${text}\n`);
    const batches: string[] = [];
    for await (const b of readLineBatches(file)) batches.push(...b);
    const docs: CorpusDoc[] = [];
    for await (const c of readLineChunks(file, 256)) {
      forEachCorpusLine(
        c.bytes,
        file,
        c.firstLine,
        (d) => docs.push(d),
        (e) => {
          throw e;
        },
      );
    }
    expect(docs.map((d) => `{"_id":"${d.id}","text":"${d.text}"}`)).toEqual(batches);
  });
});

describe('forEachCorpusLine', () => {
  it('decodes documents and names each bad line', () => {
    const bytes = new TextEncoder().encode(
      '\uFEFF{"_id":"a","text":"x","year":2020}\r\n\n{"_id":1,"title":"t","text":"y"}\n[1]\n{"_id":"b","text":5}\n{bad',
    );
    const docs: CorpusDoc[] = [];
    const errors: BadInputError[] = [];
    forEachCorpusLine(
      bytes,
      'c.jsonl',
      1,
      (d) => docs.push(d),
      (e) => errors.push(e),
    );
    expect(docs).toEqual([
      { id: 'a', title: '', text: 'x', meta: { year: 2020 } },
      { id: '1', title: 't', text: 'y' },
    ]);
    expect(errors.map((e) => e.message.replace(/JSON: .*/, 'JSON'))).toEqual([
      'c.jsonl:4: expected a JSON object',
      'c.jsonl:5: "text" must be a string, got number',
      'c.jsonl:6: invalid JSON',
    ]);
  });
});
