/**
 * @module ingest/json-span
 * Byte-level help for the bulk loader's fast path over corpus.jsonl: find where a line's top-level
 * `"text"` string lies, and unescape a JSON string's content into UTF-8. The document text can then
 * be analyzed and stored straight from the bytes it was read into, without first becoming a line
 * string, then a parsed string, then UTF-8 again (for a 1 MB document, three copies in V8's large
 * object space). Anything unusual (a control character, a bad escape, invalid UTF-8, a repeated
 * key, a text that is not a string) is left to JSON.parse, whose verdict and errors stay the
 * reference.
 */

import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Where a top-level string value's content lies in a line: bytes [from, to), quotes excluded. */
export interface StringSpan {
  from: number;
  to: number;
  /** Where each escape (`\`) of the content starts, in order (valid until the next `textSpan`). */
  escapes: readonly number[];
  /** UTF-16 length of the string the content stands for. */
  units: number;
}

/** What scanning one string found. With `track`, also its UTF-16 length and escape offsets. */
class Scan {
  escaped = false;
  high = false;
  units = 0;
  readonly escapes: number[] = [];
  constructor(readonly track: boolean) {}

  reset(): void {
    this.escaped = false;
    this.high = false;
    this.units = 0;
    this.escapes.length = 0;
  }
}

const keyScan = new Scan(false);
const textScan = new Scan(true);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/**
 * Scans a string starting at the quote `bytes[i]`; returns the index of its closing quote, or -1
 * when the string is not one JSON.parse would read as is (a raw control character, an unknown or
 * short escape, no closing quote). `scan` is reset, then reports what the string holds.
 */
function scanString(bytes: Uint8Array, i: number, end: number, scan: Scan): number {
  scan.reset();
  const track = scan.track;
  let units = 0;
  i++;
  while (i < end) {
    const c = bytes[i];
    if (c === QUOTE) {
      scan.units = units;
      return i;
    }
    if (c < 0x20) return -1;
    if (c >= 0x80) {
      scan.high = true;
      // a lead byte starts one UTF-16 unit, or two for a 4-byte sequence; continuation bytes none
      if (track && (c & 0xc0) !== 0x80) units += c >= 0xf0 ? 2 : 1;
      i++;
      continue;
    }
    if (c === BACKSLASH) {
      scan.escaped = true;
      if (track) scan.escapes.push(i);
      const e = bytes[i + 1];
      units++;
      if (e === 0x75) {
        if (i + 5 >= end) return -1;
        for (let k = 2; k < 6; k++) if (!isHex(bytes[i + k])) return -1;
        i += 6;
        continue;
      }
      if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      )
        return -1;
      i += 2;
      continue;
    }
    units++;
    i++;
  }
  return -1;
}

/** Skips a non-string value (number, literal, object or array) from `i`; returns where it ends. */
function skipValue(bytes: Uint8Array, i: number, end: number): number {
  let depth = 0;
  while (i < end) {
    const c = bytes[i];
    if (c === QUOTE) {
      const close = scanString(bytes, i, end, keyScan);
      if (close < 0) return -1;
      i = close + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth--;
    } else if (c === 0x2c && depth === 0) return i;
    i++;
  }
  return -1;
}

/**
 * The span of the top-level `"text"` string of the JSON object on bytes [start, end), or null when
 * the line should go through JSON.parse instead (no such string, a key spelled with escapes, the key
 * twice, anything malformed or unusual; see the module note). Only the structure up to the end of
 * the object is checked here: JSON.parse of the rest of the line checks everything else.
 */
export function textSpan(bytes: Uint8Array, start: number, end: number): StringSpan | null {
  let i = start;
  while (i < end && isSpace(bytes[i])) i++;
  if (bytes[i] !== 0x7b) return null;
  i++;
  let found: StringSpan | null = null;
  for (;;) {
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] === 0x7d) return found;
    if (bytes[i] !== QUOTE) return null;
    const keyEnd = scanString(bytes, i, end, keyScan);
    if (keyEnd < 0 || keyScan.escaped) return null;
    const isText =
      keyEnd - i === 5 &&
      bytes[i + 1] === 0x74 &&
      bytes[i + 2] === 0x65 &&
      bytes[i + 3] === 0x78 &&
      bytes[i + 4] === 0x74;
    i = keyEnd + 1;
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] !== 0x3a) return null;
    i++;
    while (i < end && isSpace(bytes[i])) i++;
    if (isText) {
      if (found || bytes[i] !== QUOTE) return null;
      const close = scanString(bytes, i, end, textScan);
      if (close < 0) return null;
      if (textScan.high && !isUtf8(bytes.subarray(i + 1, close))) return null;
      found = { from: i + 1, to: close, escapes: textScan.escapes, units: textScan.units };
      i = close + 1;
    } else if (bytes[i] === QUOTE) {
      const close = scanString(bytes, i, end, keyScan);
      if (close < 0) return null;
      i = close + 1;
    } else {
      i = skipValue(bytes, i, end);
      if (i < 0) return null;
    }
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] === 0x2c) i++;
    else if (bytes[i] !== 0x7d) return null;
  }
}

const SIMPLE: Record<number, number> = {
  34: 0x22,
  92: 0x5c,
  47: 0x2f,
  98: 8,
  102: 12,
  110: 10,
  114: 13,
  116: 9,
};

function hex4(bytes: Uint8Array, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = bytes[i + k];
    v = v * 16 + (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);
  }
  return v;
}

/**
 * Writes the UTF-8 of a text span (see {@link textSpan}) into `out` at `at`; returns the bytes
 * written. `out` needs `to - from` bytes of room: no escape grows. The bytes between escapes are
 * copied as they are; a lone surrogate becomes U+FFFD, as JSON.parse then Buffer.write make it.
 */
export function unescapeJson(bytes: Uint8Array, span: StringSpan, out: Uint8Array, at: number): number {
  const start = at;
  let i = span.from;
  const to = span.to;
  for (let k = 0; k <= span.escapes.length; k++) {
    const next = k < span.escapes.length ? span.escapes[k] : to;
    if (next - i > 32) {
      out.set(bytes.subarray(i, next), at);
      at += next - i;
    } else {
      for (let j = i; j < next; j++) out[at++] = bytes[j];
    }
    if (next >= to) break;
    i = next;
    const e = bytes[i + 1];
    if (e !== 0x75) {
      out[at++] = SIMPLE[e];
      i += 2;
      continue;
    }
    let cp = hex4(bytes, i + 2);
    i += 6;
    if (cp >= 0xd800 && cp <= 0xdbff && bytes[i] === BACKSLASH && bytes[i + 1] === 0x75) {
      const low = hex4(bytes, i + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
        k++; // the low surrogate's escape is consumed too
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out[at++] = cp;
    else if (cp < 0x800) {
      out[at++] = 0xc0 | (cp >> 6);
      out[at++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[at++] = 0xe0 | (cp >> 12);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    } else {
      out[at++] = 0xf0 | (cp >> 18);
      out[at++] = 0x80 | ((cp >> 12) & 0x3f);
      out[at++] = 0x80 | ((cp >> 6) & 0x3f);
      out[at++] = 0x80 | (cp & 0x3f);
    }
  }
  return at - start;
}
