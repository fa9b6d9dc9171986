/**
 * @module analysis/char-class
 * Owns the character classes the tokenizer branches on. A class is computed once per code point with
 * Unicode property regexes and cached (a lazily filled table for the BMP, a small map for the rest),
 * so the hot loop reads one byte per UTF-16 unit instead of running a regex per character.
 */

/** Not part of any token: spaces, punctuation, symbols, lone surrogates. */
export const SEP = 1;
/** A letter of a space-separated script (Latin, Greek, Cyrillic, Arabic, Devanagari...). */
export const WORD = 2;
/** A number character (`\p{N}`) outside the CJK scripts; a token holding one is never stemmed. */
export const DIGIT = 3;
/** A combining mark (`\p{M}`): continues a word, or attaches to the CJK / SEA character before it. */
export const MARK = 4;
/** `_`: joins two word characters ("snake_case" is one token). */
export const UNDERSCORE = 5;
/** `'` or `’`: splits a word, except that a final possessive `'s` is dropped. */
export const APOS = 6;
/** Han ideographs (Chinese, kanji), including 々 〆 〇. */
export const HAN = 7;
/** Hiragana and Katakana, including the prolonged sound mark ー. */
export const KANA = 8;
/** Hangul syllables and jamo. */
export const HANGUL = 9;
/** Scripts written without spaces that the CJK n-gram rule does not suit: word-segmented by ICU. */
export const THAI = 10;
export const LAO = 11;
export const KHMER = 12;
export const MYANMAR = 13;

/**
 * An invisible format character that may sit inside a word: soft hyphen, zero-width joiner, word
 * joiner, BOM. It continues a word and is removed by normalization ("inter\u00ADnational" is one word).
 */
export const IGNORABLE = 15;

/** Bit set in a {@link classAt} result when the character is a surrogate pair (two UTF-16 units). */
export const ASTRAL = 16;
/** Mask that extracts the class from a {@link classAt} result. */
export const CLASS_MASK = 15;

const SURROGATE = 14;

const WORDISH_RE = /[\p{L}\p{N}\p{M}]/u;
const MARK_RE = /\p{M}/u;
const NUMBER_RE = /\p{N}/u;
const HANGUL_RE = /\p{scx=Hangul}/u;
const KANA_RE = /[\p{scx=Hiragana}\p{scx=Katakana}]/u;
const HAN_RE = /\p{scx=Han}/u;
const THAI_RE = /\p{sc=Thai}/u;
const LAO_RE = /\p{sc=Lao}/u;
const KHMER_RE = /\p{sc=Khmer}/u;
const MYANMAR_RE = /\p{sc=Myanmar}/u;
const LATIN_RE = /\p{sc=Latin}/u;

function computeClass(cp: number): number {
  if (cp === 0x5f || cp === 0xff3f) return UNDERSCORE;
  if (cp === 0x27 || cp === 0x2019 || cp === 0xff07) return APOS;
  // Halfwidth voicing marks are letters, but NFKC turns them into combining marks: attach them.
  if (cp === 0xff9e || cp === 0xff9f) return MARK;
  if (cp === 0xad || cp === 0x200d || cp === 0x2060 || cp === 0xfeff) return IGNORABLE;
  const ch = String.fromCodePoint(cp);
  if (!WORDISH_RE.test(ch)) return SEP;
  // Marks first: a kana voicing mark (U+3099) or a Thai vowel sign attaches to the previous char.
  if (MARK_RE.test(ch)) return MARK;
  if (HANGUL_RE.test(ch)) return HANGUL;
  if (KANA_RE.test(ch)) return KANA;
  if (HAN_RE.test(ch)) return HAN;
  if (THAI_RE.test(ch)) return THAI;
  if (LAO_RE.test(ch)) return LAO;
  if (KHMER_RE.test(ch)) return KHMER;
  if (MYANMAR_RE.test(ch)) return MYANMAR;
  if (NUMBER_RE.test(ch)) return DIGIT;
  return WORD;
}

/** Classes of the BMP; 0 = not computed yet. */
const BMP = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) BMP[c] = computeClass(c);
for (let c = 0xd800; c < 0xe000; c++) BMP[c] = SURROGATE;
const astralClasses = new Map<number, number>();

/** Class of the ASCII character `c` (< 0x80); a plain table read for the tokenizer's fast path. */
export const ASCII_CLASS: Uint8Array = BMP.subarray(0, 0x80);

/** Class of the code point at `text[i]`, OR-ed with {@link ASTRAL} when it spans two UTF-16 units. */
export function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  let k = BMP[c];
  if (k === 0) {
    k = computeClass(c);
    BMP[c] = k;
  }
  if (k !== SURROGATE) return k;
  const cp = text.codePointAt(i)!;
  if (cp <= 0xffff) return SEP; // lone surrogate
  let a = astralClasses.get(cp);
  if (a === undefined) {
    a = computeClass(cp);
    astralClasses.set(cp, a);
  }
  return a | ASTRAL;
}

/** True for a CJK class (Han, Kana, Hangul). */
export function isCjk(cls: number): boolean {
  return cls >= HAN && cls <= HANGUL;
}

/** True for a script segmented by ICU words (Thai, Lao, Khmer, Myanmar). */
export function isSegmentedScript(cls: number): boolean {
  return cls >= THAI && cls <= MYANMAR;
}

/** True for a class that continues a space-separated word (letter, number, mark, ignorable). */
export function isWordChar(cls: number): boolean {
  return cls === WORD || cls === DIGIT || cls === MARK || cls === IGNORABLE;
}

const latinTable = new Uint8Array(0x10000); // 0 = unknown, 1 = Latin, 2 = not Latin

/** True when the BMP character `c` belongs to the Latin script (the only script we strip marks from). */
export function isLatinUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  let k = latinTable[c];
  if (k === 0) {
    k = LATIN_RE.test(String.fromCharCode(c)) ? 1 : 2;
    latinTable[c] = k;
  }
  return k === 1;
}
