import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idKey, idKeysOfUtf8 } from './id-key.js';

describe('idKeysOfUtf8', () => {
  it('gives the keys idKey gives the decoded strings: ASCII, accents, CJK, emoji, empty', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant(''))),
        (ids) => {
          const parts = ids.map((id) => Buffer.from(id, 'utf8'));
          const offsets = new Float64Array(ids.length + 1);
          parts.forEach((p, i) => {
            offsets[i + 1] = offsets[i] + p.length;
          });
          const keys = new Float64Array(ids.length);
          idKeysOfUtf8(Buffer.concat(parts), offsets, keys);
          expect(Array.from(keys)).toEqual(ids.map((id) => idKey(id)));
        },
      ),
      { numRuns: 300 },
    );
    const fixed = ['doc-1', 'café/été.txt#a1', '日本語.md#ff', 'emoji 😀 x', ''];
    const parts = fixed.map((id) => Buffer.from(id, 'utf8'));
    const offsets = Float64Array.from([
      0,
      ...parts.map((_, i) => parts.slice(0, i + 1).reduce((n, p) => n + p.length, 0)),
    ]);
    const keys = new Float64Array(fixed.length);
    idKeysOfUtf8(Buffer.concat(parts), offsets, keys);
    expect(Array.from(keys)).toEqual(fixed.map(idKey));
  });
});
