import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectDescending } from './select.js';

/** The nth largest by a full sort; -0 and 0 are the same number, so either may come back. */
function expectNth(values: readonly number[], nth: number): void {
  const want = [...values].sort((x, y) => y - x)[nth];
  expect(selectDescending(Float64Array.from(values), values.length, nth) === want).toBe(true);
}

describe('selectDescending', () => {
  const value = fc.oneof(
    fc.integer({ min: -40, max: 40 }).map((x) => x / 8),
    fc.double({ noNaN: true }),
    fc.constantFrom(0, -0, 1e-300, -1e-300, Number.MAX_VALUE, Number.POSITIVE_INFINITY),
  );

  it('finds the nth largest as a sort does, with ties, negatives, zeros and infinities', () => {
    for (const [minLength, maxLength] of [
      [1, 600],
      [512, 4000],
    ])
      fc.assert(
        fc.property(fc.array(value, { minLength, maxLength }), fc.nat(), (values, at) =>
          expectNth(values, at % values.length),
        ),
        { numRuns: 150 },
      );
  });

  it('picks the boundary of 60,000 quantized scores as a sort does', () => {
    const values = Array.from(
      { length: 60_000 },
      (_, i) => ((i * 7919) % 300) / 7 + (i % 5 === 0 ? i / 1e6 : 0),
    );
    for (const nth of [0, 1, 29_999, 30_000, 59_999]) expectNth(values, nth);
  });
});
