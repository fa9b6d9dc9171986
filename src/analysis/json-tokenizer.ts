/**
 * @module analysis/json-tokenizer
 * The tokenizer's fast path for bulk loads: the content of a JSON string literal (a corpus line's
 * `"text"`), tokenized straight from its UTF-8 bytes. ASCII words are scanned, hashed and looked
 * up in the word memo in place, with no JS string of the text at all. Any stretch holding
 * something else (a non-ASCII character, a `\u` escape) is decoded up to the next whitespace and
 * handed to the string tokenizer, which continues the same positions: whitespace ends every word
 * and every CJK or Thai run, so the stretch tokenizes alone as it does in context. The emitted
 * tokens are exactly those of `tokenize` on the decoded string (property-tested).
 */

import { APOS, ASCII_CLASS, DIGIT, UNDERSCORE, WORD } from './char-class.js';
import { HASH_SEED, hashStep, PACKED_CHARS, packChar } from './term-cache.js';
import type { TokenSink } from './token-sink.js';
import { tokenize } from './tokenizer.js';
import { MAX_TERM_LENGTH } from './word-filter.js';

const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const decoder = new TextDecoder();

/**
 * The class of the character starting at byte `j`: 1 an ASCII letter or digit, 0 anything that
 * separates (or the end), -1 not known from the bytes (non-ASCII, or a `\u` escape).
 */
function wordByte(bytes: Uint8Array, j: number, end: number): number {
  if (j >= end) return 0;
  const c = bytes[j];
  if (c >= 0x80) return -1;
  if (c === BACKSLASH) return bytes[j + 1] === LOWER_U ? -1 : 0;
  const cls = ASCII_CLASS[c];
  return cls === WORD || cls === DIGIT ? 1 : 0;
}

/** True at a whitespace character: a space, tab, CR or LF byte, or a `\n`, `\t`, `\r` escape. */
function isSpaceAt(bytes: Uint8Array, j: number): boolean {
  const c = bytes[j];
  if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return true;
  if (c !== BACKSLASH) return false;
  const e = bytes[j + 1];
  return e === 0x6e || e === 0x74 || e === 0x72;
}

/** Decodes bytes [from, to) of JSON string content (cut between characters) to a JS string. */
function decodeStretch(bytes: Uint8Array, from: number, to: number): string {
  const raw = decoder.decode(bytes.subarray(from, to));
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/**
 * Hands bytes [from, next whitespace) to the string tokenizer; returns where the byte scan resumes.
 * `from` is a word start or a separator, so the tokenizer starts there in the state it would have.
 */
function fallBack(sink: TokenSink, bytes: Uint8Array, from: number, end: number): number {
  let to = from + 1;
  while (to < end && !isSpaceAt(bytes, to)) to += bytes[to] === BACKSLASH ? 2 : 1;
  if (to > end) to = end;
  tokenize(sink, decodeStretch(bytes, from, to), false);
  return to;
}

/** Tokenizes the JSON string content `bytes[start, end)` into `sink` (index mode), continuing at `sink.pos`. */
export function tokenizeJson(sink: TokenSink, bytes: Uint8Array, start: number, end: number): void {
  const cache = sink.filter.asciiCache;
  const key = cache.packed;
  let i = start;
  while (i < end) {
    let c = bytes[i];
    if (c >= 0x80) {
      i = fallBack(sink, bytes, i, end);
      continue;
    }
    if (c === BACKSLASH) {
      // \n \t \" \\ \/ \b \f \r all decode to separators; \u may not.
      if (bytes[i + 1] === LOWER_U) i = fallBack(sink, bytes, i, end);
      else i += 2;
      continue;
    }
    let cls = ASCII_CLASS[c];
    if (cls !== WORD && cls !== DIGIT) {
      i++;
      continue;
    }
    const wordStart = i;
    let upper = c >= 0x41 && c <= 0x5a;
    let noStem = cls === DIGIT;
    // The hash of the lower-cased chars, and the chars packed four to an int for the memo's probe.
    let acc = upper ? c + 0x20 : c;
    let h = hashStep(HASH_SEED, acc);
    let wordEnd = -1;
    let unknown = false;
    i++;
    while (i < end) {
      c = bytes[i];
      if (c >= 0x80) {
        unknown = true;
        break;
      }
      cls = ASCII_CLASS[c];
      if (cls === WORD || cls === DIGIT || (cls === UNDERSCORE && wordByte(bytes, i + 1, end) > 0)) {
        if (cls === WORD) {
          if (c <= 0x5a) {
            upper = true;
            c += 0x20;
          }
        } else noStem = true;
        h = hashStep(h, c);
        acc = packChar(key, acc, i - wordStart, c);
        i++;
        continue;
      }
      if (c === BACKSLASH) {
        if (bytes[i + 1] === LOWER_U) unknown = true;
        break;
      }
      if (cls === UNDERSCORE || cls === APOS) {
        const next = wordByte(bytes, i + 1, end);
        if (next < 0) {
          unknown = true;
          break;
        }
        if (next === 0 || cls === UNDERSCORE) break;
        const s = bytes[i + 1];
        if (s === 0x73 || s === 0x53) {
          const after = wordByte(bytes, i + 2, end);
          if (after < 0) {
            unknown = true;
            break;
          }
          if (after === 0) {
            wordEnd = i; // possessive: drop the 's
            i += 2;
          }
        }
      }
      break;
    }
    if (unknown) {
      i = fallBack(sink, bytes, wordStart, end);
      continue;
    }
    if (wordEnd < 0) wordEnd = i;
    const len = wordEnd - wordStart;
    if (len > MAX_TERM_LENGTH) {
      sink.pos++;
      continue;
    }
    let slot =
      len <= PACKED_CHARS ? cache.findPacked(h, len, acc) : cache.findBytes(bytes, wordStart, wordEnd, h);
    if (slot < 0)
      slot = sink.filter.remember(decoder.decode(bytes.subarray(wordStart, wordEnd)), upper, !noStem, h);
    sink.addCached(slot, wordStart, wordEnd);
  }
}
