/**
 * @module search/searcher
 * Fan-out and merge. A search parses the query once, sums statistics over every shard, builds one
 * plan, lets each shard score its segments into its own top-k (`searchShard`: plain data in, plain
 * data out, so a shard can move to a worker or another machine), then merges the shards' lists by
 * (score desc, id asc) and fetches titles and snippets for the final hits only.
 */

import type { Analyzer } from '../analysis/index.js';
import { FunnelError, InvalidArgumentError } from '../errors.js';
import type { SegmentState, Shard } from '../index/shard.js';
import type { Hit } from '../types.js';
import type { Bm25Params } from './bm25.js';
import { parseQuery } from './parse-query.js';
import { collectionStats, makePlan, type Plan } from './plan.js';
import type { Query } from './query.js';
import { Scratch, scoreSegment } from './score-segment.js';
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

/** One shard's answer: plain data. */
export interface ShardHits {
  hits: { id: string; score: number; seq: number; doc: number }[];
  postings: number;
  matched: number;
  segments: number;
}

export const MAX_K = 1_000_000;

const scratch = new Scratch();

/** Scores every segment of a shard and returns its top k. */
export function searchShard(shard: Shard, plan: Plan, k: number): ShardHits {
  const states: SegmentState[] = shard.segments;
  const idLists = states.map((s) => s.segment.idList());
  const topk = new TopK(k, (ref) => idLists[Math.floor(ref / 2 ** 32)][ref % 2 ** 32]);
  let postings = 0;
  let matched = 0;
  for (let s = 0; s < states.length; s++) {
    const base = s * 2 ** 32;
    const work = scoreSegment(states[s], plan, scratch, (score, doc) => topk.offer(score, base + doc));
    postings += work.postings;
    matched += work.matched;
  }
  const hits = topk.drain().map(({ score, ref }) => {
    const s = Math.floor(ref / 2 ** 32);
    const doc = ref % 2 ** 32;
    return { id: idLists[s][doc], score, seq: states[s].seq, doc };
  });
  return { hits, postings, matched, segments: states.length };
}

/** k-way merge of lists sorted by (score desc, id asc); keeps the first k. */
function mergeSorted<T extends { id: string; score: number }>(lists: T[][], k: number): T[] {
  if (lists.length === 1) return lists[0].slice(0, k);
  const out: T[] = [];
  const pos = new Array<number>(lists.length).fill(0);
  while (out.length < k) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (pos[i] >= lists[i].length) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const a = lists[i][pos[i]];
      const b = lists[best][pos[best]];
      if (a.score > b.score || (a.score === b.score && a.id < b.id)) best = i;
    }
    if (best < 0) break;
    out.push(lists[best][pos[best]++]);
  }
  return out;
}

export interface SearcherContext {
  shards: readonly Shard[];
  analyzer: Analyzer;
  fields: readonly string[];
  params: Bm25Params;
}

export function search(
  ctx: SearcherContext,
  input: string | Query,
  options: SearchOptions = {},
): SearchResult {
  const started = performance.now();
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new InvalidArgumentError(`search: illegal k=${k}, must be an integer in [1, ${MAX_K}]`);
  }
  for (const shard of ctx.shards) shard.refresh();
  const segments = ctx.shards.flatMap((s) => s.segments.map((st) => st.segment));
  const metaKeys = new Set<string>();
  for (const seg of segments) for (const key of seg.meta.keys.keys()) metaKeys.add(key);
  let query: Query;
  try {
    query =
      typeof input === 'string'
        ? parseQuery(input, { analyzer: ctx.analyzer, fields: ctx.fields, metaKeys })
        : input;
  } catch (err) {
    if (err instanceof FunnelError) throw err;
    query = { clauses: [], filters: [] };
  }
  const stats = collectionStats(segments, ctx.fields.length);
  const plan = makePlan(query, stats, ctx.fields, ctx.params);

  const perShard = ctx.shards.map((shard) => searchShard(shard, plan, k));
  const top = mergeSorted(
    perShard.map((r) => r.hits),
    k,
  );

  const stored = options.stored ?? true;
  const snippetTerms = options.snippets
    ? new Set(query.clauses.filter((c) => c.occur !== 'mustNot').flatMap((c) => c.terms))
    : null;
  const bySeq = new Map<number, SegmentState>();
  if (stored || snippetTerms)
    for (const shard of ctx.shards) for (const st of shard.segments) bySeq.set(st.seq, st);
  const hits: Hit[] = top.map((h) => {
    const hit: Hit = { id: h.id, score: h.score, title: '' };
    if (stored || snippetTerms) {
      const seg = bySeq.get(h.seq)!.segment;
      hit.title = seg.titles.get(h.doc);
      if (stored) {
        const meta = seg.metaOf(h.doc);
        if (Object.keys(meta).length > 0) hit.meta = meta;
      }
      if (snippetTerms)
        hit.snippet = makeSnippet(seg.texts.get(h.doc), snippetTerms, ctx.analyzer, {
          markers: options.markers,
        });
    }
    return hit;
  });
  const work: SearchWork = { shards: ctx.shards.length, segments: 0, postings: 0, matched: 0 };
  for (const r of perShard) {
    work.segments += r.segments;
    work.postings += r.postings;
    work.matched += r.matched;
  }
  return { hits, total: work.matched, tookMs: performance.now() - started, work, query };
}
