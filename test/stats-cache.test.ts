import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/engine.js';
import { randomIndex } from './helpers.js';

// Collection statistics (document count, lengths, document frequencies) are kept while the
// index's segments stay the same (search/plan's collectionStats). They must be renewed as soon as
// the segments change: an added document, a deletion merged away.
let e: Engine;
beforeAll(async () => {
  e = await randomIndex({ count: 400, seed: 5, committed: 400 });
});
afterAll(async () => {
  await e.close({ commit: false });
});

describe('collection statistics kept between queries', () => {
  it('follow the index as documents are added and merged away', async () => {
    e.retrieve('zyzzyva', 5);
    const before = e.idfLookup();
    expect(before.docCount).toBe(400);
    expect(before.idf('zyzzyva')).toBe(before.max);
    e.add({ id: 'new-1', title: '', text: 'zyzzyva and more zyzzyva' });
    const hit = e.retrieve('zyzzyva', 5);
    expect(hit.refs.ids.toArray()).toEqual(['new-1']);
    const after = e.idfLookup();
    expect(after.docCount).toBe(before.docCount + 1);
    expect(after.idf('zyzzyva')).toBeLessThan(after.max);
    e.add({ id: 'new-2', title: '', text: 'another zyzzyva' });
    e.retrieve('zyzzyva', 5);
    expect(e.idfLookup().idf('zyzzyva')).toBeLessThan(after.idf('zyzzyva'));
    e.delete('new-1');
    e.delete('new-2');
    await e.commit();
    await e.merge();
    const merged = e.idfLookup();
    expect(merged.docCount).toBe(before.docCount);
    expect(merged.idf('zyzzyva')).toBe(merged.max);
    expect(e.retrieve('zyzzyva', 5).refs.ids.toArray()).toEqual([]);
  });
});
