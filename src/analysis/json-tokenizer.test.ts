import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.js';

/** JSON string content for `s`; with `escapeAll`, some characters are also written as \uXXXX. */
function jsonContent(s: string, escapeEvery = 0): Uint8Array {
  let body = JSON.stringify(s).slice(1, -1);
  if (escapeEvery > 0) {
    let out = '';
    let k = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === '\\') {
        // keep existing escapes whole
        const len = body[i + 1] === 'u' ? 6 : 2;
        out += body.slice(i, i + len);
        i += len - 1;
        continue;
      }
      // a surrogate pair is escaped whole or not at all
      const pair = c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdbff ? body.slice(i, i + 2) : c;
      i += pair.length - 1;
      const code = (j: number) => `\\u${pair.charCodeAt(j).toString(16).padStart(4, '0')}`;
      out += ++k % escapeEvery === 0 ? (pair.length === 2 ? code(0) + code(1) : code(0)) : pair;
    }
    body = out;
  }
  return new TextEncoder().encode(body);
}

const PIECES = [
  'the',
  'Running',
  'DOGS',
  "John's",
  "don't",
  "it'sy",
  'snake_case',
  '_lead',
  'trail_',
  'x2',
  '3.11',
  'e-mail',
  'naïve',
  'Café',
  'über',
  '中文字符',
  '日本語のテキスト',
  '한국어',
  'ภาษาไทย',
  '😀',
  'a\u00adb',
  'it’s',
  "'s",
  '"quoted"',
  'back\\slash',
  'a/b',
  'tab\there',
  'line\nbreak',
  'cr\r',
  ' ',
  '  ',
  '\n',
  'x'.repeat(70),
  `${'y'.repeat(65)}é`,
  'ﾊﾞ',
  'Ａｂｃ',
  '\u0000',
  "'",
  '_',
  '__init__',
  "O'Reilly",
];

function tokens(
  analyzer: ReturnType<typeof createAnalyzer>,
  run: (emit: (id: number, p: number) => void) => number,
) {
  const out: number[] = [];
  const length = run((id, p) => out.push(analyzer.termIds.terms[id].length, p, id));
  return { terms: out.length === 0 ? [] : collect(analyzer, out), length };
}

function collect(analyzer: ReturnType<typeof createAnalyzer>, flat: number[]): string[] {
  const r: string[] = [];
  for (let i = 0; i < flat.length; i += 3) r.push(`${analyzer.termIds.terms[flat[i + 2]]}@${flat[i + 1]}`);
  return r;
}

describe('tokenizeJson', () => {
  const analyzer = createAnalyzer({});
  analyzer.termIds.acquire();
  const viaString = (s: string) => tokens(analyzer, (emit) => analyzer.forEachTermId(s, emit));
  const viaBytes = (b: Uint8Array) =>
    tokens(analyzer, (emit) => analyzer.forEachJsonTermId(b, 0, b.length, emit));

  it('emits what the string tokenizer emits for the decoded text (fixed cases)', () => {
    for (const s of [
      ...PIECES,
      PIECES.join(' '),
      PIECES.join(''),
      "The dog's bone, isn't it? it's John's.",
    ]) {
      expect(viaBytes(jsonContent(s))).toEqual(viaString(s));
      expect(viaBytes(jsonContent(s, 3))).toEqual(viaString(s));
    }
  });

  it('emits what the string tokenizer emits for the decoded text (property)', () => {
    const text = fc.array(
      fc.oneof(
        fc.constantFrom(...PIECES),
        fc.string({ maxLength: 6 }),
        fc.string({ unit: 'binary', maxLength: 4 }),
      ),
      {
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(text, fc.constantFrom(' ', '', '-', '\n', "'"), fc.nat(5), (parts, sep, every) => {
        const s = parts.join(sep);
        expect(viaBytes(jsonContent(s, every))).toEqual(viaString(s));
      }),
      { numRuns: 600 },
    );
  });
});
