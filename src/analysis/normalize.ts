/**
 * @module analysis/normalize
 * Owns term normalization of one raw token: Unicode NFKC, case folding (lower case, ß→ss, ς→σ) and
 * diacritics folding for Latin letters only (é→e, ø→o, æ→ae, ł→l...). Marks on other scripts
 * (Devanagari, Thai, Cyrillic й...) are kept. Pure ASCII input takes a fast path.
 */

import { ASTRAL, CLASS_MASK, classAt, isLatinUnit, MARK } from './char-class.js';

/** Latin letters with no canonical decomposition, folded by hand (after lower-casing and NFD). */
const LATIN_FOLD: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ħ: 'h',
  ı: 'i',
  ŋ: 'n',
  ŧ: 't',
  ƀ: 'b',
  ƒ: 'f',
  ɓ: 'b',
  ɗ: 'd',
  ƶ: 'z',
  ȥ: 'z',
  ĸ: 'k',
  ß: 'ss',
};

/** The format characters of char-class IGNORABLE: soft hyphen, ZWJ, word joiner, BOM. */
const IGNORABLE_RE = /\u00ad|\u200d|\u2060|\ufeff/;
const IGNORABLE_RE_G = /\u00ad|\u200d|\u2060|\ufeff/g;

/** True when every UTF-16 unit of `s` is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * Strips combining marks that follow a Latin base letter and folds the special Latin letters of
 * {@link LATIN_FOLD}; leaves every other script untouched. Returns NFC text.
 */
export function foldLatin(s: string): string {
  if (isAscii(s)) return s;
  const d = s.normalize('NFD');
  let out = '';
  let baseIsLatin = false;
  for (let i = 0; i < d.length; ) {
    const c = d.charCodeAt(i);
    if (c < 0x80) {
      out += d[i];
      baseIsLatin = isLatinUnit(c);
      i++;
      continue;
    }
    const k = classAt(d, i);
    const w = k & ASTRAL ? 2 : 1;
    const ch = w === 1 ? d[i] : d.slice(i, i + 2);
    i += w;
    if ((k & CLASS_MASK) === MARK) {
      if (!baseIsLatin) out += ch;
      continue;
    }
    out += LATIN_FOLD[ch] ?? ch;
    baseIsLatin = w === 1 && isLatinUnit(c);
  }
  return out.normalize('NFC');
}

/**
 * Normalizes one raw token to its term form (before stop words and stemming). Works on any input,
 * but the tokenizer only calls it for tokens holding a non-ASCII character.
 */
export function normalizeWord(raw: string): string {
  if (isAscii(raw)) return raw.toLowerCase();
  let s = raw.normalize('NFKC').toLowerCase();
  if (IGNORABLE_RE.test(s)) s = s.replace(IGNORABLE_RE_G, '');
  if (s.includes('ς')) s = s.replaceAll('ς', 'σ');
  return foldLatin(s);
}
