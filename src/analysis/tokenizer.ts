/**
 * @module analysis/tokenizer
 * Owns token boundaries. One charCode loop over the original string finds words of space-separated
 * scripts and hands CJK runs and Thai-like runs to their own modules, so every offset refers to the
 * original text. Word rules:
 * - a word is a run of letters, numbers and combining marks (`\p{L}\p{N}\p{M}`); a soft hyphen or
 *   zero-width joiner inside it is kept in the run and removed by normalization;
 * - `_` between two word characters joins them ("snake_case"); leading/trailing `_` is dropped;
 * - words with a digit or a joining `_` are not stemmed (numbers, codes and identifiers);
 * - an apostrophe (' ’) splits ("don't" → "don", "t"; "l'homme" → "l", "homme"), except that a
 *   possessive `'s` ending a word is dropped ("John's" → "john");
 * - every other character separates, so "3.11" → "3", "11" and "e-mail" → "e", "mail";
 * - a word longer than 64 UTF-16 units once normalized ({@link MAX_TERM_LENGTH}; or longer than
 *   {@link MAX_RAW_LENGTH} raw) is dropped, not cut, but still consumes a position: it is a hash,
 *   base64 or similar, never a useful query.
 */

import {
  APOS,
  ASCII_CLASS,
  ASTRAL,
  CLASS_MASK,
  classAt,
  DIGIT,
  IGNORABLE,
  isCjk,
  isSegmentedScript,
  isWordChar,
  MARK,
  SEP,
  UNDERSCORE,
  WORD,
} from './char-class.js';
import { addCjkRun } from './cjk.js';
import { normalizeWord } from './normalize.js';
import { addSegmentedRun } from './segmented-script.js';
import { HASH_SEED, hashStep, PACKED_CHARS, packChar } from './term-cache.js';
import type { TokenSink } from './token-sink.js';
import { MAX_TERM_LENGTH } from './word-filter.js';

/** Longest raw word looked at, in UTF-16 units (normalization may shrink a word with many marks). */
export const MAX_RAW_LENGTH = 256;

/** True when the character at `i` continues a word (letter, number or mark of a spaced script). */
function wordCharAt(text: string, i: number): boolean {
  return i < text.length && isWordChar(classAt(text, i) & CLASS_MASK);
}

/** Tokenizes `text` into `sink`, continuing at `sink.pos`. */
export function tokenize(sink: TokenSink, text: string, query: boolean): void {
  const n = text.length;
  const filter = sink.filter;
  const cache = filter.asciiCache;
  const key = cache.packed;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let cls: number;
    let w = 1;
    if (c < 0x80) {
      cls = ASCII_CLASS[c];
    } else {
      const k = classAt(text, i);
      cls = k & CLASS_MASK;
      if (k & ASTRAL) w = 2;
    }
    if (cls === SEP || cls === UNDERSCORE || cls === APOS || cls === IGNORABLE) {
      i += w;
      continue;
    }
    if (isCjk(cls)) {
      i = addCjkRun(sink, text, i, query);
      continue;
    }
    if (isSegmentedScript(cls)) {
      i = addSegmentedRun(sink, text, i, cls);
      continue;
    }

    // A word of a space-separated script. While it stays ASCII, hash its lower-cased chars.
    const start = i;
    let ascii = c < 0x80;
    let upper = c >= 0x41 && c <= 0x5a;
    // Words with a digit or an underscore (numbers, codes, identifiers) are not stemmed.
    let noStem = cls === DIGIT;
    // The hash of the lower-cased chars, and the chars packed four to an int for the memo's probe.
    let acc = upper ? c + 0x20 : c;
    let h = hashStep(HASH_SEED, acc);
    let end = -1;
    i += w;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 0x80) {
        cls = ASCII_CLASS[c];
        if (cls === WORD || cls === DIGIT) {
          if (cls === DIGIT) noStem = true;
          else if (c <= 0x5a) {
            upper = true;
            c += 0x20;
          }
          h = hashStep(h, c);
          acc = packChar(key, acc, i - start, c);
          i++;
          continue;
        }
      } else {
        const k = classAt(text, i);
        cls = k & CLASS_MASK;
        if (cls === WORD || cls === MARK || cls === DIGIT || cls === IGNORABLE) {
          ascii = false;
          if (cls === DIGIT) noStem = true;
          i += k & ASTRAL ? 2 : 1;
          continue;
        }
      }
      if (cls === UNDERSCORE && wordCharAt(text, i + 1)) {
        if (c >= 0x80) ascii = false;
        noStem = true;
        h = hashStep(h, c);
        acc = packChar(key, acc, i - start, c);
        i++;
        continue;
      }
      if (cls === APOS && wordCharAt(text, i + 1)) {
        const s = text.charCodeAt(i + 1);
        if ((s === 0x73 || s === 0x53) && !wordCharAt(text, i + 2)) {
          end = i; // possessive: drop the 's
          i += 2;
        }
      }
      break;
    }
    if (end < 0) end = i;
    const len = end - start;
    if (ascii) {
      if (len > MAX_TERM_LENGTH) {
        sink.pos++;
        continue;
      }
      let slot = len <= PACKED_CHARS ? cache.findPacked(h, len, acc) : cache.find(text, start, end, h);
      if (slot < 0) slot = filter.remember(text.slice(start, end), upper, !noStem, h);
      sink.addCached(slot, start, end);
    } else if (len > MAX_RAW_LENGTH) {
      sink.pos++;
    } else {
      sink.addWord(normalizeWord(text.slice(start, end)), start, end, !noStem);
    }
  }
}
