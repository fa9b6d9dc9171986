/**
 * @module analysis/cjk
 * Owns the analysis of a run of Chinese, Japanese or Korean characters (Han, Kana, Hangul). One
 * character (a code point plus any combining marks after it) is one position. Index mode emits, at
 * each character, its unigram, the bigram it starts, and every ICU dictionary word of 3+ characters it
 * starts. Query mode emits the unigram of a one-character run, else the bigrams and the 3+ words.
 * A 1-character query thus finds indexed unigrams, a longer one indexed bigrams, and no CJK text ever
 * yields zero terms.
 */

import { ASTRAL, CLASS_MASK, classAt, HANGUL, isCjk, KANA, MARK } from './char-class.js';
import { SEGMENT_PIECE, wordSegmenter } from './segmenter.js';
import { detach } from './stem-cache.js';
import type { TokenSink } from './token-sink.js';
import { MAX_TERM_LENGTH } from './word-filter.js';

/** Shortest segmenter word emitted besides the n-grams (1- and 2-grams are already there). */
const MIN_WORD = 3;

// Scratch buffers reused across calls (analysis is synchronous): char starts of the current run,
// followed by its end; the normalized characters; the segmenter words as [start, end) char indexes.
let charStarts = new Int32Array(1024);
const chars: string[] = [];
const wordStarts: number[] = [];
const wordEnds: number[] = [];

/** True when the UTF-16 unit `c` alone is already in NFKC, lower-case form (the common case). */
function isPlainCjk(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0x3041 && c <= 0x3096) ||
    (c >= 0x30a1 && c <= 0x30fa) ||
    c === 0x30fc
  );
}

/**
 * Collects the segmenter words of 3+ characters of the run (m >= MIN_WORD chars) into wordStarts /
 * wordEnds. V8 spends about 1 µs per segment it materializes, far more than the n-grams cost, so
 * instead of iterating every segment it probes `containing()` at every third UTF-16 unit: a word of 3+
 * units always covers one probe, and this makes a third fewer calls for the same words.
 */
function findWords(text: string, m: number, locale: string): void {
  const segmenter = wordSegmenter(locale);
  for (let p = 0; p < m; p += SEGMENT_PIECE) {
    const pe = Math.min(m, p + SEGMENT_PIECE);
    if (pe - p < MIN_WORD) break;
    const base = charStarts[p];
    const piece = text.slice(base, charStarts[pe]);
    const segments = segmenter.segment(piece);
    let q = p;
    let last = -1;
    for (let probe = MIN_WORD - 1; probe < piece.length; probe += MIN_WORD) {
      const s = segments.containing(probe);
      if (s === undefined || s.index === last) continue;
      last = s.index;
      if (s.isWordLike !== true || s.segment.length < MIN_WORD) continue;
      const a = base + s.index;
      const b = a + s.segment.length;
      while (q < pe && charStarts[q] < a) q++;
      if (charStarts[q] !== a) continue; // not on a character boundary
      let r = q + 1;
      while (r < pe && charStarts[r] < b) r++;
      if (charStarts[r] !== b || r - q < MIN_WORD) continue;
      wordStarts.push(q);
      wordEnds.push(r);
    }
  }
}

/**
 * Analyzes the CJK run that starts at `text[start]` (a Han, Kana or Hangul character) into `sink`,
 * advancing `sink.pos` by its number of characters. Returns the index just past the run.
 */
export function addCjkRun(sink: TokenSink, text: string, start: number, query: boolean): number {
  const n = text.length;
  let m = 0;
  let kana = false;
  let hangul = false;
  let j = start;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c < 0x80) break;
    const k = classAt(text, j);
    const cls = k & CLASS_MASK;
    const w = k & ASTRAL ? 2 : 1;
    if (cls === MARK && m > 0) {
      j += w; // combining mark: part of the previous character
      continue;
    }
    if (!isCjk(cls)) break;
    if (cls === KANA) kana = true;
    else if (cls === HANGUL) hangul = true;
    if (m + 1 >= charStarts.length) {
      const grown = new Int32Array(charStarts.length * 2);
      grown.set(charStarts);
      charStarts = grown;
    }
    charStarts[m++] = j;
    j += w;
  }
  charStarts[m] = j;

  for (let k = 0; k < m; k++) {
    const a = charStarts[k];
    const b = charStarts[k + 1];
    const c = text.charCodeAt(a);
    chars[k] = b - a === 1 && isPlainCjk(c) ? text[a] : text.slice(a, b).normalize('NFKC').toLowerCase();
  }

  wordStarts.length = 0;
  wordEnds.length = 0;
  if (m >= MIN_WORD) findWords(text, m, hangul ? 'ko' : kana ? 'ja' : 'zh');

  const pos = sink.pos;
  let wi = 0;
  if (query && m > 1) {
    for (let k = 0; k + 1 < m; k++) {
      sink.add(chars[k] + chars[k + 1], pos + k, charStarts[k], charStarts[k + 2]);
      wi = addWordsAt(sink, k, pos, wi);
    }
  } else {
    for (let k = 0; k < m; k++) {
      sink.add(chars[k], pos + k, charStarts[k], charStarts[k + 1]);
      if (k + 1 < m) sink.add(chars[k] + chars[k + 1], pos + k, charStarts[k], charStarts[k + 2]);
      wi = addWordsAt(sink, k, pos, wi);
    }
  }
  sink.pos = pos + m;
  return j;
}

/** Adds the segmenter words starting at character `k`; returns the index of the next word. */
function addWordsAt(sink: TokenSink, k: number, pos: number, wi: number): number {
  while (wi < wordStarts.length && wordStarts[wi] === k) {
    const e = wordEnds[wi];
    let term = chars[k];
    for (let x = k + 1; x < e; x++) term += chars[x];
    if (term.length <= MAX_TERM_LENGTH) sink.add(detach(term), pos + k, charStarts[k], charStarts[e]);
    wi++;
  }
  return wi;
}
