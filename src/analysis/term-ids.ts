/**
 * @module analysis/term-ids
 * Interns final terms as dense integers, one table per analyzer, so the indexer's hot path writes
 * an integer per token instead of looking a string up in a per-buffer map: the raw-word memo
 * ({@link AsciiTermCache}) keeps each word's id beside its term. Writers that hold ids `acquire` the
 * table while they buffer tokens and `release` it when they freeze; once nobody holds it and it has
 * grown past {@link TERM_IDS_MAX}, the next `acquire` starts a new table (and clears the memo).
 */

import { HASH_SEED, hashStep } from './term-cache.js';

/** Interned terms kept before the table is renewed (when no writer holds ids). */
export const TERM_IDS_MAX = 1 << 21;

const INITIAL_SLOTS = 1 << 12;

/** A term's first slot: its hash's high bits folded into the low ones, under `mask`. */
function home(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

export class TermIds {
  /**
   * Open addressing, ids + 1 by slot (0 = empty), at most half full: a new term costs a hash of its
   * chars and a probe, where a Map's insertion of a new string costs ~1 µs (its growth rehashes).
   */
  private table = new Int32Array(INITIAL_SLOTS);
  /** The hash of each term, by id (to grow the table without hashing again). */
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private list: string[] = [];
  private holders = 0;

  constructor(
    private readonly onReset: () => void = () => {},
    private readonly max = TERM_IDS_MAX,
  ) {}

  /** The id of `term`, interning it if new. */
  id(term: string): number {
    let h = HASH_SEED;
    for (let i = 0; i < term.length; i++) h = hashStep(h, term.charCodeAt(i));
    const table = this.table;
    const mask = table.length - 1;
    let slot = home(h, mask);
    while (true) {
      const e = table[slot];
      if (e === 0) break;
      if (this.hashes[e - 1] === h && this.list[e - 1] === term) return e - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.list.length;
    this.list.push(term);
    if (id === this.hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    table[slot] = id + 1;
    if (2 * (id + 1) > table.length) this.grow();
    return id;
  }

  /** Doubles the table, placing every id again by its hash. */
  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.list.length; id++) {
      const h = this.hashes[id];
      let slot = home(h, mask);
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  /** The terms by id (valid while held). */
  get terms(): readonly string[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** A writer starts holding ids; may renew the table first if nobody holds it. */
  acquire(): void {
    if (this.holders === 0 && this.list.length > this.max) {
      this.table = new Int32Array(INITIAL_SLOTS);
      this.hashes = new Int32Array(INITIAL_SLOTS / 2);
      this.list = [];
      this.onReset();
    }
    this.holders++;
  }

  /** A writer no longer holds ids. */
  release(): void {
    if (this.holders > 0) this.holders--;
  }
}
