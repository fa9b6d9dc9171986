/**
 * @module reader/sentences
 * Sentence splitting with offsets. `Intl.Segmenter` (ICU, Unicode UAX #29) finds the candidate
 * boundaries, which already handles decimals ("2.5"), lowercase after a period ("e.g. this") and
 * CJK punctuation (。！？) without spaces; on top of it we undo the breaks ICU makes after common
 * abbreviations and initials ("Dr. Smith", "J. R. R. Tolkien") and inside hard-wrapped lines, and cut
 * overlong runs. Pure; offsets are UTF-16 offsets in the input.
 */

/** A sentence and where it sits in the text it was cut from. */
export interface Sentence {
  /** Offset of the first non-space character. */
  start: number;
  /** Offset just past the last non-space character. */
  end: number;
  /** `text.slice(start, end)`. */
  text: string;
}

/** Options of {@link splitSentences}. */
export interface SplitOptions {
  /** Longest sentence kept whole; longer runs are cut at a space near the limit. Default 600. */
  maxChars?: number;
}

/**
 * About 100 words of English prose: long enough for any real sentence, short enough that a list or a
 * table flattened into one line does not become one giant "sentence".
 */
const DEFAULT_MAX_CHARS = 600;

/**
 * Titles and the like, after which ICU breaks before a capital but a sentence rarely ends (lowercase,
 * without the period). Company suffixes (Inc., Ltd.) and "etc." are left out: before a capital they
 * usually do end a sentence.
 */
const TITLES = new Set(
  'mr mrs ms mx dr prof sr jr st mt ft rev fr gen col capt lt sgt cmdr adm gov sen rep pres hon vs cf'.split(
    ' ',
  ),
);
/** Abbreviations that end no sentence when a number follows ("No. 5", "Fig. 2", "Jan. 3"). */
const BEFORE_NUMBER = new Set(
  (
    'no nos vol vols fig figs eq eqs ch sec art p pp approx ca ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The last word before a final period, e.g. "Dr" in "… Dr. " ; undefined when there is none. */
const WORD_BEFORE_PERIOD = /(?:^|[^\p{L}\p{N}.])(\p{L}+)\.["'’”)\]]*\s*$/u;
/** A single capital letter and a period at the end: an initial ("J. "). */
const INITIAL_AT_END = /(?:^|[\s(])\p{Lu}\.\s*$/u;
/** A sentence-ending mark at the end of a segment. */
const TERMINAL_AT_END = /[.!?。！？…:;]["'’”)\]]*\s*$/u;

function endsWithAbbreviation(segment: string, next: string): boolean {
  if (INITIAL_AT_END.test(segment)) return true;
  const match = WORD_BEFORE_PERIOD.exec(segment);
  if (match === null) return false;
  const word = match[1].toLowerCase();
  return TITLES.has(word) || (BEFORE_NUMBER.has(word) && /^\s*\p{N}/u.test(next));
}

/** Hard-wrapped prose: one line break (not a blank line), no end mark, the next line goes on in lowercase. */
function isWrappedLine(segment: string, next: string): boolean {
  if (!/[^\n]\n[ \t]*$/.test(segment) || TERMINAL_AT_END.test(segment)) return false;
  return /^[ \t]*[\p{Ll}\p{N}(]/u.test(next);
}

function shouldJoin(segment: string, next: string): boolean {
  if (/\n\s*\n\s*$/.test(segment)) return false; // a blank line always ends a sentence
  return endsWithAbbreviation(segment, next) || isWrappedLine(segment, next);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Pushes `text[start, end)` trimmed, cut into pieces of at most `maxChars`. */
function pushTrimmed(out: Sentence[], text: string, start: number, end: number, maxChars: number): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  while (end - start > maxChars) {
    let cut = text.lastIndexOf(' ', start + maxChars);
    if (cut <= start + maxChars / 2) {
      cut = start + maxChars;
      if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
    }
    pushTrimmed(out, text, start, cut, maxChars);
    start = cut;
    while (start < end && /\s/.test(text[start])) start++;
  }
  if (end > start) out.push({ start, end, text: text.slice(start, end) });
}

/**
 * Splits text into sentences with their offsets.
 *
 * @example
 * splitSentences('Dr. Smith paid $3.50. 北京是首都。').map((s) => s.text);
 * // → ['Dr. Smith paid $3.50.', '北京是首都。']
 */
export function splitSentences(text: string, options: SplitOptions = {}): Sentence[] {
  const maxChars = Math.max(20, options.maxChars ?? DEFAULT_MAX_CHARS);
  const out: Sentence[] = [];
  let start = -1; // start of the sentence being built
  let last = ''; // its last ICU segment: only the end matters for joining
  for (const { index, segment } of SEGMENTER.segment(text)) {
    if (start >= 0 && !shouldJoin(last, segment)) {
      pushTrimmed(out, text, start, index, maxChars);
      start = -1;
    }
    if (start < 0) start = index;
    last = segment;
  }
  if (start >= 0) pushTrimmed(out, text, start, text.length, maxChars);
  return out;
}
