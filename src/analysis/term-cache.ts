/**
 * @module analysis/term-cache
 * Owns the memo from a raw ASCII word to its final term (lower-cased, stop-filtered, stemmed) and
 * that term's id (see term-ids). It is an open-addressing hash table probed with a hash the
 * tokenizer computes while scanning; a word of up to {@link PACKED_CHARS} chars is compared as the
 * ints the tokenizer packed while scanning it ({@link packChar}), a longer one against the text in
 * place: a repeated word costs no slice, no toLowerCase, no Map lookup and no allocation. Holds at
 * most {@link TERM_CACHE_MAX} words; cleared when full.
 */

/** FNV-1a offset basis; the tokenizer folds lower-cased char codes into it with {@link hashStep}. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One FNV-1a step. */
export function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Most words kept before the table is cleared (the table has twice as many slots). */
export const TERM_CACHE_MAX = 1 << 20;

/**
 * Words of at most this many chars are kept packed in their slot, four lower-cased chars an int
 * (the first char in the low byte), and compared as ints: no loop over the text's chars.
 */
export const PACKED_CHARS = 16;

/** An ASCII code lower-cased. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/**
 * Adds the lower-cased char `c` at index `j` of a word to the packing of its chars into `key`
 * (four to an int, the first in the low byte; see {@link AsciiTermCache.packed}): returns the int
 * being filled, and stores the one before it when `c` starts a new one. The int returned after the
 * word's last char is its last (see {@link AsciiTermCache.findPacked}).
 */
export function packChar(key: Int32Array, acc: number, j: number, c: number): number {
  const r = j & 3;
  if (r !== 0) return acc | (c << (r << 3));
  if (j !== 0 && j <= PACKED_CHARS) key[(j >> 2) - 1] = acc;
  return c;
}

const INITIAL_BITS = 10;
/** Int32s a slot: hash, term id (-1 when dropped), key length (0 = empty), pool offset, 4 packed. */
const STRIDE = 8;

/**
 * Memo of raw ASCII word (compared case-insensitively) → final term ('' meaning "dropped") and id.
 * A slot is eight int32s in one array: a probe of a word of up to {@link PACKED_CHARS} chars reads
 * one slot, half a cache line, and compares up to four ints with the word the tokenizer packed
 * while scanning it ({@link packed}). Longer keys are bytes in one pool, compared char by char.
 */
export class AsciiTermCache {
  private slots = new Int32Array(0);
  private pool = new Uint8Array(0);
  private poolLength = 0;
  /** Final term per slot. */
  values: string[] = [];
  private mask = 0;
  private count = 0;
  /**
   * The word being looked up, packed by the caller for {@link findPacked}: chars 4k..4k+3 in int
   * k, the first in the low byte; ints past the word's end are not read.
   */
  readonly packed = new Int32Array(PACKED_CHARS / 4);

  constructor() {
    this.allocate(1 << INITIAL_BITS);
  }

  private allocate(slots: number): void {
    this.slots = new Int32Array(slots * STRIDE);
    this.values = new Array<string>(slots).fill('');
    if (this.pool.length === 0) this.pool = new Uint8Array(1024);
    this.poolLength = 0;
    this.mask = slots - 1;
    this.count = 0;
  }

  /** The term id cached in `slot` (-1 when the word is dropped). */
  id(slot: number): number {
    return this.slots[slot * STRIDE + 1];
  }

  /** The cached term of the ASCII word `text[start, end)` whose lower-case hash is `hash`. */
  get(text: string, start: number, end: number, hash: number): string | undefined {
    const slot = this.find(text, start, end, hash);
    return slot < 0 ? undefined : this.values[slot];
  }

  /**
   * The slot of the word of `len` chars (1..{@link PACKED_CHARS}) and hash `hash` that the caller
   * packed into {@link packed} but for its last int, `last` (what {@link packChar} returned for the
   * word's last char), or -1.
   */
  findPacked(hash: number, len: number, last: number): number {
    const slots = this.slots;
    const key = this.packed;
    key[(len - 1) >> 2] = last;
    let slot = hash & this.mask;
    while (true) {
      const at = slot * STRIDE;
      const keyLength = slots[at + 2];
      if (keyLength === 0) return -1;
      if (
        slots[at] === hash &&
        keyLength === len &&
        slots[at + 4] === key[0] &&
        (len <= 4 ||
          (slots[at + 5] === key[1] &&
            (len <= 8 || (slots[at + 6] === key[2] && (len <= 12 || slots[at + 7] === key[3])))))
      )
        return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The slot of the ASCII word `text[start, end)` whose lower-case hash is `hash`, or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    return this.findBy(end - start, hash, (i) => text.charCodeAt(start + i));
  }

  /** {@link find} for an ASCII word given as bytes `bytes[start, end)`. */
  findBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    return this.findBy(end - start, hash, (i) => bytes[start + i]);
  }

  /**
   * The slot of the word of `len` chars whose i-th code is `codeAt(i)` (any case) and whose
   * lower-case hash is `hash`, or -1. The tokenizers' path for a word too long to be packed (they
   * pack the others as they scan them, for {@link findPacked}).
   */
  private findBy(len: number, hash: number, codeAt: (i: number) => number): number {
    if (len <= PACKED_CHARS) return this.findPacked(hash, len, this.pack(len, codeAt));
    const slots = this.slots;
    const pool = this.pool;
    let slot = hash & this.mask;
    while (true) {
      const at = slot * STRIDE;
      const keyLength = slots[at + 2];
      if (keyLength === 0) return -1;
      if (slots[at] === hash && keyLength === len) {
        const key = slots[at + 3];
        let i = 0;
        while (i < len && lower(codeAt(i)) === pool[key + i]) i++;
        if (i === len) return slot;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Packs the lower-cased codes `codeAt(0..len)` (len <= {@link PACKED_CHARS}) into {@link packed}
   * but for the last int, which it returns.
   */
  private pack(len: number, codeAt: (i: number) => number): number {
    let acc = 0;
    for (let j = 0; j < len; j++) acc = packChar(this.packed, acc, j, lower(codeAt(j)));
    return acc;
  }

  /**
   * Caches `value` (and its term id, -1 when dropped) for `key`, a non-empty lower-case ASCII word
   * of hash `hash`; returns its slot.
   */
  set(key: string, hash: number, value: string, id = -1): number {
    if (2 * (this.count + 1) > this.values.length) {
      if (this.values.length < 2 * TERM_CACHE_MAX) this.grow();
      else this.allocate(this.values.length);
    }
    const slot = this.slotFor(hash);
    const at = slot * STRIDE;
    const len = key.length;
    this.slots[at] = hash;
    this.slots[at + 1] = id;
    this.slots[at + 2] = len;
    if (len <= PACKED_CHARS) {
      this.packed[(len - 1) >> 2] = this.pack(len, (i) => key.charCodeAt(i));
      this.slots.set(this.packed, at + 4);
    } else {
      const keyAt = this.poolLength;
      this.reserve(len);
      for (let i = 0; i < len; i++) this.pool[keyAt + i] = key.charCodeAt(i);
      this.poolLength += len;
      this.slots[at + 3] = keyAt;
    }
    this.values[slot] = value;
    this.count++;
    return slot;
  }

  /** Doubles the table, placing every word again by its hash (long keys into a new pool). */
  private grow(): void {
    const old = this.slots;
    const oldValues = this.values;
    const oldPool = this.pool;
    this.pool = new Uint8Array(0);
    this.allocate(oldValues.length * 2);
    const slots = this.slots;
    for (let s = 0; s < oldValues.length; s++) {
      const at = s * STRIDE;
      if (old[at + 2] === 0) continue;
      const slot = this.slotFor(old[at]);
      const to = slot * STRIDE;
      for (let k = 0; k < STRIDE; k++) slots[to + k] = old[at + k];
      if (old[at + 2] > PACKED_CHARS) slots[to + 3] = this.store(oldPool, old[at + 3], old[at + 2]);
      this.values[slot] = oldValues[s];
      this.count++;
    }
  }

  /** Forgets every word (their term ids are no longer valid). */
  clear(): void {
    this.pool = new Uint8Array(0);
    this.allocate(1 << INITIAL_BITS);
  }

  /** The first free slot for `hash`. */
  private slotFor(hash: number): number {
    let slot = hash & this.mask;
    while (this.slots[slot * STRIDE + 2] !== 0) slot = (slot + 1) & this.mask;
    return slot;
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

  /** Number of cached words. */
  get size(): number {
    return this.count;
  }
}
