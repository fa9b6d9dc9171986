import { describe, expect, test } from 'vitest';
import { ExtractiveReader } from './extractive-reader.js';
import type { Passage } from './types.js';
import { verifyCitation } from './verify.js';

const EIFFEL =
  'Paris has many monuments. The Eiffel Tower was designed by the company of Gustave Eiffel. ' +
  'The tower is 330 metres tall. It was completed in 1889 for the World Fair. Dr. Smith visited it twice.';
const LOUVRE = 'The Louvre is the most visited museum in the world. It is in Paris, and its tower is small.';
const docs: Record<string, string> = { eiffel: `Header text. ${EIFFEL}`, louvre: LOUVRE };
const lookup = (id: string) => docs[id];

/** Passages as windows of the documents above, at their real offsets. */
function window(n: number, docId: string, from: number, title = docId): Passage {
  const text = docs[docId].slice(from);
  return { n, docId, title, text, offset: from };
}

const passages = [window(1, 'eiffel', 13), window(2, 'louvre', 0)];

describe('ExtractiveReader', () => {
  test('answers with the best sentences, each cited at its document offsets', async () => {
    const reader = new ExtractiveReader({ sentences: 2, documentText: lookup });
    const result = await reader.read('How tall is the Eiffel Tower?', passages);
    expect(result.answer).toBe(
      'The tower is 330 metres tall. [1] The Eiffel Tower was designed by the company of Gustave Eiffel. [1]',
    );
    expect(result.citations[0]).toEqual({
      passage: 1,
      docId: 'eiffel',
      start: docs.eiffel.indexOf('The tower is'),
      end: docs.eiffel.indexOf('The tower is') + 'The tower is 330 metres tall.'.length,
      quote: 'The tower is 330 metres tall.',
    });
    expect(result.citations.length).toBe(2);
    for (const c of result.citations) expect(verifyCitation(c, lookup)).toEqual({ ok: true });
    expect(result.dropped).toEqual([]);
    expect(result.model).toBe('extractive');
    expect(result.rounds).toHaveLength(1);
    expect(result.rounds[0].passages).toBe(2);
  });

  test('prefers a sentence with a number for "how many"/"when" questions', async () => {
    const reader = new ExtractiveReader({ sentences: 1 });
    const result = await reader.read('When was the Eiffel Tower completed?', passages);
    expect(result.answer).toBe('It was completed in 1889 for the World Fair. [1]');
  });

  test('keeps abbreviations inside sentences', async () => {
    const reader = new ExtractiveReader({ sentences: 1 });
    const result = await reader.read('Who visited twice?', passages);
    expect(result.answer).toBe('Dr. Smith visited it twice. [1]');
  });

  test('works on Chinese text without spaces', async () => {
    const doc = '上海是中国最大的城市。北京是中国的首都，有两千多万人口。长城很长。';
    const zh: Passage[] = [{ n: 1, docId: 'zh', title: '中国', text: doc.slice(11), offset: 11 }];
    const reader = new ExtractiveReader({ sentences: 1, documentText: () => doc });
    const result = await reader.read('中国的首都是哪里？', zh);
    expect(result.answer).toBe('北京是中国的首都，有两千多万人口。[1]');
    expect(result.citations).toEqual([
      { passage: 1, docId: 'zh', start: 11, end: 28, quote: '北京是中国的首都，有两千多万人口。' },
    ]);
  });

  test('a passage whose offset is wrong yields dropped citations, not a wrong answer', async () => {
    const shifted = [{ ...passages[0], offset: 14 }];
    const reader = new ExtractiveReader({ sentences: 1, documentText: lookup });
    const result = await reader.read('How tall is the tower?', shifted);
    expect(result.answer).toBe('');
    expect(result.citations).toEqual([]);
    expect(result.dropped.length).toBeGreaterThan(0);
    expect(result.dropped[0].reason).toMatch(/^quote is at \[\d+, \d+\), not at the stated/);
  });

  test('reads only the passages that fit the token budget', async () => {
    const reader = new ExtractiveReader();
    const result = await reader.read('Which museum is the most visited?', [passages[0], passages[1]], {
      maxTokens: 50,
    });
    expect(result.rounds[0].passages).toBe(1);
    expect(result.citations.every((c) => c.passage === 1)).toBe(true);
  });

  test('no matching sentence gives an empty answer', async () => {
    const result = await new ExtractiveReader().read('What about zebras?', passages);
    expect(result).toMatchObject({ answer: '', citations: [], dropped: [] });
  });

  test('honours an aborted signal and rejects malformed passages', async () => {
    const reader = new ExtractiveReader();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(reader.read('q', passages, { signal: controller.signal })).rejects.toThrow('stop');
    await expect(reader.read('q', [passages[0], { ...passages[1], n: 1 }])).rejects.toThrow(
      'reader: passage #1 repeats n=1, numbers must be unique',
    );
    expect(() => new ExtractiveReader({ sentences: 0 })).toThrow('illegal sentences=0');
  });
});
