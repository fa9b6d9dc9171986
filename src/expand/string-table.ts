/**
 * @module expand/string-table
 * A list of strings as UTF-8 bytes plus offsets (string i is bytes [offsets[i], offsets[i+1])),
 * with an optional permutation that sorts them by bytes, for lookup by binary search without
 * decoding the list or building a Map at load time.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes `strings` in order as one UTF-8 blob and n + 1 offsets. */
export function encodeStrings(strings: readonly string[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++)
    offsets[i + 1] = offsets[i] + Buffer.byteLength(strings[i], 'utf8');
  // One encode of the joined strings: far faster than one TextEncoder call per string.
  const joined = Buffer.from(strings.join(''), 'utf8');
  const bytes = new Uint8Array(joined.length);
  bytes.set(joined);
  return { bytes, offsets };
}

/** The permutation of ids that sorts `strings` by their UTF-8 bytes (ties by id). */
export function sortedOrder(strings: readonly string[]): Uint32Array {
  const ids = Array.from({ length: strings.length }, (_, i) => i);
  if (strings.some((s) => /[\uD800-\uDFFF]/.test(s))) {
    // UTF-16 order differs from UTF-8 byte order only around surrogates: compare bytes then.
    const { bytes, offsets } = encodeStrings(strings);
    ids.sort((a, b) => compareIds(bytes, offsets, a, b) || a - b);
  } else {
    ids.sort((a, b) => (strings[a] < strings[b] ? -1 : strings[a] > strings[b] ? 1 : a - b));
  }
  return Uint32Array.from(ids);
}

function compareIds(bytes: Uint8Array, offsets: Uint32Array, a: number, b: number): number {
  const sa = offsets[a];
  const sb = offsets[b];
  const la = offsets[a + 1] - sa;
  const lb = offsets[b + 1] - sb;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = bytes[sa + i] - bytes[sb + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Compares string `id` of the table with `key` by bytes: < 0, 0 or > 0. */
function compareAt(bytes: Uint8Array, offsets: Uint32Array, id: number, key: Uint8Array): number {
  const start = offsets[id];
  const len = offsets[id + 1] - start;
  const n = Math.min(len, key.length);
  for (let i = 0; i < n; i++) {
    const d = bytes[start + i] - key[i];
    if (d !== 0) return d;
  }
  return len - key.length;
}

/** Read side of a string table. */
export class StringTable {
  /** Number of strings. */
  readonly size: number;

  /**
   * @param bytes the UTF-8 blob
   * @param offsets n + 1 offsets into it
   * @param order the sorting permutation; omit when the strings are stored sorted already
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly order?: Uint32Array,
  ) {
    this.size = offsets.length - 1;
  }

  /** String `id`. */
  get(id: number): string {
    return decoder.decode(this.bytes.subarray(this.offsets[id], this.offsets[id + 1]));
  }

  /** The id of `s`, or -1. */
  find(s: string): number {
    const key = encoder.encode(s);
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.order ? this.order[mid] : mid;
      const c = compareAt(this.bytes, this.offsets, id, key);
      if (c === 0) return id;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
