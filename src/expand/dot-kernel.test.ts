import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { committedBytes, compileDotWat } from '../../scripts/build-wasm.mjs';
import { DotKernel } from './dot-kernel.js';
import { DOT_WASM_BASE64 } from './dot-wasm.js';

describe('DotKernel', () => {
  it('runs the WebAssembly SIMD module here', () => {
    expect(new DotKernel(new Int8Array(16), 16, 1).simd).toBe(true);
  });

  it("gives exactly the JS loop's integers, for any width (SIMD steps and the byte tail)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (dims, rows, seed) => {
          const v = new Int8Array(dims * rows);
          let x = seed | 1;
          for (let i = 0; i < v.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            v[i] = (x & 0xff) - 128; // the extremes included: -128 * -128 sums must not overflow i16
          }
          const wasm = new DotKernel(v, dims, rows);
          const js = new DotKernel(v, dims, rows, false);
          expect(js.simd).toBe(false);
          for (const q of [0, rows - 1, rows >> 1]) {
            const n = Math.max(0, rows - (q & 1));
            expect(Array.from(wasm.dots(q, n))).toEqual(Array.from(js.dots(q, n)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('checks its bounds', () => {
    const k = new DotKernel(new Int8Array(40), 10, 3);
    expect(() => k.dots(0, 4)).toThrow(RangeError);
    expect(() => k.dots(4, 1)).toThrow(RangeError);
    expect(k.dots(3, 0).length).toBe(0);
  });

  it('ships the bytes that dot.wat compiles to', async () => {
    const bytes: Buffer = await compileDotWat();
    expect(Buffer.from(DOT_WASM_BASE64, 'base64').equals(bytes)).toBe(true);
    expect(committedBytes().equals(bytes)).toBe(true);
  });
});
