/**
 * @module strings
 * String order shared by the term dictionary (terms sorted by UTF-8 bytes) and the evaluator
 * (trec_eval compares ids with strcmp on UTF-8), and the code-unit order that breaks ties by id.
 */

/** Compares two strings by UTF-16 code units, as `<` does (for sort comparators). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two strings in UTF-8 byte order (= code point order). Same as `<` on UTF-16 code units
 * except that astral characters (surrogate pairs) sort after U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
