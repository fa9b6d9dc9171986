/**
 * @module reader/passages
 * Checks the passages a reader is given, so a bad offset is reported at the door instead of as a
 * wall of dropped citations.
 */

import { InvalidArgumentError } from '../errors.js';
import type { Passage } from './types.js';

/** Throws InvalidArgumentError unless every passage is well formed and numbers are unique. */
export function validatePassages(passages: readonly Passage[]): void {
  if (!Array.isArray(passages)) {
    throw new InvalidArgumentError(`reader: illegal passages of type ${typeof passages}, expected an array`);
  }
  const seen = new Set<number>();
  passages.forEach((p, i) => {
    const at = `reader: passage #${i}`;
    if (typeof p !== 'object' || p === null) throw new InvalidArgumentError(`${at} is ${String(p)}`);
    if (!Number.isSafeInteger(p.n) || p.n < 1) {
      throw new InvalidArgumentError(`${at} has illegal n=${p.n}, must be an integer >= 1`);
    }
    if (seen.has(p.n)) throw new InvalidArgumentError(`${at} repeats n=${p.n}, numbers must be unique`);
    seen.add(p.n);
    if (typeof p.docId !== 'string') throw new InvalidArgumentError(`${at} has no string docId`);
    if (typeof p.text !== 'string') throw new InvalidArgumentError(`${at} has no string text`);
    if (typeof p.title !== 'string') throw new InvalidArgumentError(`${at} has no string title`);
    if (!Number.isSafeInteger(p.offset) || p.offset < 0) {
      throw new InvalidArgumentError(`${at} has illegal offset=${p.offset}, must be an integer >= 0`);
    }
  });
}
