/**
 * @module eval/needle/placement
 * Where needles go and what a context window could see of them.
 *
 * Depths: a needle's depth d ∈ [0, 1) puts it at token ⌊d·N⌋ of an N-token haystack. `start`,
 * `middle` and `end` draw depths within [0, 0.1), [0.45, 0.55) and [0.9, 1.0); `spread` over
 * [0, 1). The M needles of a set (distractors included, in a seeded random order) are stratified
 * within the band: needle j gets lo + (hi − lo)·(j + u)/M with u uniform in [0, 1).
 *
 * The window baseline (docs/EVALUATION.md): a model with a W-token context window reads one
 * contiguous W-token slice of the haystack. `share` = min(1, W/N) is the fraction of the haystack
 * it holds. `best` = the largest fraction of the needed needles that any one W-token slice
 * contains: an upper bound on the needle recall of that window, reached only if the slice were
 * placed knowing where the needles are. For needles spread evenly, best ≈ min(1, W/N).
 */

import type { HaystackLayout } from './haystack.js';
import type { Random } from './random.js';

export const DEPTHS = ['start', 'middle', 'end', 'spread'] as const;
export type Depth = (typeof DEPTHS)[number];

const BANDS: Record<Depth, [number, number]> = {
  start: [0, 0.1],
  middle: [0.45, 0.55],
  end: [0.9, 1],
  spread: [0, 1],
};

/** Token positions of `count` needles at `depth` in a haystack of `tokens` tokens. */
export function needlePositions(count: number, depth: Depth, tokens: number, random: Random): number[] {
  const [lo, hi] = BANDS[depth];
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out = new Array<number>(count);
  for (let j = 0; j < count; j++) {
    const d = lo + ((hi - lo) * (j + random())) / count;
    out[order[j]] = Math.min(tokens - 1, Math.floor(d * tokens));
  }
  return out;
}

/** The document holding token `position` (binary search over the layout's starts). */
export function documentAt(layout: HaystackLayout, position: number): number {
  const { starts } = layout;
  let lo = 0;
  let hi = layout.ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * A host document per needle: the one holding its position, or the next one not yet taken (and
 * accepted by `usable`), so that no two needles share a host.
 */
export function chooseHosts(
  layout: HaystackLayout,
  positions: readonly number[],
  usable: (doc: number) => boolean = () => true,
): number[] {
  const n = layout.ids.length;
  if (positions.length > n) throw new RangeError(`${positions.length} needles but ${n} documents`);
  const taken = new Set<number>();
  return positions.map((p) => {
    let doc = documentAt(layout, p);
    for (let tries = 0; taken.has(doc) || !usable(doc); tries++) {
      if (tries >= n) throw new RangeError('no usable document left for a needle');
      doc = (doc + 1) % n;
    }
    taken.add(doc);
    return doc;
  });
}

/**
 * `text` with `sentence` inserted at the first sentence or line boundary at or after the fraction
 * `at` of its length (or at its end): the needle sits inside real text, not glued to a word.
 */
export function insertSentence(text: string, sentence: string, at: number): string {
  const from = Math.max(0, Math.min(text.length, Math.floor(at * text.length)));
  const boundary = /[.!?]\s+|\n/g;
  boundary.lastIndex = from;
  const m = boundary.exec(text);
  if (m === null) return text === '' ? sentence : `${text}${/\s$/.test(text) ? '' : ' '}${sentence}`;
  const cut = m.index + m[0].length;
  return `${text.slice(0, cut)}${sentence} ${text.slice(cut)}`;
}

export interface WindowBaseline {
  /** Window size in tokens. */
  window: number;
  /** min(1, window / haystack tokens): the share of the haystack the window holds. */
  share: number;
  /** Largest fraction of the needed needles inside any one window-sized slice (an upper bound). */
  best: number;
}

/** The context-window baseline for needles at `positions` in a haystack of `tokens` tokens. */
export function windowBaseline(positions: readonly number[], tokens: number, window: number): WindowBaseline {
  const share = Math.min(1, window / tokens);
  if (positions.length === 0) return { window, share, best: 0 };
  const sorted = [...positions].sort((a, b) => a - b);
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= window) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return { window, share, best: most / sorted.length };
}

/** The windows of the report: 128k, 1M and 2M tokens. */
export const WINDOWS = [128_000, 1_000_000, 2_000_000] as const;
