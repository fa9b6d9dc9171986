/**
 * @module analysis/term-cache
 * Owns the memo from a raw ASCII word to its final term (lower-cased, stop-filtered, stemmed) and
 * that term's id (see term-ids). It is an open-addressing hash table probed with a hash the
 * tokenizer computes while scanning, and keys are compared against the original text in place: a
 * repeated word costs no slice, no toLowerCase, no Map lookup and no allocation. Holds at most
 * {@link TERM_CACHE_MAX} words; cleared when full.
 */

/** FNV-1a offset basis; the tokenizer folds lower-cased char codes into it with {@link hashStep}. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One FNV-1a step. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Most words kept before the table is cleared (the table has twice as many slots). */
export const TERM_CACHE_MAX = 1 << 20;

const INITIAL_BITS = 10;

/** Memo of raw ASCII word (compared case-insensitively) → final term ('' meaning "dropped") and id. */
export class AsciiTermCache {
  private keys: string[] = [];
  /** Final term per slot. */
  values: string[] = [];
  /** Term id per slot (-1 when dropped). */
  ids = new Int32Array(0);
  private hashes = new Int32Array(0);
  private mask = 0;
  private count = 0;

  constructor() {
    this.allocate(1 << INITIAL_BITS);
  }

  private allocate(slots: number): void {
    this.keys = new Array<string>(slots).fill('');
    this.values = new Array<string>(slots).fill('');
    this.hashes = new Int32Array(slots);
    this.ids = new Int32Array(slots);
    this.mask = slots - 1;
    this.count = 0;
  }

  /** The cached term of the ASCII word `text[start, end)` whose lower-case hash is `hash`. */
  get(text: string, start: number, end: number, hash: number): string | undefined {
    const slot = this.find(text, start, end, hash);
    return slot < 0 ? undefined : this.values[slot];
  }

  /** The slot of the ASCII word `text[start, end)` whose lower-case hash is `hash`, or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const keys = this.keys;
    const len = end - start;
    let slot = hash & this.mask;
    while (true) {
      const key = keys[slot];
      if (key.length === 0) return -1;
      if (this.hashes[slot] === hash && key.length === len) {
        let i = 0;
        while (i < len) {
          let c = text.charCodeAt(start + i);
          if (c >= 0x41 && c <= 0x5a) c += 0x20;
          if (c !== key.charCodeAt(i)) break;
          i++;
        }
        if (i === len) return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Caches `value` (and its term id, -1 when dropped) for `key`, a lower-case ASCII word that owns
   * its memory, of hash `hash`; returns its slot.
   */
  set(key: string, hash: number, value: string, id = -1): number {
    if (2 * (this.count + 1) > this.keys.length) {
      if (this.keys.length < 2 * TERM_CACHE_MAX) {
        const oldKeys = this.keys;
        const oldValues = this.values;
        const oldHashes = this.hashes;
        const oldIds = this.ids;
        this.allocate(oldKeys.length * 2);
        for (let s = 0; s < oldKeys.length; s++) {
          if (oldKeys[s].length > 0) this.insert(oldKeys[s], oldHashes[s], oldValues[s], oldIds[s]);
        }
      } else {
        this.allocate(this.keys.length);
      }
    }
    return this.insert(key, hash, value, id);
  }

  /** Forgets every word (their term ids are no longer valid). */
  clear(): void {
    this.allocate(1 << INITIAL_BITS);
  }

  private insert(key: string, hash: number, value: string, id: number): number {
    let slot = hash & this.mask;
    while (this.keys[slot].length > 0) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.hashes[slot] = hash;
    this.ids[slot] = id;
    this.count++;
    return slot;
  }

  /** Number of cached words. */
  get size(): number {
    return this.count;
  }
}
