import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { feedbackClauses } from '../src/funnel/stages/retrieve.js';
import { QUERY_WORDS, randomDocs, tempDir } from './helpers.js';

// Feedback terms found in more than `maxDf` of the documents are left out (near stop words of the
// collection, and most of a feedback pass's postings).
let e: Engine;
beforeAll(async () => {
  e = await Engine.open(tempDir(), { shards: 1 });
  for (const d of randomDocs(2000, 5)) e.add(d);
  await e.commit({ flush: true });
});
afterAll(async () => {
  await e.close({ commit: false });
});

/** Share of documents that hold `term` (title or text). */
function share(term: string): number {
  const q = {
    clauses: [{ terms: [term], offsets: [0], field: null, occur: 'should' as const, weight: 1 }],
    filters: [],
  };
  return e.retrieve(q, 1).work.matched / 2000;
}

describe('feedback maxDf', () => {
  it('leaves out terms above the share, and only those', () => {
    const query = e.parse(`${QUERY_WORDS[5]} ${QUERY_WORDS[9]}`);
    const all = feedbackClauses(e, query, {}).terms.map((t) => t.term);
    const capped = feedbackClauses(e, query, { maxDf: 0.2 }).terms.map((t) => t.term);
    expect(all.some((t) => share(t) > 0.2)).toBe(true);
    for (const t of capped) expect(share(t)).toBeLessThanOrEqual(0.2);
    for (const t of all) if (share(t) <= 0.2) expect(capped).toContain(t);
  });
});
