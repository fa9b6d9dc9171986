import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built engine: search threads run the compiled worker script (dist/search/shard-worker.js).
import { Engine } from '../dist/engine.js';
import { loadProfiles } from '../dist/funnel/profile.js';
import { runFunnel } from '../dist/funnel/runner.js';
import { QUERY_WORDS, randomDocs, rng, tempDir } from './helpers.js';

// Shards scored on search threads over shared segment memory must rank exactly as the calling
// thread alone: same ids, same scores, for plain, required, excluded and filtered queries, for the
// feedback funnel (whose first pass keeps scores in the threads), after deletes and after adds.
const dir = tempDir();
let serial: Engine;
let threaded: Engine;

beforeAll(async () => {
  const e = await Engine.open(dir, { shards: 3 });
  const docs = randomDocs(3000, 17);
  for (const d of docs.slice(0, 2000)) e.add(d);
  await e.commit({ flush: true });
  for (const d of docs.slice(2000)) e.add(d);
  for (let i = 0; i < 60; i++) e.delete(docs[i * 11].id);
  await e.commit({ flush: true });
  await e.close();
  serial = await Engine.open(dir, { readOnly: true });
  // One search thread for shards 1 and 2 (the live test below gives each its own).
  threaded = await Engine.open(dir, { readOnly: true, searchThreads: 2 });
});
afterAll(async () => {
  await threaded.close();
  await serial.close();
});

/** The question's terms, each an original term of weight 1 (stage 2's feature terms). */
function termsOf(q: string) {
  return serial.parse(q).clauses.flatMap((c) => c.terms.map((term) => ({ term, weight: 1, original: true })));
}

/** A threaded engine whose search thread cannot parse shard 1's first segment (handed bad bytes). */
async function openFailing(): Promise<Engine> {
  const failing = await Engine.open(dir, { readOnly: true, searchThreads: 2 });
  const shards = (failing as unknown as { shards: { segments: { segment: { shared: unknown } }[] }[] })
    .shards;
  shards[1].segments[0].segment.shared = {
    head: new Uint8Array(new SharedArrayBuffer(64)),
    textsStart: 64,
  };
  return failing;
}

function queries(count: number, seed: number): string[] {
  const r = rng(seed);
  const word = () => QUERY_WORDS[Math.floor(r() * QUERY_WORDS.length)];
  const forms = [
    () => `${word()} ${word()}`,
    () => `+${word()} ${word()} ${word()}`,
    () => `${word()} -${word()}`,
    () => `${word()} ${word()} year:>=2005`,
    () => `"${word()} ${word()}" ${word()}`,
  ];
  return Array.from({ length: count }, (_, i) => forms[i % forms.length]());
}

function same(a: Engine, b: Engine, q: string, k: number): void {
  const x = a.retrieve(q, k).refs;
  const y = b.retrieve(q, k).refs;
  expect(y.ids.toArray(), q).toEqual(x.ids.toArray());
  expect(Array.from(y.scores), q).toEqual(Array.from(x.scores));
}

describe('search threads', () => {
  it('rank exactly as one thread, at k 10 and 2,000', () => {
    for (const q of queries(40, 3)) {
      same(serial, threaded, q, 10);
      same(serial, threaded, q, 2000);
    }
    expect(threaded.searchThreads).toBe(2);
    expect(serial.searchThreads).toBe(1);
  });

  it('give the feedback funnel the same final ranking', async () => {
    const profile = loadProfiles().get('default')!;
    for (const q of queries(15, 4)) {
      const a = await runFunnel(serial, profile, q, { noRead: true });
      const b = await runFunnel(threaded, profile, q, { noRead: true });
      expect(b.hits.map((h) => [h.id, h.score])).toEqual(a.hits.map((h) => [h.id, h.score]));
    }
  });

  it('compute the same stage-2 features', () => {
    for (const q of queries(10, 7)) {
      const { refs } = serial.retrieve(q, 3000);
      const terms = termsOf(q);
      const a = serial.features(refs, terms);
      const b = threaded.features(refs, terms);
      expect(Array.from(b.values), q).toEqual(Array.from(a.values));
      expect(b.work).toEqual(a.work);
    }
  });

  it('fall back to this thread when a search thread fails', async () => {
    const failing = await openFailing();
    try {
      for (const q of queries(5, 8)) same(serial, failing, q, 100);
      expect(failing.searchThreads).toBe(1);
    } finally {
      await failing.close();
    }
  });

  it('compute stage-2 features here when a search thread fails on them', async () => {
    const failing = await openFailing();
    try {
      // Features first: the thread gets the job's candidate columns (moved to it) and fails.
      const q = queries(1, 9)[0];
      const { refs } = serial.retrieve(q, 3000);
      const terms = termsOf(q);
      const a = serial.features(refs, terms);
      const b = failing.features(refs, terms);
      expect(Array.from(b.values)).toEqual(Array.from(a.values));
      expect(failing.searchThreads).toBe(1);
    } finally {
      await failing.close();
    }
  });

  it('follow deletes and adds made after opening', async () => {
    const live = await Engine.open(tempDir(), { shards: 3 });
    const plain = await Engine.open(tempDir(), { shards: 3 });
    const docs = randomDocs(1500, 23);
    for (const e of [live, plain]) {
      for (const d of docs.slice(0, 1000)) e.add(d);
      await e.commit({ flush: true });
    }
    await live.close();
    const reopened = await Engine.open(live.dir, { searchThreads: 3 });
    try {
      for (const q of queries(10, 5)) same(plain, reopened, q, 500);
      for (const e of [reopened, plain]) {
        for (let i = 0; i < 50; i++) e.delete(docs[i * 7].id);
        for (const d of docs.slice(1000)) e.add(d);
        await e.refresh();
      }
      for (const q of queries(20, 6)) same(plain, reopened, q, 500);
      expect(reopened.searchThreads).toBe(3);
    } finally {
      await reopened.close();
      await plain.close();
    }
  });
});
