/**
 * @module funnel/neural/common
 * What the neural rerankers share: the passage each candidate is judged by (the best window of its
 * document, see funnel/passages), the stage's call limits, and the output step that adds the
 * stage's score to every candidate without erasing earlier scores or features, sorts and cuts.
 */

import type { Passage } from '../../reader/types.js';
import { toPassages } from '../passages.js';
import type { StageSpec } from '../profile.js';
import type { Candidate, StageContext } from '../types.js';
import type { CallLimits } from './http.js';
import type { OptionSource } from './options.js';

/** Candidates with the passage each is judged by; those whose document is gone are left out. */
export interface Judged {
  candidates: Candidate[];
  passages: Passage[];
  /** Candidates left out because their document could no longer be read. */
  missing: number;
}

/** The query's terms that choose each document's window (as the reader stage chooses them). */
export function queryTerms(ctx: StageContext): Set<string> {
  return new Set(ctx.query.clauses.filter((c) => c.occur !== 'mustNot').flatMap((c) => c.terms));
}

/** The passage of each candidate, paired with it. */
export function judgedPassages(input: readonly Candidate[], ctx: StageContext): Judged {
  const passages = toPassages(ctx.engine, input, queryTerms(ctx), input.length);
  const byId = new Map(input.map((c) => [c.id, c]));
  const candidates = passages.map((p) => byId.get(p.docId)!);
  return { candidates, passages, missing: input.length - passages.length };
}

/** A passage as one input string of a model: its title, then its text. */
export function passageInput(p: Passage, maxChars: number): string {
  const text = p.text.length > maxChars ? cut(p.text, maxChars) : p.text;
  return p.title ? `${p.title}\n${text}` : text;
}

/** `text` cut to at most `max` characters, at the last whitespace when there is one near the end. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.search(/\s\S*$/);
  return space > max * 0.8 ? head.slice(0, space) : head;
}

/** The option source of a stage: its label, its options, the environment. */
export function optionSource(
  spec: StageSpec,
  ctx: StageContext,
  env: Record<string, string | undefined>,
): OptionSource {
  return { stage: ctx.trace.stage, options: spec.options, env };
}

/** The stage's limits for its HTTP calls. */
export function callLimits(spec: StageSpec, ctx: StageContext): CallLimits {
  return {
    stage: ctx.trace.stage,
    budgetMs: spec.budgetMs,
    deadline: ctx.deadline,
    signal: ctx.signal,
    work: ctx.trace.work,
  };
}

/** Adds `n` to a work counter. */
export function count(ctx: StageContext, name: string, n: number): void {
  ctx.trace.work[name] = (ctx.trace.work[name] ?? 0) + n;
}

/** Scores rescaled to [0, 1] by min and max; all 0 when they are all equal. */
export function minMax(scores: readonly number[]): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const range = hi - lo;
  return scores.map((s) => (range > 0 && Number.isFinite(range) ? (s - lo) / range : 0));
}

/**
 * Each candidate's model value `raw` (a cosine) as its score, interpolated with its previous
 * stage's min-max normalised score: `alpha * prev + (1 - alpha) * raw`.
 */
export function interpolated(
  candidates: readonly Candidate[],
  raw: readonly number[],
  alpha: number,
): number[] {
  const prev = minMax(candidates.map((c) => c.score));
  return raw.map((value, i) => alpha * prev[i] + (1 - alpha) * value);
}

/**
 * The stage's output: each candidate with `score` set, recorded under the stage label, and its raw
 * model value kept as feature `feature`; sorted by score (ties by id), at most `keep`.
 */
export function ranked(
  candidates: readonly Candidate[],
  scores: readonly number[],
  raw: readonly number[],
  feature: string,
  ctx: StageContext,
  keep: number,
): Candidate[] {
  const label = ctx.trace.stage;
  const out = candidates.map((c, i) => ({
    ...c,
    score: scores[i],
    scores: { ...c.scores, [label]: scores[i] },
    features: { ...c.features, [feature]: raw[i] },
  }));
  out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out.slice(0, keep);
}
