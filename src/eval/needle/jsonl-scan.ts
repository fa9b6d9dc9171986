/**
 * @module eval/needle/jsonl-scan
 * Reads what the haystack builder needs from one corpus JSONL line without decoding it into a
 * string: the `_id` and the number of tokens of `title` and `text`, counted as ingest's
 * `countTokens` counts them (runs of letters, digits and underscores; each Chinese, Japanese or
 * Korean character is one token). The line's bytes then go to a builder thread as they are, so a 7 GB
 * corpus is never held as JS strings on this thread.
 *
 * Long documents can be cut into passages on the bytes too (`passageLines`): the text string is
 * cut at whitespace after about `target` tokens (at a sentence or line end when one comes before
 * twice the target), and each piece becomes a line of its own with the document's title. A cut
 * always falls at the start of a character or escape, so every piece is valid JSON string content.
 */

import { isWordCode } from '../../ingest/passages.js';

/** What the scan found: the id (undefined if the line has no string `_id`) and the tokens. */
export interface LineScan {
  id: string | undefined;
  /** Tokens of title and text. */
  tokens: number;
  /** Tokens of the title alone. */
  titleTokens: number;
  /** Byte ranges of the title's and the text's string content (between the quotes), if present. */
  title?: [number, number];
  text?: [number, number];
}

/** Where a text is cut: each passage's end (byte offset) and its tokens. */
export interface PassageCut {
  end: number;
  tokens: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** CJK scripts that ingest counts one character at a time (Han, Hiragana, Katakana, Hangul). */
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x3005 && cp <= 0x3007) ||
    (cp >= 0x3021 && cp <= 0x3029) ||
    (cp >= 0x3038 && cp <= 0x303b) ||
    (cp >= 0x3040 && cp <= 0x30ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f)
  );
}

/** JavaScript's `\s` outside ASCII. */
function isSpace(cp: number): boolean {
  return (
    cp === 0x20 ||
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  );
}

const KEY_ID = [0x5f, 0x69, 0x64]; // _id
const KEY_TITLE = [0x74, 0x69, 0x74, 0x6c, 0x65]; // title
const KEY_TEXT = [0x74, 0x65, 0x78, 0x74]; // text

function keyIs(buf: Uint8Array, start: number, end: number, key: number[]): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[start + i] !== key[i]) return false;
  return true;
}

/**
 * Counts the tokens of a JSON string's content `buf[start, end)` (between the quotes, escapes
 * included), as `countTokens` would count the decoded string.
 */
function countStringTokens(
  buf: Uint8Array,
  start: number,
  end: number,
  cut?: { target: number; cuts: PassageCut[] },
): number {
  let tokens = 0;
  let inWord = false;
  let i = start;
  let last = 0; // code point before this one
  let passage = 0; // tokens since the last cut
  while (i < end) {
    const b = buf[i];
    const at = i;
    let cp: number;
    if (b === BACKSLASH) {
      const e = buf[i + 1];
      if (e === 0x75) {
        cp = Number.parseInt(String.fromCharCode(buf[i + 2], buf[i + 3], buf[i + 4], buf[i + 5]), 16);
        i += 6;
      } else {
        // \n \t \r \f \b are control or space characters; \" \\ \/ are word characters.
        cp =
          e === 0x6e ? 0x0a : e === 0x74 ? 0x09 : e === 0x72 ? 0x0d : e === 0x66 ? 0x0c : e === 0x62 ? 8 : e;
        i += 2;
      }
    } else if (b < 0x80) {
      cp = b;
      i++;
    } else if (b >= 0xe0 && b < 0xf0) {
      cp = ((b & 0x0f) << 12) | ((buf[i + 1] & 0x3f) << 6) | (buf[i + 2] & 0x3f);
      i += 3;
    } else if (b >= 0xc0 && b < 0xe0) {
      cp = ((b & 0x1f) << 6) | (buf[i + 1] & 0x3f);
      i += 2;
    } else {
      cp = 0x10000; // a 4-byte sequence: a word character
      i += b >= 0xf0 ? 4 : 1;
    }
    if (isSpace(cp)) {
      // A cut goes before this space: at a sentence or line end past the target, anywhere past twice it.
      if (
        cut &&
        ((passage >= cut.target && (cp === 0x0a || last === 0x2e || last === 0x21 || last === 0x3f)) ||
          passage >= 2 * cut.target)
      ) {
        cut.cuts.push({ end: at, tokens: passage });
        passage = 0;
      }
      inWord = false;
    } else if (isCjk(cp)) {
      tokens++;
      passage++;
      inWord = false;
    } else if (!isWordCode(cp)) inWord = false;
    else if (!inWord) {
      tokens++;
      passage++;
      inWord = true;
    }
    last = cp;
  }
  if (cut && passage > 0) cut.cuts.push({ end, tokens: passage });
  else if (cut && cut.cuts.length > 0) cut.cuts[cut.cuts.length - 1].end = end;
  return tokens;
}

/**
 * Scans the JSON object on `buf[start, end)`: the `_id` (a string, or a number as text) and the
 * tokens of its top-level `title` and `text` strings. Nested values are skipped.
 */
export function scanJsonlLine(buf: Uint8Array, start: number, end: number): LineScan {
  let depth = 0;
  let expectKey = false;
  let key = 0; // 1 _id, 2 title, 3 text, 0 other
  let id: string | undefined;
  let tokens = 0;
  let titleTokens = 0;
  let title: [number, number] | undefined;
  let text: [number, number] | undefined;
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b === QUOTE) {
      const s = i + 1;
      let j = s;
      while (j < end && buf[j] !== QUOTE) j += buf[j] === BACKSLASH ? 2 : 1;
      if (depth === 1 && expectKey) {
        if (keyIs(buf, s, j, KEY_ID)) key = 1;
        else if (keyIs(buf, s, j, KEY_TITLE)) key = 2;
        else if (keyIs(buf, s, j, KEY_TEXT)) key = 3;
        else key = 0;
        expectKey = false;
      } else if (depth === 1) {
        if (key === 1)
          id = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + i, j + 1 - i).toString('utf8'));
        else if (key === 2) {
          titleTokens = countStringTokens(buf, s, j);
          tokens += titleTokens;
          title = [s, j];
        } else if (key === 3) {
          tokens += countStringTokens(buf, s, j);
          text = [s, j];
        }
        key = 0;
      }
      i = j + 1;
      continue;
    }
    if (b === 0x7b || b === 0x5b) {
      depth++;
      if (depth === 1) expectKey = b === 0x7b;
    } else if (b === 0x7d || b === 0x5d) depth--;
    else if (b === 0x2c && depth === 1) expectKey = true;
    else if (depth === 1 && key === 1 && ((b >= 0x30 && b <= 0x39) || b === 0x2d)) {
      let j = i;
      while (j < end && buf[j] !== 0x2c && buf[j] !== 0x7d && buf[j] !== 0x20) j++;
      id = Buffer.from(buf.buffer, buf.byteOffset + i, j - i).toString('latin1');
      key = 0;
      i = j;
      continue;
    }
    i++;
  }
  const out: LineScan = { id, tokens, titleTokens };
  if (title) out.title = title;
  if (text) out.text = text;
  return out;
}

/** Cuts of the text string content `buf[start, end)` into passages of about `target` tokens. */
export function passageCuts(buf: Uint8Array, start: number, end: number, target: number): PassageCut[] {
  const cuts: PassageCut[] = [];
  countStringTokens(buf, start, end, { target, cuts });
  return cuts;
}

const encoder = new TextEncoder();

/**
 * The document of a scanned line as passage lines (`{"_id":"<id>#<n>","title":...,"text":...}`,
 * one per cut, each ending in a newline), byte for byte from the line; with their tokens (the
 * title's are counted once, in the first passage: the haystack holds the document's text once).
 */
export function passageLines(
  buf: Uint8Array,
  scan: LineScan & { id: string; text: [number, number] },
  cuts: readonly PassageCut[],
): { id: string; bytes: Uint8Array[]; tokens: number }[] {
  const title = scan.title ? buf.subarray(scan.title[0], scan.title[1]) : new Uint8Array(0);
  const out: { id: string; bytes: Uint8Array[]; tokens: number }[] = [];
  let from = scan.text[0];
  cuts.forEach((c, n) => {
    const id = `${scan.id}#${n}`;
    out.push({
      id,
      tokens: c.tokens + (n === 0 ? scan.titleTokens : 0),
      bytes: [
        encoder.encode(`{"_id":${JSON.stringify(id)},"title":"`),
        title,
        encoder.encode('","text":"'),
        buf.subarray(from, c.end),
        encoder.encode('"}\n'),
      ],
    });
    from = c.end;
  });
  return out;
}
