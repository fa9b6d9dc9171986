/**
 * @module search/searcher
 * Fan-out and merge. A search parses the query once, sums statistics over every shard, builds one
 * plan, lets each shard score its segments into its own top-k (`searchShard`: plain data in, plain
 * data out, so a shard can move to a worker or another machine), then merges the shards' lists by
 * (score desc, id asc) and fetches titles and snippets for the final hits only.
 */

import type { Analyzer } from '../analysis/index.js';
import { FunnelError, InvalidArgumentError } from '../errors.js';
import type { Segment } from '../index/segment.js';
import type { SegmentState, Shard } from '../index/shard.js';
import type { Hit } from '../types.js';
import type { Bm25Params } from './bm25.js';
import { IdColumn } from './id-column.js';
import { parseQuery } from './parse-query.js';
import { collectionStats, makePlan, type Plan } from './plan.js';
import type { Query } from './query.js';
import { type Resume, resetScratch, Scratch, scoreSegment } from './score-segment.js';
import type { ShardThreads } from './shard-threads.js';
import { makeSnippet } from './snippet.js';
import { TopK } from './top-k.js';

export interface SearchOptions {
  /** Number of hits, 1..1,000,000 (default 10). */
  k?: number;
  /** Include title and metadata (default true). */
  stored?: boolean;
  /** Add a snippet with the matches marked (default false). */
  snippets?: boolean;
  markers?: [string, string];
}

export interface SearchWork {
  shards: number;
  segments: number;
  postings: number;
  matched: number;
}

export interface SearchResult {
  hits: Hit[];
  /** Documents that matched the query (before top-k). */
  total: number;
  tookMs: number;
  work: SearchWork;
  query: Query;
}

/**
 * One shard's answer: plain data, its top k as columns of places (segment seq and doc), sorted by
 * (score desc, key asc, id asc) unless `searchShard` was asked for them unsorted. Ids are named
 * once, for the hits the merge keeps.
 */
export interface ShardHits {
  scores: Float64Array;
  /** Tie keys (`index/id-key`): equal scores are ordered by key, then id. */
  keys: Float64Array;
  /** Segment seq and doc number of each hit, to fetch stored fields. */
  seqs: Float64Array;
  docs: Float64Array;
  postings: number;
  matched: number;
  segments: number;
}

export const MAX_K = 1_000_000;

const scratch = new Scratch();
/** Per segment, the scratch a carry uses (kept for the next query: fresh memory is slow to touch). */
const carried = new WeakMap<Segment, Scratch>();

/**
 * Accumulators kept between two searches of one query: the first (`keep`) scores a query and
 * leaves each segment's scores in place; the second scores only the clauses the longer query adds
 * (`from`) on top of them, and frees them. Used by feedback, whose second pass repeats the first
 * pass's clauses. Each segment gets its own scratch while carried (about 17 bytes per doc).
 */
let nextCarryId = 1;

export class Carry {
  /** Names this carry to search threads, which keep its scores for the shards they score. */
  readonly id = nextCarryId++;
  /** Called on release (search threads drop the scores they kept for this carry). */
  onRelease: (() => void) | undefined;
  /** Per segment (by seq): its scratch and where its scoring stands. */
  readonly segments = new Map<number, { scratch: Scratch; resume: Resume; docs: number }>();
  /** The segments (seq list) the first search saw; another set means start over. */
  seqs = '';

  /** Frees the kept scores (a no-op once a second search used them). */
  release(): void {
    this.onRelease?.();
    for (const { scratch: s, resume, docs } of this.segments.values())
      resetScratch(s, resume.touched, resume.excludedAny, docs);
    this.segments.clear();
    this.seqs = '';
  }
}

/** How a search uses a carry: keep its accumulators, or resume from them at clause `from`. */
export type CarryUse = { carry: Carry; mode: 'keep' } | { carry: Carry; mode: 'resume'; from: number };

/**
 * Scores every segment of a shard and returns its top k; with `sorted` false, in no particular
 * order (the merge of several shards sorts once).
 */
export function searchShard(
  shard: Pick<Shard, 'segments'>,
  plan: Plan,
  k: number,
  use?: CarryUse,
  sorted = true,
): ShardHits {
  const states: SegmentState[] = shard.segments;
  // Ids are decoded only to name ties of equal keys (rare).
  const topk = new TopK(k, (ref) => states[Math.floor(ref / 2 ** 32)].segment.idList()[ref % 2 ** 32]);
  let postings = 0;
  let matched = 0;
  for (let s = 0; s < states.length; s++) {
    const base = s * 2 ** 32;
    const keys = states[s].segment.idKeys();
    let own = scratch;
    let resume: Resume | undefined;
    if (use) {
      const docs = states[s].segment.docCount;
      let kept = use.carry.segments.get(states[s].seq);
      if (!kept && use.mode === 'keep') {
        const segment = states[s].segment;
        let own = carried.get(segment);
        if (!own) {
          own = new Scratch();
          carried.set(segment, own);
        }
        kept = { scratch: own, resume: { from: 0, touched: 0, excludedAny: false, keep: true }, docs };
        use.carry.segments.set(states[s].seq, kept);
      }
      if (kept) {
        own = kept.scratch;
        resume = kept.resume;
        if (use.mode === 'resume') {
          resume.from = use.from;
          resume.keep = false;
        }
      }
    }
    const work = scoreSegment(
      states[s],
      plan,
      own,
      (score, doc) => {
        // Most matches of a wide query fall below the threshold: no tie key read for them.
        if (score >= topk.threshold) topk.offer(score, base + doc, keys[doc]);
      },
      resume,
    );
    // A resumed scoring resets the kept scratch: the carry no longer holds this segment.
    if (use && resume && !resume.keep) use.carry.segments.delete(states[s].seq);
    postings += work.postings;
    matched += work.matched;
  }
  const { scores, refs, keys } = topk.drain(sorted);
  const n = scores.length;
  const places = new Float64Array(2 * n);
  const seqs = places.subarray(0, n);
  const docs = places.subarray(n);
  for (let i = 0; i < n; i++) {
    const s = Math.floor(refs[i] / 2 ** 32);
    seqs[i] = states[s].seq;
    docs[i] = refs[i] % 2 ** 32;
  }
  return { scores, keys, seqs, docs, postings, matched, segments: states.length };
}

/** The merged ranking: hit i is row `rows[i]` of shard list `lists[i]`; `ids` names them. */
interface Picks {
  lists: Int32Array;
  rows: Int32Array;
  ids: IdColumn;
}

/**
 * The k best of the shards' lists by (score desc, key asc, id asc). One list is sorted already;
 * the lists of several shards come unsorted and are cut and sorted once here. Ids are named only
 * when asked for (and for ties of equal keys).
 */
function mergeTop(shards: readonly Shard[], lists: readonly ShardHits[], k: number): Picks {
  const segments = new Map<number, SegmentState>();
  for (const shard of shards) for (const st of shard.segments) segments.set(st.seq, st);
  const idAt = (list: number, row: number): string => {
    const seq = lists[list].seqs[row];
    const state = segments.get(seq);
    if (!state) throw new Error(`search: segment ${seq} of a hit is gone`);
    return state.segment.idList()[lists[list].docs[row]];
  };
  let picks: { lists: Int32Array; rows: Int32Array };
  if (lists.length === 1) {
    const n = Math.min(k, lists[0].scores.length);
    const both = new Int32Array(2 * n);
    picks = { lists: both.subarray(0, n), rows: both.subarray(n) };
    for (let i = 0; i < n; i++) picks.rows[i] = i;
  } else {
    const topk = new TopK(k, (ref) => idAt(Math.floor(ref / 2 ** 32), ref % 2 ** 32));
    lists.forEach((l, list) => {
      const base = list * 2 ** 32;
      for (let row = 0; row < l.scores.length; row++) topk.offer(l.scores[row], base + row, l.keys[row]);
    });
    const { refs } = topk.drain();
    const both = new Int32Array(2 * refs.length);
    picks = { lists: both.subarray(0, refs.length), rows: both.subarray(refs.length) };
    for (let i = 0; i < refs.length; i++) {
      picks.lists[i] = Math.floor(refs[i] / 2 ** 32);
      picks.rows[i] = refs[i] % 2 ** 32;
    }
  }
  const { lists: which, rows } = picks;
  return { ...picks, ids: new IdColumn(rows.length, (i) => idAt(which[i], rows[i])) };
}

export interface SearcherContext {
  shards: readonly Shard[];
  /** Search threads that score shards besides the first, when the engine has them. */
  threads?: ShardThreads;
  analyzer: Analyzer;
  fields: readonly string[];
  params: Bm25Params;
}

/** Where ranked candidates are in the index (shard number, segment seq, doc number), and their scores. */
export interface CandidatePlaces {
  scores: Float64Array;
  shards: Int32Array;
  seqs: Float64Array;
  docs: Float64Array;
}

/** Ranked candidates: their places and their external ids (named on demand). */
export interface CandidateRefs extends CandidatePlaces {
  ids: IdColumn;
}

/** Columns for `n` candidates with the given ids; the numbers share one allocation. */
export function newCandidateRefs(ids: IdColumn): CandidateRefs {
  const n = ids.length;
  const all = new Float64Array(3 * n + Math.ceil(n / 2));
  return {
    ids,
    scores: all.subarray(0, n),
    seqs: all.subarray(n, 2 * n),
    docs: all.subarray(2 * n, 3 * n),
    shards: new Int32Array(all.buffer, 3 * n * 8, n),
  };
}

interface Ranked {
  query: Query;
  perShard: ShardHits[];
  top: Picks;
}

/** Parses `input` against the index's fields and metadata keys; a Query passes through. */
export function parseQueryIn(ctx: SearcherContext, input: string | Query): Query {
  if (typeof input !== 'string') return input;
  const metaKeys = new Set<string>();
  for (const shard of ctx.shards)
    for (const st of shard.segments) for (const key of st.segment.meta.keys.keys()) metaKeys.add(key);
  try {
    return parseQuery(input, { analyzer: ctx.analyzer, fields: ctx.fields, metaKeys });
  } catch (err) {
    if (err instanceof FunnelError) throw err;
    return { clauses: [], filters: [] };
  }
}

function rank(ctx: SearcherContext, input: string | Query, k: number, carry?: CarryUse): Ranked {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new InvalidArgumentError(`search: illegal k=${k}, must be an integer in [1, ${MAX_K}]`);
  }
  for (const shard of ctx.shards) shard.refresh();
  const query = parseQueryIn(ctx, input);
  const segments = ctx.shards.flatMap((s) => s.segments.map((st) => st.segment));
  const stats = collectionStats(segments, ctx.fields.length);
  const plan = makePlan(query, stats, ctx.fields, ctx.params);
  let use = carry;
  if (carry) {
    const seqs = ctx.shards.map((s) => s.segments.map((st) => st.seq).join(',')).join(';');
    if (carry.mode === 'keep') {
      carry.carry.release();
      carry.carry.seqs = seqs;
    } else if (carry.carry.seqs !== seqs) {
      // The index changed between the two searches: score the whole query.
      carry.carry.release();
      use = undefined;
    }
  }
  const sorted = ctx.shards.length === 1;
  // Shards a search thread takes are scored there while this thread scores the others.
  const threads = ctx.threads;
  const fromClause = use?.mode === 'resume' ? use.from : null;
  const pending = ctx.shards.map((shard, i) =>
    threads ? threads.start(i, shard, plan, k, use?.carry ?? null, fromClause) : null,
  );
  const perShard: ShardHits[] = new Array(ctx.shards.length);
  ctx.shards.forEach((shard, i) => {
    if (!pending[i]) perShard[i] = searchShard(shard, plan, k, use, sorted);
  });
  pending.forEach((p, i) => {
    if (p) perShard[i] = threads?.finish(p) ?? searchShard(ctx.shards[i], plan, k, use, sorted);
  });
  return { query, perShard, top: mergeTop(ctx.shards, perShard, k) };
}

function workOf(ctx: SearcherContext, perShard: readonly ShardHits[]): SearchWork {
  const work: SearchWork = { shards: ctx.shards.length, segments: 0, postings: 0, matched: 0 };
  for (const r of perShard) {
    work.segments += r.segments;
    work.postings += r.postings;
    work.matched += r.matched;
  }
  return work;
}

/** The top k as columns with their places in the index (for later stages that read features). */
export function searchRefs(
  ctx: SearcherContext,
  input: string | Query,
  k: number,
  carry?: CarryUse,
): { refs: CandidateRefs; query: Query; work: SearchWork } {
  const { query, perShard, top } = rank(ctx, input, k, carry);
  const refs = newCandidateRefs(top.ids);
  for (let i = 0; i < top.rows.length; i++) {
    const list = top.lists[i];
    const row = top.rows[i];
    const r = perShard[list];
    refs.scores[i] = r.scores[row];
    refs.shards[i] = list;
    refs.seqs[i] = r.seqs[row];
    refs.docs[i] = r.docs[row];
  }
  return { refs, query, work: workOf(ctx, perShard) };
}

export function search(
  ctx: SearcherContext,
  input: string | Query,
  options: SearchOptions = {},
): SearchResult {
  const started = performance.now();
  const { query, perShard, top } = rank(ctx, input, options.k ?? 10);

  const stored = options.stored ?? true;
  const snippetTerms = options.snippets
    ? new Set(query.clauses.filter((c) => c.occur !== 'mustNot').flatMap((c) => c.terms))
    : null;
  const bySeq = new Map<number, SegmentState>();
  if (stored || snippetTerms)
    for (const shard of ctx.shards) for (const st of shard.segments) bySeq.set(st.seq, st);
  const hits: Hit[] = Array.from(top.rows, (row, i) => {
    const r = perShard[top.lists[i]];
    const hit: Hit = { id: top.ids.at(i), score: r.scores[row], title: '' };
    if (stored || snippetTerms) {
      const seg = bySeq.get(r.seqs[row])!.segment;
      const doc = r.docs[row];
      hit.title = seg.titles.get(doc);
      if (stored) {
        const meta = seg.metaOf(doc);
        if (Object.keys(meta).length > 0) hit.meta = meta;
      }
      if (snippetTerms)
        hit.snippet = makeSnippet(seg.texts.get(doc), snippetTerms, ctx.analyzer, {
          markers: options.markers,
        });
    }
    return hit;
  });
  const work = workOf(ctx, perShard);
  return { hits, total: work.matched, tookMs: performance.now() - started, work, query };
}
