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
import {
  collectScored,
  filterMaskOf,
  type Resume,
  resetScratch,
  type ScoredSegment,
  Scratch,
  scoreSegment,
} from './score-segment.js';
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
 * The answer of the shards one thread scored: plain data, their top k as columns of places
 * (shard, segment seq and doc), sorted by (score desc, key asc, id asc). Ids are named later, for
 * the hits that are kept.
 */
export interface ShardHits {
  scores: Float64Array;
  /** Tie keys (`index/id-key`): equal scores are ordered by key, then id. */
  keys: Float64Array;
  /** Segment seq and doc number of each hit, to fetch stored fields. */
  seqs: Float64Array;
  docs: Float64Array;
  /** Shard number of each hit. */
  shards: Int32Array;
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
 * Scores every segment of the given shards (numbered `numbers`) into one top k and returns it
 * sorted. One top-k for all the shards a thread scores: no merge between them, and the threshold
 * that the first shard raised already spares the next one most of its offers.
 */
export function searchShards(
  shards: readonly Pick<Shard, 'segments'>[],
  numbers: readonly number[],
  plan: Plan,
  k: number,
  use?: CarryUse,
): ShardHits {
  const states: SegmentState[] = [];
  const shardOf: number[] = [];
  shards.forEach((shard, i) => {
    for (const st of shard.segments) {
      states.push(st);
      shardOf.push(numbers[i]);
    }
  });
  // Ids are decoded only to name ties of equal keys (rare).
  const topk = new TopK(k, (ref) => states[Math.floor(ref / 2 ** 32)].segment.idOf(ref % 2 ** 32));
  let postings = 0;
  let matched = 0;
  const offerFrom = (s: number) => {
    const base = s * 2 ** 32;
    const keys = states[s].segment.idKeys();
    // Most matches of a wide query fall below the threshold: no tie key read for them.
    return (score: number, doc: number) => {
      if (score >= topk.threshold) topk.offer(score, base + doc, keys[doc]);
    };
  };
  // Feedback's second pass over several segments: every segment's scores are kept (the carry)
  // anyway, so all are scored first and one floor sampled over all of them cuts the collection
  // (a segment alone holds fewer matches than k; see score-segment's collection floor).
  const parts: ScoredSegment[] = [];
  for (let s = 0; s < states.length; s++) {
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
          if (states.length > 1 && plan.scoring) {
            postings += scoreSegment(states[s], plan, own, null, resume).postings;
            parts.push({
              state: states[s],
              scratch: own,
              touched: resume.touched,
              excludedAny: resume.excludedAny,
              filterMask: filterMaskOf(states[s], plan),
              collect: offerFrom(s),
            });
            continue;
          }
        }
      }
    }
    const work = scoreSegment(states[s], plan, own, offerFrom(s), resume, k);
    // A resumed scoring resets the kept scratch: the carry no longer holds this segment.
    if (use && resume && !resume.keep) use.carry.segments.delete(states[s].seq);
    postings += work.postings;
    matched += work.matched;
  }
  if (parts.length > 0) matched += collectScored(plan, parts, k);
  for (const p of parts) {
    resetScratch(p.scratch, p.touched, p.excludedAny, p.state.segment.docCount);
    use?.carry.segments.delete(p.state.seq);
  }
  const { scores, refs, keys } = topk.drain();
  const n = scores.length;
  const {
    f64: [seqs, docs],
    i32: shardNumbers,
  } = columns(n, 2);
  for (let i = 0; i < n; i++) {
    const s = Math.floor(refs[i] / 2 ** 32);
    seqs[i] = states[s].seq;
    docs[i] = refs[i] % 2 ** 32;
    shardNumbers[i] = shardOf[s];
  }
  return { scores, keys, seqs, docs, shards: shardNumbers, postings, matched, segments: states.length };
}

/** The merged ranking: hit i is row `rows[i]` of list `lists[i]`; `ids` names them. */
interface Picks {
  lists: Int32Array;
  rows: Int32Array;
  ids: IdColumn;
}

/**
 * The k best of the threads' sorted lists by (score desc, key asc, id asc): a k-way merge, since
 * each list is sorted where it was scored (in parallel). Ids are named only when asked for, and to
 * order equal keys.
 */
function mergeTop(
  segments: ReadonlyMap<number, SegmentState>,
  lists: readonly ShardHits[],
  k: number,
): Picks {
  const idAt = (list: number, row: number): string => {
    const seq = lists[list].seqs[row];
    const state = segments.get(seq);
    if (!state) throw new Error(`search: segment ${seq} of a hit is gone`);
    return state.segment.idOf(lists[list].docs[row]);
  };
  const total = Math.min(
    k,
    lists.reduce((sum, l) => sum + l.scores.length, 0),
  );
  const both = new Int32Array(2 * total);
  const which = both.subarray(0, total);
  const rows = both.subarray(total);
  const heads = new Int32Array(lists.length);
  /** True when row `a` of list `la` ranks before row `b` of list `lb`. */
  const before = (la: number, a: number, lb: number, b: number): boolean => {
    const x = lists[la];
    const y = lists[lb];
    if (x.scores[a] !== y.scores[b]) return x.scores[a] > y.scores[b];
    if (x.keys[a] !== y.keys[b]) return x.keys[a] < y.keys[b];
    return idAt(la, a) < idAt(lb, b);
  };
  for (let i = 0; i < total; i++) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      if (heads[l] >= lists[l].scores.length) continue;
      if (best < 0 || before(l, heads[l], best, heads[best])) best = l;
    }
    which[i] = best;
    rows[i] = heads[best]++;
  }
  return { lists: which, rows, ids: new IdColumn(total, (i) => idAt(which[i], rows[i])) };
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

/**
 * `doubles` Float64 columns and one Int32 column of `n` rows in one allocation: fresh arrays of
 * 30,000 rows are slow to get, one is slow enough.
 */
function columns(n: number, doubles: number): { f64: Float64Array[]; i32: Int32Array } {
  const all = new Float64Array(doubles * n + Math.ceil(n / 2));
  const f64 = Array.from({ length: doubles }, (_, c) => all.subarray(c * n, (c + 1) * n));
  return { f64, i32: new Int32Array(all.buffer, doubles * n * 8, n) };
}

/** Columns for `n` candidates with the given ids; the numbers share one allocation. */
export function newCandidateRefs(ids: IdColumn): CandidateRefs {
  const {
    f64: [scores, seqs, docs],
    i32: shards,
  } = columns(ids.length, 3);
  return { ids, scores, seqs, docs, shards };
}

interface Ranked {
  query: Query;
  /** The sorted lists of the threads that scored shards (this one first). */
  lists: ShardHits[];
  /** The segments searched, by seq. */
  bySeq: ReadonlyMap<number, SegmentState>;
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
  // Shards a search thread takes are scored there while this thread scores the others.
  const threads = ctx.threads;
  const fromClause = use?.mode === 'resume' ? use.from : null;
  const pending = ctx.shards.map((shard, i) =>
    threads ? threads.start(i, shard, plan, k, use?.carry ?? null, fromClause) : null,
  );
  const local = ctx.shards.flatMap((_, i) => (pending[i] ? [] : [i]));
  const lists: ShardHits[] = [];
  if (local.length > 0)
    lists.push(
      searchShards(
        local.map((i) => ctx.shards[i]),
        local,
        plan,
        k,
        use,
      ),
    );
  pending.forEach((p, i) => {
    if (p) lists.push(threads?.finish(p) ?? searchShards([ctx.shards[i]], [i], plan, k, use));
  });
  const bySeq = new Map<number, SegmentState>();
  for (const shard of ctx.shards) for (const st of shard.segments) bySeq.set(st.seq, st);
  return { query, lists, bySeq, top: mergeTop(bySeq, lists, k) };
}

function workOf(ctx: SearcherContext, lists: readonly ShardHits[]): SearchWork {
  const work: SearchWork = { shards: ctx.shards.length, segments: 0, postings: 0, matched: 0 };
  for (const r of lists) {
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
  const { query, lists, top } = rank(ctx, input, k, carry);
  const refs = newCandidateRefs(top.ids);
  for (let i = 0; i < top.rows.length; i++) {
    const list = top.lists[i];
    const row = top.rows[i];
    const r = lists[list];
    refs.scores[i] = r.scores[row];
    refs.shards[i] = r.shards[row];
    refs.seqs[i] = r.seqs[row];
    refs.docs[i] = r.docs[row];
  }
  return { refs, query, work: workOf(ctx, lists) };
}

export function search(
  ctx: SearcherContext,
  input: string | Query,
  options: SearchOptions = {},
): SearchResult {
  const started = performance.now();
  const { query, lists, bySeq, top } = rank(ctx, input, options.k ?? 10);

  const stored = options.stored ?? true;
  const snippetTerms = options.snippets
    ? new Set(query.clauses.filter((c) => c.occur !== 'mustNot').flatMap((c) => c.terms))
    : null;
  const hits: Hit[] = Array.from(top.rows, (row, i) => {
    const r = lists[top.lists[i]];
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
  const work = workOf(ctx, lists);
  return { hits, total: work.matched, tookMs: performance.now() - started, work, query };
}
