import { describe, expect, test } from 'vitest';
import type { Citation, Passage } from './types.js';
import { checkCitations, verifyCitation } from './verify.js';

const DOC = 'The Eiffel Tower is 330 metres tall. It was completed in 1889.';
const docs: Record<string, string> = { eiffel: DOC };
const lookup = (id: string): string | undefined => docs[id];

function cite(quote: string, start = DOC.indexOf(quote), docId = 'eiffel'): Citation {
  return { passage: 1, docId, start, end: start + quote.length, quote };
}

describe('verifyCitation', () => {
  test('accepts a verbatim span at its offsets', () => {
    expect(verifyCitation(cite('It was completed in 1889.'), lookup)).toEqual({ ok: true });
  });

  test('rejects a fabricated quote', () => {
    const fake = cite('It was completed in 1887.', DOC.indexOf('It was'));
    expect(verifyCitation(fake, lookup)).toEqual({
      ok: false,
      reason:
        'quote not found in document "eiffel" (62 characters); the text at [37, 62) is "It was completed in 1889."',
    });
  });

  test('rejects a shifted offset and says where the quote is', () => {
    const shifted = cite('330 metres', DOC.indexOf('330 metres') + 1);
    expect(verifyCitation(shifted, lookup)).toEqual({
      ok: false,
      reason: 'quote is at [20, 30), not at the stated [21, 31)',
    });
  });

  test('rejects an unknown document', () => {
    expect(verifyCitation(cite('330 metres', 20, 'louvre'), lookup)).toEqual({
      ok: false,
      reason: 'unknown document "louvre"',
    });
  });

  test('rejects an out-of-range span', () => {
    const far = cite('tall', 60);
    expect(verifyCitation(far, lookup)).toEqual({
      ok: false,
      reason: 'span [60, 64) is out of range: document "eiffel" (62 characters) covers [0, 62)',
    });
  });

  test('rejects malformed spans and empty quotes', () => {
    expect(verifyCitation({ passage: 1, docId: 'eiffel', start: -1, end: 3, quote: 'The' }, lookup)).toEqual({
      ok: false,
      reason: 'illegal span [-1, 3): must be integers with 0 <= start < end',
    });
    expect(verifyCitation({ passage: 1, docId: 'eiffel', start: 0, end: 5, quote: 'The' }, lookup)).toEqual({
      ok: false,
      reason: 'span [0, 5) has length 5 but the quote has length 3',
    });
    expect(verifyCitation({ passage: 1, docId: 'eiffel', start: 0, end: 0, quote: '' }, lookup)).toEqual({
      ok: false,
      reason: 'empty quote',
    });
  });

  test('against passages: the span must lie in the cited passage of the cited document', () => {
    const passages: Passage[] = [{ n: 4, docId: 'eiffel', title: 'Eiffel', text: DOC.slice(37), offset: 37 }];
    expect(verifyCitation({ ...cite('It was completed in 1889.'), passage: 4 }, passages)).toEqual({
      ok: true,
    });
    expect(verifyCitation({ ...cite('330 metres'), passage: 4 }, passages)).toEqual({
      ok: false,
      reason: 'span [20, 30) is out of range: passage [4] covers [37, 62)',
    });
    expect(verifyCitation(cite('It was completed in 1889.'), passages)).toEqual({
      ok: false,
      reason: 'unknown passage [1]',
    });
    expect(verifyCitation({ ...cite('It was'), passage: 4, docId: 'other' }, passages)).toEqual({
      ok: false,
      reason: 'passage [4] is from document "eiffel", not "other"',
    });
  });
});

describe('checkCitations', () => {
  test('keeps verified citations in order and drops the rest with reasons', () => {
    const good = [cite('The Eiffel Tower'), cite('1889')];
    const bad = cite('1890', 57);
    const result = checkCitations([good[0], bad, good[1]], lookup);
    expect(result.citations).toEqual(good);
    expect(result.dropped).toEqual([
      {
        citation: bad,
        reason: 'quote not found in document "eiffel" (62 characters); the text at [57, 61) is "1889"',
      },
    ]);
  });

  test('UTF-16 offsets: astral characters count as two', () => {
    const text = '😀 smile 北京';
    const c: Citation = { passage: 1, docId: 'e', start: 9, end: 11, quote: '北京' };
    expect(verifyCitation(c, () => text)).toEqual({ ok: true });
  });
});
