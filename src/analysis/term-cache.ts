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

/**
 * Memo of raw ASCII word (compared case-insensitively) → final term ('' meaning "dropped") and id.
 * A slot is four int32s in one array (hash, id, key offset, key length; length 0 = empty), and the
 * lower-cased keys are bytes in one pool: a probe touches one slot and one key, two cache lines,
 * instead of a hash array, an id array, a key array and the key string.
 */
export class AsciiTermCache {
  /** Stride-4 slots: hash, term id (-1 when dropped), key offset in `pool`, key length. */
  private slots = new Int32Array(0);
  private pool = new Uint8Array(0);
  private poolLength = 0;
  /** Final term per slot. */
  values: string[] = [];
  private mask = 0;
  private count = 0;

  constructor() {
    this.allocate(1 << INITIAL_BITS);
  }

  private allocate(slots: number): void {
    this.slots = new Int32Array(slots * 4);
    this.values = new Array<string>(slots).fill('');
    if (this.pool.length === 0) this.pool = new Uint8Array(slots * 8);
    this.poolLength = 0;
    this.mask = slots - 1;
    this.count = 0;
  }

  /** The term id cached in `slot` (-1 when the word is dropped). */
  id(slot: number): number {
    return this.slots[slot * 4 + 1];
  }

  /** The cached term of the ASCII word `text[start, end)` whose lower-case hash is `hash`. */
  get(text: string, start: number, end: number, hash: number): string | undefined {
    const slot = this.find(text, start, end, hash);
    return slot < 0 ? undefined : this.values[slot];
  }

  /** The slot of the ASCII word `text[start, end)` whose lower-case hash is `hash`, or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const pool = this.pool;
    const len = end - start;
    let slot = hash & this.mask;
    while (true) {
      const at = slot * 4;
      const keyLength = slots[at + 3];
      if (keyLength === 0) return -1;
      if (slots[at] === hash && keyLength === len) {
        const key = slots[at + 2];
        let i = 0;
        while (i < len) {
          let c = text.charCodeAt(start + i);
          if (c >= 0x41 && c <= 0x5a) c += 0x20;
          if (c !== pool[key + i]) break;
          i++;
        }
        if (i === len) return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** {@link find} for an ASCII word given as bytes `bytes[start, end)`. */
  findBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const pool = this.pool;
    const len = end - start;
    let slot = hash & this.mask;
    while (true) {
      const at = slot * 4;
      const keyLength = slots[at + 3];
      if (keyLength === 0) return -1;
      if (slots[at] === hash && keyLength === len) {
        const key = slots[at + 2];
        let i = 0;
        while (i < len) {
          let c = bytes[start + i];
          if (c >= 0x41 && c <= 0x5a) c += 0x20;
          if (c !== pool[key + i]) break;
          i++;
        }
        if (i === len) return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Caches `value` (and its term id, -1 when dropped) for `key`, a non-empty lower-case ASCII word
   * of hash `hash`; returns its slot.
   */
  set(key: string, hash: number, value: string, id = -1): number {
    if (2 * (this.count + 1) > this.values.length) {
      if (this.values.length < 2 * TERM_CACHE_MAX) {
        const old = this.slots;
        const oldValues = this.values;
        const oldPool = this.pool;
        this.pool = new Uint8Array(0);
        this.allocate(oldValues.length * 2);
        for (let s = 0; s < oldValues.length; s++) {
          const at = s * 4;
          const keyLength = old[at + 3];
          if (keyLength === 0) continue;
          const keyAt = this.store(oldPool, old[at + 2], keyLength);
          this.insert(keyAt, keyLength, old[at], oldValues[s], old[at + 1]);
        }
      } else {
        this.allocate(this.values.length);
      }
    }
    const keyAt = this.poolLength;
    this.reserve(key.length);
    for (let i = 0; i < key.length; i++) this.pool[keyAt + i] = key.charCodeAt(i);
    this.poolLength += key.length;
    return this.insert(keyAt, key.length, hash, value, id);
  }

  /** Forgets every word (their term ids are no longer valid). */
  clear(): void {
    this.pool = new Uint8Array(0);
    this.allocate(1 << INITIAL_BITS);
  }

  private reserve(extra: number): void {
    if (this.poolLength + extra <= this.pool.length) return;
    const next = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + extra));
    next.set(this.pool.subarray(0, this.poolLength));
    this.pool = next;
  }

  /** Copies a key into the pool; returns its offset. */
  private store(from: Uint8Array, at: number, length: number): number {
    const keyAt = this.poolLength;
    this.reserve(length);
    this.pool.set(from.subarray(at, at + length), keyAt);
    this.poolLength += length;
    return keyAt;
  }

  private insert(keyAt: number, keyLength: number, hash: number, value: string, id: number): number {
    let slot = hash & this.mask;
    while (this.slots[slot * 4 + 3] !== 0) slot = (slot + 1) & this.mask;
    const at = slot * 4;
    this.slots[at] = hash;
    this.slots[at + 1] = id;
    this.slots[at + 2] = keyAt;
    this.slots[at + 3] = keyLength;
    this.values[slot] = value;
    this.count++;
    return slot;
  }

  /** Number of cached words. */
  get size(): number {
    return this.count;
  }
}
