import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/engine.js';
import { seeded } from '../src/eval/needle/random.js';
import type { DocumentInput } from '../src/types.js';

/** A fresh temporary directory under the OS temp folder (left for the OS to clear). */
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

/**
 * A two-shard engine over `count` random documents (seed `seed`): the first `committed` committed
 * into segments, the rest added after (in memory until searched), then every `deleteEvery`-th of
 * the first `deletes` × `deleteEvery` deleted.
 */
export async function randomIndex(o: {
  count: number;
  seed: number;
  committed: number;
  deletes?: number;
  deleteEvery?: number;
}): Promise<Engine> {
  const e = await Engine.open(tempDir(), { shards: 2 });
  const docs = randomDocs(o.count, o.seed);
  for (const d of docs.slice(0, o.committed)) e.add(d);
  await e.commit();
  for (const d of docs.slice(o.committed)) e.add(d);
  for (let i = 0; i < (o.deletes ?? 0); i++) e.delete(docs[i * (o.deleteEvery ?? 1)].id);
  return e;
}
