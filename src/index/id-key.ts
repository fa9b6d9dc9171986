/**
 * @module index/id-key
 * The number that orders documents tied on score.
 */

const SEED1 = 0x811c9dc5;
const SEED2 = 0x01000193;

function mix1(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

function mix2(h: number, c: number): number {
  const x = Math.imul(h ^ c, 0x5bd1e995);
  return x ^ (x >>> 15);
}

function keyOf(h1: number, h2: number): number {
  return (h1 >>> 0) * 2 ** 20 + ((h2 >>> 0) >>> 12);
}

/**
 * A 52-bit hash of an id (two 32-bit FNV-1a variants over its UTF-16 code units): the number that
 * orders documents tied on score. Stable across runs, platforms and shard layouts.
 */
export function idKey(id: string): number {
  let h1 = SEED1;
  let h2 = SEED2;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = mix1(h1, c);
    h2 = mix2(h2, c);
  }
  return keyOf(h1, h2);
}

/**
 * {@link idKey} of every value of a stored column, from its UTF-8 bytes (`offsets[i]..offsets[i+1]`
 * is value i) into `out`: the same numbers as decoding each value and hashing the string, without
 * making a million strings at the first search of a freshly opened index. Values must be well-formed
 * UTF-8 (as the index writes them).
 */
export function idKeysOfUtf8(bytes: Uint8Array, offsets: Float64Array, out: Float64Array): void {
  const n = offsets.length - 1;
  for (let v = 0; v < n; v++) {
    let h1 = SEED1;
    let h2 = SEED2;
    const end = offsets[v + 1];
    for (let i = offsets[v]; i < end; ) {
      const b = bytes[i];
      let c: number;
      if (b < 0x80) {
        c = b;
        i++;
      } else if (b < 0xe0) {
        c = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
        i += 2;
      } else if (b < 0xf0) {
        c = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
        i += 3;
      } else {
        // Outside the BMP: the UTF-16 surrogate pair, high then low, as a string holds it.
        const cp =
          ((b & 0x07) << 18) |
          ((bytes[i + 1] & 0x3f) << 12) |
          ((bytes[i + 2] & 0x3f) << 6) |
          (bytes[i + 3] & 0x3f);
        const high = 0xd800 + ((cp - 0x10000) >> 10);
        h1 = mix1(h1, high);
        h2 = mix2(h2, high);
        c = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        i += 4;
      }
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
    out[v] = keyOf(h1, h2);
  }
}
