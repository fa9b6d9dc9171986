import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textSpan, unescapeJson } from './json-span.js';

const enc = (s: string) => Buffer.from(s, 'utf8');

function decodeText(line: string): { text: string; bytes: Buffer } | null {
  const buf = enc(line);
  const span = textSpan(buf, 0, buf.length);
  if (!span) return null;
  const out = Buffer.alloc(span.to - span.from);
  const n = unescapeJson(buf, span, out, 0);
  expect(span.units).toBe(out.subarray(0, n).toString('utf8').length);
  return { text: out.subarray(0, n).toString('utf8'), bytes: out.subarray(0, n) };
}

describe('textSpan and unescapeJson', () => {
  it('find and decode the top-level text of any object JSON.stringify writes', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 4 }),
        fc.boolean(),
        (text, others, textFirst) => {
          const { text: _drop, ...rest } = others;
          const obj = textFirst ? { text, ...rest } : { ...rest, text };
          const got = decodeText(JSON.stringify(obj));
          // A key written with an escape is left to JSON.parse (it might spell "text").
          const escapedKey = Object.keys(obj).some((k) => JSON.stringify(k).includes('\\'));
          if (escapedKey) return;
          expect(got).not.toBeNull();
          // JSON.parse then Buffer.from is the reference (lone surrogates become U+FFFD there too)
          expect(got?.bytes.equals(Buffer.from(JSON.parse(JSON.stringify(obj)).text, 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles spaces, nesting and escapes around the text', () => {
    expect(
      decodeText(
        ' { "_id" : "a" , "meta" : {"text": "inner"}, "text" : "A\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00" } ',
      )?.text,
    ).toBe('A"b\\c/d\né😀');
    expect(decodeText('{"text":""}')?.text).toBe('');
    expect(decodeText('{"text":"lone \\ud800 surrogate"}')?.text).toBe('lone \ufffd surrogate');
  });

  it('leaves unusual or malformed lines to JSON.parse', () => {
    for (const line of [
      '{"_id":"a"}', // no text
      '{"text":3}', // not a string
      '{"text":"a","text":"b"}', // the key twice
      '{"te\\u0078t":"a"}', // a key with an escape
      '{"text":"raw\ttab"}', // a raw control character
      '{"text":"bad \\x escape"}',
      '{"text":"short \\u12"}',
      '{"text":"unterminated}',
      '["text","a"]',
      '{"text" "a"}',
      '{"text":"a" "b":1}',
    ]) {
      expect(decodeText(line), line).toBeNull();
    }
    const invalidUtf8 = Buffer.concat([enc('{"text":"a'), Buffer.from([0xff, 0xfe]), enc('"}')]);
    expect(textSpan(invalidUtf8, 0, invalidUtf8.length)).toBeNull();
  });
});
