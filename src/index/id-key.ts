/**
 * @module index/id-key
 * The number that orders documents tied on score.
 */

/**
 * A 52-bit hash of an id (two 32-bit FNV-1a variants over its UTF-16 code units): the number that
 * orders documents tied on score. Stable across runs, platforms and shard layouts.
 */
export function idKey(id: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 2 ** 20 + ((h2 >>> 0) >>> 12);
}
