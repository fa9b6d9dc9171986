import { describe, expect, test } from 'vitest';
import { splitSentences } from './sentences.js';

const texts = (t: string, maxChars?: number) => splitSentences(t, { maxChars }).map((s) => s.text);

describe('splitSentences', () => {
  test('abbreviations, titles and initials do not end a sentence', () => {
    expect(texts('Dr. Smith met Mr. J. R. R. Tolkien in Oxford. They talked. See Fig. 2 for more.')).toEqual([
      'Dr. Smith met Mr. J. R. R. Tolkien in Oxford.',
      'They talked.',
      'See Fig. 2 for more.',
    ]);
  });

  test('decimals, versions and lowercase after a period stay inside', () => {
    expect(
      texts('It costs $3.50, i.e. less than 2.5% of v1.2.3. The U.S. economy grew! Really? Yes.'),
    ).toEqual([
      'It costs $3.50, i.e. less than 2.5% of v1.2.3.',
      'The U.S. economy grew!',
      'Really?',
      'Yes.',
    ]);
  });

  test('a number-only abbreviation ends the sentence before a capital', () => {
    expect(texts('He said no. Then he left. Vol. 3 came out.')).toEqual([
      'He said no.',
      'Then he left.',
      'Vol. 3 came out.',
    ]);
  });

  test('CJK punctuation without spaces', () => {
    expect(texts('北京是中国的首都。上海是最大的城市！你知道吗？是的。')).toEqual([
      '北京是中国的首都。',
      '上海是最大的城市！',
      '你知道吗？',
      '是的。',
    ]);
  });

  test('hard-wrapped lines are joined; headings and blank lines are kept apart', () => {
    expect(
      texts('Introduction\nThe tower was built\nfor the 1889 fair. It is tall.\n\nhistory follows'),
    ).toEqual(['Introduction', 'The tower was built\nfor the 1889 fair.', 'It is tall.', 'history follows']);
  });

  test('offsets point at the sentence in the input', () => {
    const text = '  First one.   Second one.\n\n北京。 ';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(splitSentences(text).map((s) => [s.start, s.end])).toEqual([
      [2, 12],
      [15, 26],
      [28, 31],
    ]);
  });

  test('overlong runs are cut at a space, CJK runs at the limit, never inside a surrogate pair', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const parts = splitSentences(words, { maxChars: 40 });
    expect(parts.every((s) => s.text.length <= 40 && !s.text.startsWith(' '))).toBe(true);
    expect(parts.map((s) => s.text).join(' ')).toBe(words);
    const han = '𠀀'.repeat(30);
    const cut = splitSentences(han, { maxChars: 25 });
    expect(cut.map((s) => s.text).join('')).toBe(han);
    expect(cut.every((s) => s.text.length <= 25 && s.text.length % 2 === 0)).toBe(true);
  });

  test('empty and blank text give no sentences', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });
});
