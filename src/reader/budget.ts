/**
 * @module reader/budget
 * Token estimates and packing passages into a token budget. No tokenizer is loaded: the estimate is
 * one token per 4 characters of alphabetic text (the usual rule for English BPE vocabularies) and one
 * per CJK character (CJK text costs about a token per character, so chars/4 would under-count it 4x).
 */

import { InvalidArgumentError } from '../errors.js';
import type { Passage } from './types.js';

/** Default passage budget: fits an 8k-token context with room for the prompt and the answer. */
export const DEFAULT_PASSAGE_TOKENS = 6000;

/** `maxTokens` with its default applied; throws InvalidArgumentError unless it is a number > 0. */
export function resolveBudget(maxTokens: number | undefined): number {
  if (maxTokens === undefined) return DEFAULT_PASSAGE_TOKENS;
  if (typeof maxTokens !== 'number' || !(maxTokens > 0)) {
    throw new InvalidArgumentError(`reader: illegal maxTokens=${maxTokens}, must be a number > 0`);
  }
  return maxTokens;
}

/** Han, kana, hangul and CJK punctuation/full-width forms: about one token each. */
const CJK_CHAR =
  /[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u{20000}-\u{2fa1f}]/u;
const CJK_ALL = new RegExp(CJK_CHAR.source, 'gu');

/** Estimated tokens of `text`: ceil(other chars / 4) + CJK chars. */
export function estimateTokens(text: string): number {
  let cjk = 0;
  let cjkUnits = 0; // UTF-16 units of the CJK chars, 2 for those outside the BMP
  for (const m of text.matchAll(CJK_ALL)) {
    cjk++;
    cjkUnits += m[0].length;
  }
  return Math.ceil((text.length - cjkUnits) / 4) + cjk;
}

/** Length of the longest prefix of `text` estimated at no more than `budget` tokens. */
function prefixWithin(text: string, budget: number): number {
  let cjk = 0;
  let other = 0;
  let i = 0;
  for (const ch of text) {
    if (CJK_CHAR.test(ch)) cjk++;
    else other += ch.length;
    if (Math.ceil(other / 4) + cjk > budget) break;
    i += ch.length; // whole code points: never half a surrogate pair
  }
  return i;
}

/** Passages chosen by {@link packPassages}. */
export interface Packed {
  /** The chosen passages, in input order; a first passage larger than the budget is cut to fit. */
  passages: Passage[];
  /** Their estimated tokens. */
  tokens: number;
}

/**
 * Takes passages in order while they fit in `budget` tokens, skipping those that do not fit (a later,
 * shorter one may). If not even the first fits and `cutFirst` (default true), its beginning is kept,
 * so something is always read.
 */
export function packPassages(passages: readonly Passage[], budget: number, cutFirst = true): Packed {
  const out: Passage[] = [];
  let tokens = 0;
  for (const passage of passages) {
    const cost = estimateTokens(passage.text);
    if (tokens + cost <= budget) {
      out.push(passage);
      tokens += cost;
    }
  }
  if (cutFirst && out.length === 0 && passages.length > 0 && budget > 0) {
    const first = passages[0];
    const text = first.text.slice(0, prefixWithin(first.text, budget));
    out.push({ ...first, text });
    tokens = estimateTokens(text);
  }
  return { passages: out, tokens };
}
