import fc from 'fast-check';
import { algorithms } from 'snowball-stemmers';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { type AnalyzedText, createAnalyzer, SUPPORTED_LANGUAGES } from './index.js';

const english = createAnalyzer();
const plain = createAnalyzer({ stem: false, stopwords: false });

/** `term@position` for compact assertions. */
const at = (r: AnalyzedText) => r.terms.map((t, i) => `${t}@${r.positions[i]}`);

/** Checks every structural invariant of an analysis of `text`. */
function checkInvariants(text: string, r: AnalyzedText): void {
  const n = r.terms.length;
  expect(r.positions.length).toBe(n);
  expect(r.starts.length).toBe(n);
  expect(r.ends.length).toBe(n);
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) {
    expect(r.terms[i].length).toBeGreaterThan(0);
    expect(r.terms[i].length).toBeLessThanOrEqual(64);
    expect(r.starts[i]).toBeGreaterThanOrEqual(0);
    expect(r.starts[i]).toBeLessThan(r.ends[i]);
    expect(r.ends[i]).toBeLessThanOrEqual(text.length);
    expect(text.slice(r.starts[i], r.ends[i]).normalize('NFKC').trim().length).toBeGreaterThan(0);
    if (i > 0) expect(r.positions[i]).toBeGreaterThanOrEqual(r.positions[i - 1]);
    expect(r.positions[i]).toBeLessThan(r.positionCount);
    distinct.add(r.positions[i]);
  }
  expect(r.length).toBe(distinct.size);
}

describe('createAnalyzer options', () => {
  it('defaults to english with the small stop list and stemming', () => {
    expect(english.language).toBe('english');
    expect(english.options).toEqual({ language: 'english', stopwords: true, stem: true });
  });

  it('resolves language none to no stemming and no stop words', () => {
    const none = createAnalyzer({ language: 'none' });
    expect(none.options).toEqual({ language: 'none', stopwords: false, stem: false });
    expect(none.terms('The running dogs')).toEqual(['the', 'running', 'dogs']);
  });

  it('round-trips resolved options through JSON', () => {
    const a = createAnalyzer({ language: 'french', stopwords: ['chat'], stem: false });
    const b = createAnalyzer(JSON.parse(JSON.stringify(a.options)));
    expect(b.options).toEqual(a.options);
    expect(b.analyze('Le chat et les chiens')).toEqual(a.analyze('Le chat et les chiens'));
  });

  it('rejects an unknown language, naming the supported ones', () => {
    expect(() => createAnalyzer({ language: 'klingon' })).toThrow(InvalidArgumentError);
    expect(() => createAnalyzer({ language: 'klingon' })).toThrow(
      /^analyzer: unknown language "klingon", expected one of english, arabic, .*french.*, none$/,
    );
  });

  it('rejects malformed options and modes', () => {
    expect(() => createAnalyzer({ stem: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    expect(() => createAnalyzer({ stopwords: [1] as unknown as string[] })).toThrow(InvalidArgumentError);
    expect(() => english.analyze('x', 'both' as 'index')).toThrow(InvalidArgumentError);
    expect(() => english.analyze(42 as unknown as string)).toThrow(InvalidArgumentError);
  });

  it('lists english first, every snowball algorithm, and none last', () => {
    expect(SUPPORTED_LANGUAGES[0]).toBe('english');
    expect(SUPPORTED_LANGUAGES.at(-1)).toBe('none');
    // The list is written out (snowball-stemmers loads only when a language needs it): it must be
    // the package's own.
    expect([...SUPPORTED_LANGUAGES.slice(0, -1)].sort()).toEqual([...algorithms()].sort());
    for (const language of SUPPORTED_LANGUAGES) {
      expect(createAnalyzer({ language }).terms('running 東京 ok').length).toBeGreaterThan(0);
    }
  });
});

describe('Latin normalization', () => {
  it('folds case and Latin diacritics', () => {
    expect(plain.terms('Café NAÏVE Ærøskøbing Łódź Straße Œuvre Đorđe façade')).toEqual([
      'cafe',
      'naive',
      'aeroskobing',
      'lodz',
      'strasse',
      'oeuvre',
      'dorde',
      'facade',
    ]);
  });

  it('applies NFKC: ligatures, fullwidth letters and digits, math letters', () => {
    expect(plain.terms('ﬁne ＡＢＣ １２３ 𝐀𝐁𝐂')).toEqual(['fine', 'abc', '123', 'abc']);
  });

  it('keeps marks of non-Latin scripts', () => {
    expect(plain.terms('नमस्ते')).toEqual(['नमस्ते']);
    expect(plain.terms('Йогурт')).toEqual(['йогурт']);
  });

  it('folds Greek final sigma and Turkish dotted capital I', () => {
    expect(plain.terms('ΟΔΟΣ οδος İstanbul')).toEqual(['οδοσ', 'οδοσ', 'istanbul']);
  });

  it('treats composed and decomposed accents alike', () => {
    expect(plain.terms('e\u0301te\u0301')).toEqual(plain.terms('été'));
  });
});

describe('Latin tokens', () => {
  it('stems with snowball english', () => {
    expect(english.terms('running Runs connected')).toEqual(['run', 'run', 'connect']);
  });

  it('drops stop words but keeps their positions', () => {
    const r = english.analyze('The cat and the hat');
    expect(at(r)).toEqual(['cat@1', 'hat@4']);
    expect(r.length).toBe(2);
    expect(r.positionCount).toBe(5);
  });

  it("uses Snowball's English list, not stopwords-iso's 1300 words", () => {
    // 'about' and 'which' are Snowball stop words; 'first' and 'computer' (stopwords-iso) are not.
    expect(english.terms('the first computer about which')).toEqual(['first', 'comput']);
  });

  it('lets an array replace the stop list and false disable it', () => {
    expect(createAnalyzer({ stopwords: ['cat'], stem: false }).terms('the cat')).toEqual(['the']);
    expect(createAnalyzer({ stopwords: false, stem: false }).terms('the cat')).toEqual(['the', 'cat']);
  });

  it('uses stopwords-iso lists for other languages, folded like terms', () => {
    const fr = createAnalyzer({ language: 'french' });
    expect(fr.terms("Le chat de l'été")).toEqual(['chat']);
    const de = createAnalyzer({ language: 'german', stem: false });
    expect(de.terms('Die Häuser über dem Fluss')).toEqual(['hauser', 'fluss']);
  });

  it('splits on apostrophes and drops a possessive s', () => {
    expect(plain.terms("don't John's JOHN’S l'homme")).toEqual(['don', 't', 'john', 'john', 'l', 'homme']);
  });

  it('keeps a word whole across a soft hyphen or zero-width joiner', () => {
    const r = plain.analyze('inter\u00adnational \u200dx');
    expect(r.terms).toEqual(['international', 'x']);
    expect(r.ends[0]).toBe(14);
  });

  it('joins inner underscores and splits numbers on punctuation', () => {
    expect(plain.terms('__init__ snake_case 3.11 e-mail')).toEqual([
      'init',
      'snake_case',
      '3',
      '11',
      'e',
      'mail',
    ]);
  });

  it('does not stem tokens with digits', () => {
    expect(english.terms('covid19s 1990s runnings')).toEqual(['covid19s', '1990s', 'run']);
  });

  it('drops words longer than 64 chars but consumes their position', () => {
    const r = plain.analyze(`a ${'x'.repeat(65)} b ${'y'.repeat(64)}`);
    expect(at(r)).toEqual(['a@0', 'b@2', `${'y'.repeat(64)}@3`]);
    expect(r.positionCount).toBe(4);
  });

  it('gives offsets into the original string, after multi-unit characters', () => {
    const text = '😀 Café ﬁne 𝐀b JOHN’S';
    const r = plain.analyze(text);
    expect(r.terms).toEqual(['cafe', 'fine', 'ab', 'john']);
    expect(r.terms.map((_, i) => text.slice(r.starts[i], r.ends[i]))).toEqual(['Café', 'ﬁne', '𝐀b', 'JOHN']);
    expect(r.starts[0]).toBe(3);
  });

  it('returns the same terms from the cached and uncached paths', () => {
    const a = createAnalyzer();
    const text = 'Running RUNNING running Cats cats CATS the THE';
    const first = a.analyze(text);
    expect(a.analyze(text)).toEqual(first);
    expect(first.terms).toEqual(['run', 'run', 'run', 'cat', 'cat', 'cat']);
  });

  it('returns nothing for empty or separator-only text', () => {
    expect(english.analyze('')).toEqual({
      terms: [],
      positions: [],
      starts: [],
      ends: [],
      length: 0,
      positionCount: 0,
    });
    expect(english.terms(' .,;— 😀 ')).toEqual([]);
  });
});

describe('CJK', () => {
  const doc = english.analyze('我爱北京天安门');
  const indexed = new Set(doc.terms);

  it('indexes unigrams at their own position and bigrams at their first char', () => {
    const r = english.analyze('北京');
    expect(at(r)).toEqual(['北@0', '北京@0', '京@1']);
    expect(r.length).toBe(2);
    expect(r.positionCount).toBe(2);
  });

  it('matches a two-character query through an indexed bigram', () => {
    expect(english.terms('北京')).toEqual(['北京']);
    expect(indexed.has('北京')).toBe(true);
  });

  it('matches a one-character query through an indexed unigram', () => {
    expect(english.terms('京')).toEqual(['京']);
    expect(indexed.has('京')).toBe(true);
  });

  it('queries a longer run by its bigrams at consecutive positions', () => {
    const q = english.analyze('北京天安门', 'query');
    const bigrams = q.terms.filter((t) => t.length === 2);
    expect(bigrams).toEqual(['北京', '京天', '天安', '安门']);
    expect(q.terms.every((t) => t.length >= 2)).toBe(true); // no unigrams in a longer query
    expect(q.positions.slice(0, 1)).toEqual([0]);
    for (const t of q.terms) expect(indexed.has(t)).toBe(true);
  });

  it('adds segmenter words of 3+ characters at their first position', () => {
    const r = english.analyze('中华人民共和国');
    const words = r.terms.filter((t) => t.length >= 3);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect('中华人民共和国').toContain(w);
  });

  it('continues positions across mixed Chinese and English', () => {
    const r = english.analyze('使用 Python 编程');
    expect(at(r)).toEqual(['使@0', '使用@0', '用@1', 'python@2', '编@3', '编程@3', '程@4']);
    expect(r.positionCount).toBe(5);
    expect(english.terms('用Python编')).toEqual(['用', 'python', '编']);
  });

  it('analyzes Japanese mixed kana and kanji', () => {
    const r = english.analyze('東京に行きました。ラーメンを食べた');
    expect(r.terms).toContain('東京');
    expect(r.terms).toContain('に');
    expect(r.terms).toContain('メン');
    expect(r.positionCount).toBe(16); // 。 is a separator, not a position
    const q = english.terms('ラーメン');
    expect(q).toEqual(expect.arrayContaining(['ラー', 'ーメ', 'メン']));
    for (const t of q) expect(r.terms).toContain(t);
  });

  it('normalizes halfwidth katakana with voicing marks to one character each', () => {
    expect(english.terms('ｶﾞｷﾞ', 'index')).toEqual(english.terms('ガギ', 'index'));
    expect(english.analyze('ｶﾞｷﾞ').positionCount).toBe(2);
  });

  it('analyzes Korean syllables by unigram and bigram', () => {
    const r = english.analyze('대한민국 만세');
    expect(r.terms).toEqual(expect.arrayContaining(['대', '대한', '한민', '민국', '만세']));
    expect(english.terms('한민')).toEqual(['한민']);
  });

  it('counts a supplementary-plane ideograph as one position with a two-unit offset', () => {
    const r = english.analyze('𠀀中');
    expect(at(r)).toEqual(['𠀀@0', '𠀀中@0', '中@1']);
    expect(r.ends[0]).toBe(2);
  });

  it('handles runs longer than a segmenter piece', () => {
    const text = '北京天安门广场'.repeat(100);
    const r = english.analyze(text);
    expect(r.positionCount).toBe(700);
    expect(r.length).toBe(700);
    checkInvariants(text, r);
  });

  it('segments Thai into words', () => {
    const r = english.analyze('ภาษาไทยง่ายนิดเดียว');
    expect(r.terms.length).toBeGreaterThan(1);
    for (const t of r.terms) expect('ภาษาไทยง่ายนิดเดียว').toContain(t);
  });
});

const cjkChar = fc.constantFrom(
  ...'的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年北京天安门東京ラーメンをにはのひらがなカタカナ대한민국만세한글𠀀々ー',
);

describe('properties', () => {
  const tricky = fc.constantFrom(
    ..." a Z é e\u0301 ß ẞ İ ﬁ Ａ １ ½ ² _ ' ’ - . 北 京 ー ｶ ﾞ 한 ภ า ่ न ् ς Σ 😀 𝐀 𠀀 \u0301 \u3099 \ud800 \udc00 \u200d \u00ad \u200b \t\n".split(
      ' ',
    ),
    ' ',
  );
  const texts = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: tricky, maxLength: 40 }),
    fc.string({ maxLength: 40 }),
  );

  it('keeps every structural invariant on any string, in both modes', () => {
    fc.assert(
      fc.property(texts, (text) => {
        checkInvariants(text, english.analyze(text, 'index'));
        checkInvariants(text, english.analyze(text, 'query'));
        checkInvariants(text, createAnalyzer({ language: 'french' }).analyze(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('never yields zero terms for a non-empty CJK string', () => {
    fc.assert(
      fc.property(fc.string({ unit: cjkChar, minLength: 1, maxLength: 30 }), (text) => {
        expect(english.analyze(text, 'index').terms.length).toBeGreaterThan(0);
        expect(english.analyze(text, 'query').terms.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('index-mode terms contain query-mode terms for CJK strings of length >= 2', () => {
    fc.assert(
      fc.property(fc.string({ unit: cjkChar, minLength: 2, maxLength: 30 }), (text) => {
        const indexed = new Set(english.terms(text, 'index'));
        for (const t of english.terms(text, 'query')) expect(indexed.has(t)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('finds every bigram of a CJK substring query among the document terms', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: cjkChar, minLength: 2, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        (doc, a, b) => {
          const chars = [...doc];
          const from = a % (chars.length - 1);
          const to = from + 2 + (b % (chars.length - from - 1));
          const query = chars.slice(from, to).join('');
          const indexed = new Set(english.terms(doc, 'index'));
          for (const t of english.terms(query, 'query')) {
            if ([...t].length === 2) expect(indexed.has(t)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
