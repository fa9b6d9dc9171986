import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seeded } from '../src/eval/needle/random.js';
import type { DocumentInput } from '../src/types.js';

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'funnel-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A small deterministic PRNG (mulberry32): the one the needle benchmark uses. */
export const rng = seeded;

const WORDS = (
  'search engine index shard segment posting query ranking score document memory fast durable fresh ' +
  'river mountain forest ocean desert valley island city village harbor bridge tower castle garden ' +
  'apple banana cherry grape lemon mango olive peach pear plum ' +
  'run running ran runner walk walking jump jumping swim swimming read reading write writing'
).split(' ');

/** Random documents over a small vocabulary with a Zipf-ish skew, deterministic for a seed. */
export function randomDocs(count: number, seed: number): DocumentInput[] {
  const r = rng(seed);
  const pick = () => WORDS[Math.floor(WORDS.length * r() ** 2)];
  const docs: DocumentInput[] = [];
  for (let i = 0; i < count; i++) {
    const len = 3 + Math.floor(r() * 60);
    const words = Array.from({ length: len }, pick);
    docs.push({
      id: `doc-${i}`,
      title: Array.from({ length: 1 + Math.floor(r() * 4) }, pick).join(' '),
      text: words.join(' '),
      meta: { year: 1990 + Math.floor(r() * 30), lang: r() < 0.5 ? 'en' : 'fr' },
    });
  }
  return docs;
}

export const QUERY_WORDS = WORDS;
