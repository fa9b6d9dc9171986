/**
 * @module reader/verify
 * Citation verification: a cited span must exist verbatim at its stated offsets of its stated
 * document. Pure functions; a failure is a reason string, never an exception.
 */

import type { Citation, DocumentText, DroppedCitation, Passage } from './types.js';

/** The outcome of verifying one citation. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Where verification reads text: a lookup of full document texts (authoritative), or the passages
 * themselves (then a span must lie inside the cited passage, which must belong to the cited document).
 */
export type TextSource = DocumentText | readonly Passage[];

/** Longest excerpt of mismatching text quoted in a reason. */
const EXCERPT_CHARS = 60;

function excerpt(text: string): string {
  return JSON.stringify(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);
}

function spanName(c: Citation): string {
  return `[${c.start}, ${c.end})`;
}

/** Checks offsets and quote against `text`, which starts at document offset `base`. */
function checkSpan(c: Citation, text: string, base: number, what: string): Verdict {
  if (c.start - base < 0 || c.end - base > text.length) {
    return {
      ok: false,
      reason: `span ${spanName(c)} is out of range: ${what} covers [${base}, ${base + text.length})`,
    };
  }
  const found = text.slice(c.start - base, c.end - base);
  if (found === c.quote) return { ok: true };
  const elsewhere = text.indexOf(c.quote);
  if (elsewhere >= 0) {
    const at = base + elsewhere;
    return {
      ok: false,
      reason: `quote is at [${at}, ${at + c.quote.length}), not at the stated ${spanName(c)}`,
    };
  }
  return { ok: false, reason: `quote not found in ${what}; the text at ${spanName(c)} is ${excerpt(found)}` };
}

function checkShape(c: Citation): Verdict {
  if (typeof c.quote !== 'string' || c.quote.length === 0) return { ok: false, reason: 'empty quote' };
  if (!Number.isSafeInteger(c.start) || !Number.isSafeInteger(c.end) || c.start < 0 || c.end <= c.start) {
    return { ok: false, reason: `illegal span ${spanName(c)}: must be integers with 0 <= start < end` };
  }
  if (c.end - c.start !== c.quote.length) {
    return {
      ok: false,
      reason: `span ${spanName(c)} has length ${c.end - c.start} but the quote has length ${c.quote.length}`,
    };
  }
  return { ok: true };
}

function verifyInPassages(c: Citation, passages: readonly Passage[]): Verdict {
  const passage = passages.find((p) => p.n === c.passage);
  if (passage === undefined) return { ok: false, reason: `unknown passage [${c.passage}]` };
  if (passage.docId !== c.docId) {
    return {
      ok: false,
      reason: `passage [${c.passage}] is from document ${JSON.stringify(passage.docId)}, not ${JSON.stringify(c.docId)}`,
    };
  }
  return checkSpan(c, passage.text, passage.offset, `passage [${c.passage}]`);
}

/**
 * Verifies that `c.quote` is exactly the text at `[c.start, c.end)` of document `c.docId`.
 *
 * @example
 * verifyCitation({ passage: 1, docId: 'a', start: 0, end: 5, quote: 'Hello' }, () => 'Hello world');
 * // → { ok: true }
 */
export function verifyCitation(c: Citation, source: TextSource): Verdict {
  const shape = checkShape(c);
  if (!shape.ok) return shape;
  if (typeof source !== 'function') return verifyInPassages(c, source);
  const text = source(c.docId);
  if (text === undefined) return { ok: false, reason: `unknown document ${JSON.stringify(c.docId)}` };
  return checkSpan(c, text, 0, `document ${JSON.stringify(c.docId)} (${text.length} characters)`);
}

/** Splits citations into verified ones (in order) and dropped ones with their reasons. */
export function checkCitations(
  citations: readonly Citation[],
  source: TextSource,
): { citations: Citation[]; dropped: DroppedCitation[] } {
  const kept: Citation[] = [];
  const dropped: DroppedCitation[] = [];
  for (const citation of citations) {
    const verdict = verifyCitation(citation, source);
    if (verdict.ok) kept.push(citation);
    else dropped.push({ citation, reason: verdict.reason });
  }
  return { citations: kept, dropped };
}
