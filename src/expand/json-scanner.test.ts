import { describe, expect, it } from 'vitest';
import { JsonScanner } from './json-scanner.js';

const scan = (json: string) => new JsonScanner(Buffer.from(json, 'utf8'));

/** A scanner reading `json` from a source that returns a few bytes, then many, per call. */
function streamed(json: string): JsonScanner {
  const bytes = Buffer.from(json, 'utf8');
  let at = 0;
  let call = 0;
  const source = (into: Uint8Array) => {
    const n = Math.min(into.length, bytes.length - at, call++ % 2 ? 7 : 50_000);
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  };
  return new JsonScanner({ source, windowBytes: 0 });
}

describe('JSON scanner', () => {
  it('reads numbers as JSON.parse does, to within an ulp', () => {
    const numbers = [
      '0',
      '-0.5',
      '3.24940891',
      '1e-7',
      '-2.5E+3',
      '12e2',
      '0.1',
      '123456789012345678',
      '-0.0001',
    ];
    const s = scan(`[${numbers.join(' , ')}]`);
    s.expect('[');
    for (const text of numbers) {
      const expected = JSON.parse(text) as number;
      expect(Math.abs(s.number() - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -52);
      s.accept(',');
    }
    s.expect(']');
  });

  it('reads strings with escapes and UTF-8', () => {
    const strings = ['plain', 'a"b', 'back\\slash', 'tab\t', 'café', '😀', '\u0001'];
    const s = scan(JSON.stringify(strings));
    s.expect('[');
    for (const text of strings) {
      expect(s.string()).toBe(text);
      s.accept(',');
    }
  });

  it('skips values of any kind', () => {
    const s = scan('{"a": [1, {"b": [true, false, null, "x]"]}, []], "c": {}, "d": -1.5e3, "e": 7}');
    s.expect('{');
    const seen: string[] = [];
    do {
      const key = s.string();
      s.expect(':');
      seen.push(key);
      if (key === 'e') expect(s.number()).toBe(7);
      else s.skip();
    } while (s.accept(','));
    s.expect('}');
    expect(seen).toEqual(['a', 'c', 'd', 'e']);
  });

  it('reads input far larger than its window, whatever the read sizes', () => {
    const value = Array.from({ length: 5_000 }, (_, i) => ({ [`k${i} é`]: [i / 7, -i * 1e-9, `s"${i}`] }));
    const s = streamed(`  ${JSON.stringify(value, null, 1)}  `);
    s.expect('[');
    let i = 0;
    do {
      s.expect('{');
      expect(s.string()).toBe(`k${i} é`);
      s.expect(':');
      s.expect('[');
      expect(s.number()).toBeCloseTo(i / 7, 12);
      s.expect(',');
      expect(s.number()).toBeCloseTo(-i * 1e-9, 20);
      s.expect(',');
      expect(s.string()).toBe(`s"${i}`);
      s.expect(']');
      s.expect('}');
      i++;
    } while (s.accept(','));
    s.expect(']');
    expect(s.peek()).toBe(-1);
    expect(i).toBe(5_000);
  });

  it('throws on malformed input, naming the offset', () => {
    expect(() => scan('[1').expect('{')).toThrow(/byte 0/);
    expect(() => scan('"open').string()).toThrow(SyntaxError);
    expect(() => scan('x').number()).toThrow(SyntaxError);
  });
});
