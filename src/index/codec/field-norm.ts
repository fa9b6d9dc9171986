/**
 * @module index/codec/field-norm
 * One byte per document per field for its length, as in Lucene's SmallFloat.intToByte4 and
 * tantivy's fieldnorm: lengths below 24 are exact, larger ones keep 4 significant bits (a relative
 * error under 1/16), which BM25's length normalization does not notice. Decoding goes through a
 * 256-entry table, so a scorer can precompute one BM25 factor per byte value.
 */

/** Byte values below this stand for themselves: lengths 0..23 are exact (Lucene: 255 - int4(2^31-1)). */
const NUM_FREE_VALUES = 255 - longToInt4(0x7fffffff);

function longToInt4(i: number): number {
  const numBits = 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  let encoded = Math.floor(i / 2 ** shift) & 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  if (shift === -1) return bits;
  return (bits | 0x08) * 2 ** shift;
}

/** Encodes a field length (tokens) into one byte; monotone: a longer field never gets a smaller byte. */
export function encodeFieldNorm(length: number): number {
  if (length < 0) throw new RangeError(`field length ${length} < 0`);
  if (length < NUM_FREE_VALUES) return length;
  return NUM_FREE_VALUES + longToInt4(Math.min(length - NUM_FREE_VALUES, 0x7fffffff));
}

function decode(b: number): number {
  if (b < NUM_FREE_VALUES) return b;
  return NUM_FREE_VALUES + int4ToLong(b - NUM_FREE_VALUES);
}

/** The length each byte stands for (lower bound of its bucket). */
export const FIELD_NORM_TABLE: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let b = 0; b < 256; b++) t[b] = decode(b);
  return t;
})();

export function decodeFieldNorm(b: number): number {
  return FIELD_NORM_TABLE[b & 0xff];
}

/** Field lengths below this are stored exactly. */
export const FIELD_NORM_EXACT_BELOW = NUM_FREE_VALUES;
