/**
 * @module ingest/passages
 * A document → passages of about `targetTokens` tokens (never more than `maxTokens`, unless one
 * word is longer), cut on heading, page, paragraph and sentence boundaries, in that order of
 * preference, and never inside a word. A token is a word as the index sees one: a run of letters,
 * digits and underscores (so `Path::new("/foo")` is three tokens, not one: code is measured as the
 * index will score it, and a passage of code is no longer than a passage of prose), except that
 * each Chinese, Japanese or Korean character counts as one token (and a boundary may fall between
 * two of them). Spaces, ASCII punctuation and the punctuation blocks (Latin-1's, General
 * Punctuation, CJK Symbols and Punctuation, fullwidth ASCII punctuation) separate tokens.
 *
 * Each passage carries `start`/`end` offsets with `text.slice(start, end) === passage.text`, the
 * heading path at its start, its page (when the document has pages) and the document's metadata.
 *
 * Passage ids are `${docId}#${hash}` where `hash` is 12 hex digits of the SHA-256 of the passage
 * text, with `~k` appended for the k-th (k ≥ 2) passage of the document with the same text. So an
 * edit to one part of a document changes only the ids of the passages it touches (and, where the
 * edit moves a boundary, their neighbours'), and re-ingesting an unchanged document gives the same
 * ids. A positional `#n` would renumber every passage after an inserted paragraph.
 */

import { hash as digest } from 'node:crypto';
import { InvalidArgumentError } from '../errors.js';
import type { DocumentInput, MetaValue } from '../types.js';
import type { ParsedHeading, ParsedPage } from './parsed.js';

export interface PassageSource {
  id: string;
  title?: string;
  text: string;
  meta?: Record<string, MetaValue | MetaValue[]>;
  headings?: ParsedHeading[];
  pages?: ParsedPage[];
  /** The file line on which `text` starts, when `text` is the file's lines: passages get lines. */
  firstLine?: number;
}

export interface PassageOptions {
  /** Passages are closed once they reach this many tokens (default 200). */
  targetTokens?: number;
  /** No passage is longer (default 400), unless a single word is. */
  maxTokens?: number;
}

export interface Passage {
  /** `${docId}#${hash of the text}` (plus `~k` for repeated texts): see the module comment. */
  id: string;
  docId: string;
  /** Position among the document's passages, from 0. */
  ordinal: number;
  title: string;
  /** Titles of the enclosing headings, outermost first (empty without headings). */
  headingPath: string[];
  /** `docText.slice(start, end) === text`. */
  start: number;
  end: number;
  text: string;
  tokens: number;
  /** The page the passage starts on, when the document has pages. */
  page?: number;
  /** The file lines of its first and last characters, when the source has `firstLine`. */
  line?: number;
  lineEnd?: number;
  meta: Record<string, MetaValue | MetaValue[]>;
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** Characters that never belong to a token (see {@link isWordCode}); `_` does. */
const SEPARATORS =
  '\\s\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\xbf\\u2000-\\u206f\\u3000-\\u303f\\uff01-\\uff0f';
const TOKEN = new RegExp(`[${CJK}]|[^${SEPARATORS}${CJK}]+`, 'gu');
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');

/** ASCII letters, digits and `_`. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? 1 : 0;

/**
 * Whether code point (or UTF-16 unit) `c` can be part of a token, CJK aside: an ASCII letter, digit
 * or `_`, or any other character that is neither whitespace nor in a punctuation block (U+0080-
 * U+00BF, U+2000-U+206F, U+3000-U+303F, U+FF01-U+FF0F). One rule for strings here and for the
 * bytes of the haystack scanner (eval/needle/jsonl-scan).
 */
export function isWordCode(c: number): boolean {
  if (c < 0x80) return ASCII_WORD[c] === 1;
  if (c < 0xc0) return false;
  if (c >= 0x2000 && c <= 0x206f) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xff01 && c <= 0xff0f) return false;
  return !isSpace(c);
}

/** {@link isWordCode} of every unit below U+2E80 (no CJK there), one load per character. */
const LOW_WORD = Uint8Array.from({ length: 0x2e80 }, (_, c) => (isWordCode(c) ? 1 : 0));

/** Whether UTF-16 unit `c` is whitespace as the regex `\s` has it. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Tokens in `text` (words, and CJK characters one by one): what the regex {@link TOKEN} counts, by
 * a loop over char codes (the regex was a tenth of folder ingestion's main thread). Below U+2E80
 * no character is CJK; above, the regex decides for that one character.
 */
export function countTokens(text: string): number {
  return countTokensIn(text, 0, text.length, Number.POSITIVE_INFINITY);
}

/**
 * {@link countTokens} of `text[start, end)`, without slicing it, stopping once more than `limit`
 * are found (a paragraph only has to be known to be over the target: its sentences are counted
 * next).
 */
function countTokensIn(text: string, start: number, end: number, limit: number): number {
  let n = 0;
  let inWord = 0; // 1 inside a word
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x2e80) {
      // Branch-free: a word starts where a word unit follows a non-word one (twice as fast).
      const w = LOW_WORD[c];
      n += w & (inWord ^ 1);
      inWord = w;
      if (n > limit) return n;
      continue;
    }
    const astral = c >= 0xd800 && c <= 0xdbff && i + 1 < end;
    const ch = astral ? text.slice(i, i + 2) : text[i];
    if (astral) i++;
    if (CJK_CHAR.test(ch)) {
      n++;
      inWord = 0;
    } else if (!isWordCode(c)) inWord = 0;
    else if (inWord === 0) {
      inWord = 1;
      n++;
    }
    if (n > limit) return n;
  }
  return n;
}

/** A span of the text that is never cut, with the strength of the boundary before it. */
interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** 3 section (heading or page), 2 paragraph, 1 sentence, 0 words. */
  strength: number;
}

let sentenceSegmenter: Intl.Segmenter | undefined;

/** Cuts `doc` into passages (see the module comment); a blank document has none. */
export function toPassages(doc: PassageSource, options: PassageOptions = {}): Passage[] {
  const target = options.targetTokens ?? 200;
  const max = options.maxTokens ?? Math.max(400, target);
  if (!Number.isInteger(target) || target < 1)
    throw new InvalidArgumentError(`toPassages: illegal targetTokens=${target}, must be an integer >= 1`);
  if (!Number.isInteger(max) || max < target)
    throw new InvalidArgumentError(
      `toPassages: illegal maxTokens=${max}, must be an integer >= targetTokens (${target})`,
    );
  const text = doc.text;
  const headings = [...(doc.headings ?? [])]
    .filter((h) => h.offset >= 0 && h.offset < text.length)
    .sort((a, b) => a.offset - b.offset);
  const pages = [...(doc.pages ?? [])].sort((a, b) => a.offset - b.offset);

  const cuts = new Set<number>([0, text.length]);
  for (const h of headings) cuts.add(h.offset);
  for (const p of pages) if (p.offset > 0 && p.offset < text.length) cuts.add(p.offset);
  const sections = [...cuts].sort((a, b) => a - b);

  const units: Unit[] = [];
  for (let s = 0; s + 1 < sections.length; s++) {
    let strength = 3;
    for (const [pStart, pEnd] of paragraphs(text, sections[s], sections[s + 1])) {
      splitParagraph(text, pStart, pEnd, strength, target, max, units);
      strength = 2;
    }
  }

  // Greedy packing: close a passage at a section, at the target, before the maximum, or at a
  // paragraph once it is half full and the paragraph would carry it past the target.
  const spans: { start: number; end: number; tokens: number }[] = [];
  let cur: { start: number; end: number; tokens: number } | undefined;
  for (const u of units) {
    if (cur !== undefined) {
      const close =
        u.strength === 3 ||
        cur.tokens >= target ||
        cur.tokens + u.tokens > max ||
        (u.strength === 2 && cur.tokens >= target / 2 && cur.tokens + u.tokens > target);
      if (close) {
        spans.push(cur);
        cur = undefined;
      }
    }
    if (cur === undefined) cur = { start: u.start, end: u.end, tokens: u.tokens };
    else {
      cur.end = u.end;
      cur.tokens += u.tokens;
    }
  }
  if (cur !== undefined) spans.push(cur);

  const seen = new Map<string, number>();
  const meta = doc.meta ?? {};
  const title = doc.title ?? '';
  let h = 0;
  const stack: ParsedHeading[] = [];
  let p = 0;
  // Lines: newlines are counted once, front to back, as the spans come in order.
  let line = doc.firstLine ?? 1;
  let newline = -2; // the next newline not yet counted (-1: none; -2: not looked for yet)
  const lineAt = (offset: number) => {
    if (newline === -2) newline = text.indexOf('\n');
    while (newline >= 0 && newline < offset) {
      line++;
      newline = text.indexOf('\n', newline + 1);
    }
    return line;
  };
  return spans.map((span, ordinal) => {
    while (h < headings.length && headings[h].offset <= span.start) {
      const next = headings[h++];
      while (stack.length > 0 && stack[stack.length - 1].level >= next.level) stack.pop();
      stack.push(next);
    }
    while (p + 1 < pages.length && pages[p + 1].offset <= span.start) p++;
    const passageText = text.slice(span.start, span.end);
    const hash = digest('sha256', passageText, 'hex').slice(0, 12);
    const k = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, k);
    const passage: Passage = {
      id: k === 1 ? `${doc.id}#${hash}` : `${doc.id}#${hash}~${k}`,
      docId: doc.id,
      ordinal,
      title,
      headingPath: stack.map((x) => x.title),
      start: span.start,
      end: span.end,
      text: passageText,
      tokens: span.tokens,
      meta,
    };
    if (pages.length > 0 && pages[p].offset <= span.start) passage.page = pages[p].page;
    if (doc.firstLine !== undefined) {
      passage.line = lineAt(span.start);
      passage.lineEnd = lineAt(span.end - 1);
    }
    return passage;
  });
}

/**
 * The paragraphs of `text[from, to)` as trimmed `[start, end)` spans (blank ones dropped). A break
 * is what the regex `\n[ \t\r\f\v]*\n\s*` matches, found by a scan from each newline: the
 * regex over the whole text cost more than the rest of the cutting.
 */
function paragraphs(text: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let last = from;
  let nl = text.indexOf('\n', from);
  while (nl >= 0 && nl < to) {
    let j = nl + 1;
    while (j < to && isBlankInLine(text.charCodeAt(j))) j++;
    if (j < to && text.charCodeAt(j) === 0x0a) {
      j++;
      while (j < to && isSpace(text.charCodeAt(j))) j++;
      const span = trim(text, last, nl);
      if (span !== undefined) out.push(span);
      last = j;
      nl = j < to ? text.indexOf('\n', j) : -1;
    } else nl = j < to ? text.indexOf('\n', j) : -1;
  }
  const span = trim(text, last, to);
  if (span !== undefined) out.push(span);
  return out;
}

/** Space, tab, CR, form feed or vertical tab: what may stand between the newlines of a break. */
function isBlankInLine(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b;
}

function trim(text: string, start: number, end: number): [number, number] | undefined {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  // Never leave half of a surrogate pair.
  return start < end ? [start, end] : undefined;
}

/** Longest stretch of text given to the sentence segmenter at once (see {@link sentenceSpans}). */
export const SENTENCE_WINDOW = 8192;
/** Boundaries this close to a window's end are decided again in the next window. */
const LOOKAHEAD = 512;

/**
 * The sentences of `text[start, end)` as absolute spans. Intl.Segmenter on Node 20 takes time
 * quadratic in the length of the string it is given (160 k characters: 4-5 s; 40 k: 0.02-0.1 s),
 * so the text goes to it in windows of at most {@link SENTENCE_WINDOW} characters, each cut after
 * a whitespace. Whether a boundary stands can depend on what follows it (after "etc. ", a
 * lowercase word means no break, and the rule looks past punctuation and symbols), so only the
 * sentences that end at least {@link LOOKAHEAD} characters before a window's cut are taken from
 * it; the next window starts at the first sentence not taken. A sentence longer than that is
 * taken whole from its window, cut at the window's end if it runs past it.
 */
export function* sentenceSpans(text: string, start: number, end: number): Generator<[number, number]> {
  sentenceSegmenter ??= new Intl.Segmenter('und', { granularity: 'sentence' });
  let pos = start;
  while (pos < end) {
    let stop = Math.min(end, pos + SENTENCE_WINDOW);
    if (stop < end) {
      // Cut after a whitespace in the window's second half, and never inside a surrogate pair.
      let cut = stop;
      while (cut > pos + SENTENCE_WINDOW / 2 && !/\s/.test(text[cut - 1])) cut--;
      if (cut > pos + SENTENCE_WINDOW / 2) stop = cut;
      else if (/[\uDC00-\uDFFF]/.test(text[stop])) stop--;
    }
    const last = stop === end ? end : stop - LOOKAHEAD;
    let next = pos;
    for (const seg of sentenceSegmenter.segment(text.slice(pos, stop))) {
      const segEnd = pos + seg.index + seg.segment.length;
      // The first sentence is always taken, so that every window moves on.
      if (segEnd > last && next > pos) break;
      yield [pos + seg.index, segEnd];
      next = segEnd;
    }
    if (next === pos) break;
    pos = next;
  }
}

/** Appends a paragraph's units: whole when small, else sentences, else runs of words. */
function splitParagraph(
  text: string,
  start: number,
  end: number,
  strength: number,
  target: number,
  max: number,
  units: Unit[],
): void {
  const tokens = countTokensIn(text, start, end, target);
  if (tokens <= target) {
    units.push({ start, end, tokens, strength });
    return;
  }
  for (const [from, to] of sentenceSpans(text, start, end)) {
    const span = trim(text, from, to);
    if (span === undefined) continue;
    const n = countTokensIn(text, span[0], span[1], Number.POSITIVE_INFINITY);
    if (n <= max) units.push({ start: span[0], end: span[1], tokens: n, strength });
    else splitWords(text, span[0], span[1], strength, target, units);
    strength = 1;
  }
}

/**
 * Appends runs of at most `target` tokens, cut just before a token (between words, or between CJK
 * characters): punctuation stays with the token before it, and no character is left out.
 */
function splitWords(
  text: string,
  start: number,
  end: number,
  strength: number,
  target: number,
  units: Unit[],
): void {
  const sentence = text.slice(start, end);
  let runStart = 0;
  let n = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(sentence); m !== null; m = TOKEN.exec(sentence)) {
    if (n === target) {
      let runEnd = m.index;
      while (runEnd > runStart && isSpace(sentence.charCodeAt(runEnd - 1))) runEnd--;
      units.push({ start: start + runStart, end: start + runEnd, tokens: n, strength });
      strength = 0;
      n = 0;
      runStart = m.index;
    }
    n++;
  }
  units.push({ start: start + runStart, end, tokens: n, strength });
}

/** Whether `ch` is a CJK character (each one a token). */
export function isCjk(ch: string): boolean {
  return CJK_CHAR.test(ch);
}

/**
 * A passage as a document to index: its id, the document's title, its text, and the document's
 * metadata plus its provenance (`doc`, `start`, `end`, `heading` joined by " > ", `page`, `line`,
 * `line-end`). `doc`, the source document's id, is left out when the metadata's `path` already
 * says it (a file that is one document): a folder's passages would otherwise store the path twice,
 * a third of their metadata. The source document is `doc ?? path`.
 */
export function passageDocument(p: Passage): DocumentInput {
  const meta: Record<string, MetaValue | MetaValue[]> = { ...p.meta };
  if (p.meta.path !== p.docId) meta.doc = p.docId;
  meta.start = p.start;
  meta.end = p.end;
  if (p.headingPath.length > 0) meta.heading = p.headingPath.join(' > ');
  if (p.page !== undefined) meta.page = p.page;
  if (p.line !== undefined) meta.line = p.line;
  if (p.lineEnd !== undefined) meta['line-end'] = p.lineEnd;
  return { id: p.id, title: p.title, text: p.text, meta };
}
