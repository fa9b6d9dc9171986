/**
 * @module eval/needle/jsonl-scan
 * Reads what the haystack builder needs from one corpus JSONL line without decoding it into a
 * string: the `_id` and the number of tokens of `title` and `text`, counted as ingest's
 * `countTokens` counts them (runs of non-space characters; each Chinese, Japanese or Korean
 * character is one token). The line's bytes then go to a builder thread as they are, so a 7 GB
 * corpus is never held as JS strings on this thread.
 */

/** What the scan found: the id (undefined if the line has no string `_id`) and the tokens. */
export interface LineScan {
  id: string | undefined;
  tokens: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** CJK scripts that ingest counts one character at a time (Han, Hiragana, Katakana, Hangul). */
function isCjk(cp: number): boolean {
  return (
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
function countStringTokens(buf: Uint8Array, start: number, end: number): number {
  let tokens = 0;
  let inWord = false;
  let i = start;
  while (i < end) {
    const b = buf[i];
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
    if (isSpace(cp)) inWord = false;
    else if (isCjk(cp)) {
      tokens++;
      inWord = false;
    } else if (!inWord) {
      tokens++;
      inWord = true;
    }
  }
  return tokens;
}

/**
 * Scans the JSON object on `buf[start, end)`: the `_id` (a string, or a number as text) and the
 * tokens of its top-level `title` and `text` strings. Nested values are skipped.
 */
export function scanJsonlLine(buf: Uint8Array, start: number, end: number): LineScan {
  let depth = 0;
  let expectKey = false;
  let key = 0; // 1 _id, 2 title/text, 0 other
  let id: string | undefined;
  let tokens = 0;
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b === QUOTE) {
      const s = i + 1;
      let j = s;
      while (j < end && buf[j] !== QUOTE) j += buf[j] === BACKSLASH ? 2 : 1;
      if (depth === 1 && expectKey) {
        key = keyIs(buf, s, j, KEY_ID)
          ? 1
          : keyIs(buf, s, j, KEY_TITLE) || keyIs(buf, s, j, KEY_TEXT)
            ? 2
            : 0;
        expectKey = false;
      } else if (depth === 1) {
        if (key === 1)
          id = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + i, j + 1 - i).toString('utf8'));
        else if (key === 2) tokens += countStringTokens(buf, s, j);
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
  return { id, tokens };
}
