import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { parseHtml } from './html.js';
import { markdownHeadings } from './markdown.js';
import {
  countTokens,
  isCjk,
  type Passage,
  passageDocument,
  SENTENCE_WINDOW,
  sentenceSpans,
  toPassages,
} from './passages.js';

const WORD = /[\p{L}\p{N}]/u;

/** A cut between two letters or digits of one word (CJK characters excepted) is mid-word. */
function midWord(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const a = text[at - 1];
  const b = text[at];
  return WORD.test(a) && WORD.test(b) && !isCjk(a) && !isCjk(b);
}

function checkPassages(text: string, passages: Passage[], max: number): void {
  let last = 0;
  for (const p of passages) {
    expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(p.start).toBeGreaterThanOrEqual(last);
    expect(p.end).toBeGreaterThan(p.start);
    expect(p.text).toBe(p.text.trim());
    expect(midWord(text, p.start)).toBe(false);
    expect(midWord(text, p.end)).toBe(false);
    if (countTokens(p.text) > max) expect(countTokens(p.text.trim())).toBeGreaterThan(0);
    expect(p.tokens).toBeLessThanOrEqual(max);
    last = p.end;
  }
  // Nothing but white space is left out.
  let covered = '';
  let pos = 0;
  for (const p of passages) {
    covered += text.slice(pos, p.start).replace(/\S/gu, 'X');
    pos = p.end;
  }
  covered += text.slice(pos).replace(/\S/gu, 'X');
  expect(covered).not.toContain('X');
  expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
}

const wordArb = fc.oneof(
  fc.constantFrom('the', 'funnel', 'search', 'engine', 'passages', 'É', 'naïve', '42', 'e.g.', 'Dr.', 'x'),
  fc.constantFrom('中文', '搜索引擎', '日本語のテキスト', '한국어', 'ｶﾀｶﾅ', '😀', '你好。', '世界！'),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.replace(/\s/g, 'w')),
);
const sepArb = fc.constantFrom(' ', ' ', ' ', '. ', '? ', '\n', '\n\n', '\r\n\r\n', '  \t', '', '。');
const docArb = fc
  .array(fc.tuple(wordArb, sepArb), { maxLength: 400 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));
const headingDocArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('Intro', 'Setup', 'Use', '用法'), docArb), {
    maxLength: 6,
  })
  .map((sections) => sections.map(([lvl, t, body]) => `${'#'.repeat(lvl)} ${t}\n\n${body}\n\n`).join(''));

describe('toPassages', () => {
  it('slices exactly, in order, never mid-word, within the maximum, covering all text (property)', () => {
    fc.assert(
      fc.property(
        docArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (text, target, extra) => {
          const max = target + extra;
          const passages = toPassages(
            { id: 'd', title: 'T', text },
            { targetTokens: target, maxTokens: max },
          );
          checkPassages(text, passages, max);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('gives each passage the file lines of its first and last characters (property)', () => {
    const lineOf = (text: string, at: number) => 7 + (text.slice(0, at).match(/\n/g)?.length ?? 0);
    fc.assert(
      fc.property(docArb, fc.integer({ min: 1, max: 40 }), (text, target) => {
        for (const p of toPassages({ id: 'd', text, firstLine: 7 }, { targetTokens: target })) {
          expect(p.line).toBe(lineOf(text, p.start));
          expect(p.lineEnd).toBe(lineOf(text, p.end - 1));
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('never crosses a heading and reports the heading path (property)', () => {
    fc.assert(
      fc.property(headingDocArb, (text) => {
        const headings = markdownHeadings(text);
        const passages = toPassages({ id: 'md', text, headings }, { targetTokens: 20, maxTokens: 40 });
        checkPassages(text, passages, 40);
        for (const p of passages) {
          for (const h of headings) expect(h.offset <= p.start || h.offset >= p.end).toBe(true);
          const enclosing = headings.filter((h) => h.offset <= p.start);
          if (enclosing.length > 0) expect(p.headingPath.at(-1)).toBe(enclosing.at(-1)?.title);
          else expect(p.headingPath).toEqual([]);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('builds the heading path from levels', () => {
    const text =
      '# Guide\n\nIntro text.\n\n## Install\n\nRun it.\n\n### On Linux\n\napt.\n\n## Use\n\nSearch.';
    const passages = toPassages({ id: 'g', title: 'Guide', text, headings: markdownHeadings(text) });
    expect(passages.map((p) => [p.text, p.headingPath])).toEqual([
      ['# Guide\n\nIntro text.', ['Guide']],
      ['## Install\n\nRun it.', ['Guide', 'Install']],
      ['### On Linux\n\napt.', ['Guide', 'Install', 'On Linux']],
      ['## Use\n\nSearch.', ['Guide', 'Use']],
    ]);
    expect(passages.every((p) => p.title === 'Guide')).toBe(true);
  });

  it('packs paragraphs to about the target and cuts long paragraphs at sentences', () => {
    const sentence = (i: number) => `Sentence number ${i} has exactly seven words.`;
    const para = Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ');
    const text = [para, para, para].join('\n\n');
    const passages = toPassages({ id: 'p', text }, { targetTokens: 30, maxTokens: 60 });
    for (const p of passages) {
      expect(p.tokens).toBeLessThanOrEqual(60);
      expect(p.text).toMatch(/^Sentence number \d has/);
      expect(p.text).toMatch(/words\.$/);
    }
    expect(passages.length).toBeGreaterThanOrEqual(6);
  });

  it('counts CJK per character and cuts Chinese without spaces', () => {
    expect(countTokens('中文搜索 engine 2024')).toBe(6);
    const text = '搜索引擎把文档切成段落'.repeat(60); // 660 characters, no punctuation
    const passages = toPassages({ id: 'zh', text }, { targetTokens: 200, maxTokens: 400 });
    expect(passages.map((p) => p.tokens)).toEqual([200, 200, 200, 60]);
    expect(passages.map((p) => p.text).join('')).toBe(text);
  });

  it('keeps one over-long word whole', () => {
    const blob = 'A'.repeat(5000);
    const passages = toPassages({ id: 'b', text: `start ${blob} end` }, { targetTokens: 1, maxTokens: 1 });
    expect(passages.map((p) => p.text)).toEqual(['start', blob, 'end']);
  });

  it('gives ids that survive edits elsewhere in the document', () => {
    const paras = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} ${'word '.repeat(30).trim()}.`);
    const before = toPassages({ id: 'doc', text: paras.join('\n\n') }, { targetTokens: 30 });
    const edited = [
      paras[0],
      'A new paragraph inserted near the top, long enough to stand alone as a passage of its own here, twenty words.',
      ...paras.slice(1),
    ];
    const after = toPassages({ id: 'doc', text: edited.join('\n\n') }, { targetTokens: 30 });
    const beforeIds = new Map(before.map((p) => [p.text, p.id]));
    let kept = 0;
    for (const p of after) {
      if (beforeIds.has(p.text)) {
        expect(p.id).toBe(beforeIds.get(p.text));
        kept++;
      }
    }
    // The new paragraph (more than half the target) is a passage of its own; no other id moves.
    expect(kept).toBe(before.length);
    expect(after.length).toBe(before.length + 1);
    // Unchanged input, unchanged ids.
    expect(
      toPassages({ id: 'doc', text: paras.join('\n\n') }, { targetTokens: 30 }).map((p) => p.id),
    ).toEqual(before.map((p) => p.id));
    expect(before[0].id).toMatch(/^doc#[0-9a-f]{12}$/);
  });

  it('numbers repeated passages', () => {
    const passages = toPassages({ id: 'r', text: 'Same.\n\nSame.\n\nSame.' }, { targetTokens: 1 });
    const [a, b, c] = passages.map((p) => p.id);
    expect(b).toBe(`${a}~2`);
    expect(c).toBe(`${a}~3`);
  });

  it('cuts at page starts and gives each passage its page', () => {
    const text = 'Page one text.\n\nPage two text.\n\nStill page two.';
    const pages = [
      { page: 1, offset: 0 },
      { page: 2, offset: text.indexOf('Page two') },
    ];
    const passages = toPassages({ id: 'pdf', text, pages, meta: { type: 'pdf' } });
    expect(passages.map((p) => [p.text, p.page])).toEqual([
      ['Page one text.', 1],
      ['Page two text.\n\nStill page two.', 2],
    ]);
    expect(passageDocument(passages[1])).toEqual({
      id: passages[1].id,
      title: '',
      text: 'Page two text.\n\nStill page two.',
      meta: { type: 'pdf', doc: 'pdf', start: 16, end: 47, page: 2 },
    });
    // A file that is one document names itself once, in `path`; a message of an mbox keeps `doc`.
    const file = toPassages({ id: 'a/b.pdf', text, pages, meta: { type: 'pdf', path: 'a/b.pdf' } });
    expect(passageDocument(file[0]).meta).toEqual({
      type: 'pdf',
      path: 'a/b.pdf',
      start: 0,
      end: 14,
      page: 1,
    });
    const message = toPassages({ id: 'a/box.mbox#m2', text, meta: { type: 'mail', path: 'a/box.mbox' } });
    expect(passageDocument(message[0]).meta).toMatchObject({ path: 'a/box.mbox', doc: 'a/box.mbox#m2' });
  });

  it('gives a blank document no passages and rejects bad options', () => {
    expect(toPassages({ id: 'e', text: ' \n\n\t ' })).toEqual([]);
    expect(() => toPassages({ id: 'x', text: 'a' }, { targetTokens: 0 })).toThrow(InvalidArgumentError);
    expect(() => toPassages({ id: 'x', text: 'a' }, { targetTokens: 10, maxTokens: 5 })).toThrow(
      'toPassages: illegal maxTokens=5, must be an integer >= targetTokens (10)',
    );
  });
});

describe('toPassages on parsed documents', () => {
  it('carries HTML heading paths', async () => {
    const html = '<h1>Guide</h1><p>Intro.</p><h2>Install</h2><p>Run it.</p><h3>Linux</h3><p>apt.</p>';
    const doc = await parseHtml(new TextEncoder().encode(html), 'g.html');
    const passages = toPassages({ id: 'g.html', ...doc });
    expect(passages.map((p) => [p.text, p.headingPath.join(' > ')])).toEqual([
      ['Guide\n\nIntro.', 'Guide'],
      ['Install\n\nRun it.', 'Guide > Install'],
      ['Linux\n\napt.', 'Guide > Install > Linux'],
    ]);
    expect(passages[0].meta).toEqual({ type: 'html' });
  });

  const essays = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../shared/data/paul-graham-essays/essays',
  );
  it.skipIf(!fs.existsSync(essays))('cuts real essays into passages near the target', () => {
    let count = 0;
    for (const name of fs.readdirSync(essays).sort().slice(0, 10)) {
      const text = fs.readFileSync(path.join(essays, name), 'utf8');
      const passages = toPassages({ id: name, text });
      checkPassages(text, passages, 400);
      for (const p of passages.slice(0, -1)) expect(p.tokens).toBeGreaterThanOrEqual(50);
      count += passages.length;
    }
    expect(count).toBeGreaterThan(10);
  });
});

describe('countTokens', () => {
  it('counts words as the index sees them: code is split at its punctuation', () => {
    expect(countTokens('let p = Path::new("/foo/bar");')).toBe(6);
    expect(countTokens('snake_case x2 — “quoted”, 中文。人々')).toBe(7);
  });

  it('counts what the token regex counts, for any mix of scripts, spaces, punctuation and astral characters', () => {
    const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
    const separators =
      '\\s\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\xbf\\u2000-\\u206f\\u3000-\\u303f\\uff01-\\uff0f';
    const token = new RegExp(`[${CJK}]|[^${separators}${CJK}]+`, 'gu');
    const pieces = [
      'a',
      'word',
      ' ',
      '\n',
      '\u3000',
      '\u00a0',
      '中',
      '文',
      'か',
      'カ',
      '한',
      '𠀀',
      '😀',
      'é',
      '⺀',
      '\u2029',
      '.',
      '_',
      '::',
      '"',
      '(',
      '\u2014',
      '\u3002',
      '\u3005',
      '7',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(countTokens(text)).toBe(text.match(token)?.length ?? 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('sentenceSpans', () => {
  const whole = (text: string) =>
    [...new Intl.Segmenter('und', { granularity: 'sentence' }).segment(text)].map(
      (s) => [s.index, s.index + s.segment.length] as [number, number],
    );

  it('finds the sentences of a long text as one segmenter call over all of it would', () => {
    const words = ['alpha', 'beta', 'naïve', 'code()', 'x.y', 'Dr.', '中文', '😀', 'end!', 'why?', 'so'];
    fc.assert(
      fc.property(
        fc.array(fc.nat(words.length - 1), { minLength: 2500, maxLength: 4000 }),
        fc.nat(7),
        (picks, gap) => {
          const text = picks.map((p, i) => (i % (9 + gap) === 0 ? `${words[p]}.` : words[p])).join(' ');
          expect(text.length).toBeGreaterThan(SENTENCE_WINDOW);
          expect([...sentenceSpans(text, 0, text.length)]).toEqual(whole(text));
        },
      ),
      // No shrinking: every try segments the whole text at once, which is what is slow.
      { numRuns: Number(process.env.SENTENCE_RUNS ?? 20), endOnFailure: true },
    );
  });

  it('cuts a sentence longer than a window at a whitespace, and covers every character', () => {
    const text = `${'word '.repeat(5000)}end. Next one.`;
    const spans = [...sentenceSpans(text, 0, text.length)];
    expect(spans[0][0]).toBe(0);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBe(spans[i - 1][1]);
    expect(spans.at(-1)?.[1]).toBe(text.length);
    for (const [, e] of spans.slice(0, -2)) expect(text[e - 1]).toBe(' ');
  });
});
