import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeStrings, StringTable, sortedOrder } from './string-table.js';

function table(strings: string[]): StringTable {
  const { bytes, offsets } = encodeStrings(strings);
  return new StringTable(bytes, offsets, sortedOrder(strings));
}

describe('string table', () => {
  it('finds every string of an unsorted list, by bytes, also non-ASCII ones', () => {
    const words = ['the', 'café', 'cafe', '😀', '\uffff', 'a"b', '', 'zebra', 'apple'];
    const t = table(words);
    words.forEach((w, i) => {
      expect(t.find(w)).toBe(i);
      expect(t.get(i)).toBe(w);
    });
    expect(t.find('missing')).toBe(-1);
    expect(t.find('caf')).toBe(-1);
  });

  it('sorts by UTF-8 bytes, where UTF-16 order differs (astral vs U+FFFF)', () => {
    const words = ['\uffff', '😀', 'a'];
    const order = [...sortedOrder(words)].map((i) => words[i]);
    expect(order).toEqual(['a', '\uffff', '😀']);
  });

  it('finds any string of any list', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'grapheme' }), { maxLength: 60 }),
        fc.string(),
        (words, probe) => {
          const t = table(words);
          words.forEach((w, i) => {
            expect(t.find(w)).toBe(i);
          });
          expect(t.find(probe)).toBe(words.indexOf(probe));
        },
      ),
    );
  });
});
