/**
 * @module funnel/candidate-set
 * The candidates between stages, as columns: ids, places in the index, the current score, every
 * stage's score and every computed feature as one typed array each. Stage 1 hands 30,000 of them
 * to stage 2; as columns that costs a few arrays instead of 30,000 objects with two maps each
 * (which took longer than scoring the index). Objects (`Candidate`) are made only for the few
 * that reach the reader or the caller.
 */

import { IdColumn } from '../search/id-column.js';
import type { Query } from '../search/query.js';
import type { CandidateRefs } from '../search/searcher.js';
import { selectDescending } from '../search/select.js';
import { compareCodeUnits } from '../strings.js';
import type { Candidate } from './types.js';

export class CandidateSet {
  /**
   * The query whose BM25 the current scores are, when they are (set by a first stage that scored
   * the index, kept by `pick` and `head`, dropped by `rank`): later stages may then take the part of
   * a score that some of the query's terms contributed from it instead of reading their postings.
   */
  bm25Of: Query | undefined;

  constructor(
    readonly ids: IdColumn,
    readonly shards: Int32Array,
    readonly seqs: Float64Array,
    readonly docs: Float64Array,
    /** The score of the last stage that ranked each candidate. */
    readonly score: Float64Array,
    /** Every stage's score, by stage label; earlier ones are kept. */
    readonly scores: ReadonlyMap<string, Float64Array> = new Map(),
    /** Features computed by any stage, by name. */
    readonly features: ReadonlyMap<string, Float64Array> = new Map(),
  ) {}

  get length(): number {
    return this.ids.length;
  }

  static empty(): CandidateSet {
    return new CandidateSet(
      IdColumn.of([]),
      new Int32Array(0),
      new Float64Array(0),
      new Float64Array(0),
      new Float64Array(0),
    );
  }

  /** The engine's columns as candidates (shared, not copied); `label` records their score. */
  static fromRefs(refs: CandidateRefs, label?: string, bm25Of?: Query): CandidateSet {
    const scores = new Map<string, Float64Array>();
    if (label !== undefined) scores.set(label, refs.scores);
    const set = new CandidateSet(refs.ids, refs.shards, refs.seqs, refs.docs, refs.scores, scores);
    set.bm25Of = bm25Of;
    return set;
  }

  /** Columns from candidate objects; a score or feature a candidate lacks is NaN. */
  static from(list: readonly Candidate[]): CandidateSet {
    const scoreNames = new Set<string>();
    const featureNames = new Set<string>();
    for (const c of list) {
      for (const k of Object.keys(c.scores)) scoreNames.add(k);
      for (const k of Object.keys(c.features)) featureNames.add(k);
    }
    const column = (names: Set<string>, pick: (c: Candidate) => Record<string, number>) =>
      new Map(
        [...names].map(
          (name) => [name, Float64Array.from(list, (c) => pick(c)[name] ?? Number.NaN)] as const,
        ),
      );
    return new CandidateSet(
      IdColumn.of(list.map((c) => c.id)),
      Int32Array.from(list, (c) => c.shard),
      Float64Array.from(list, (c) => c.seq),
      Float64Array.from(list, (c) => c.doc),
      Float64Array.from(list, (c) => c.score),
      column(scoreNames, (c) => c.scores),
      column(featureNames, (c) => c.features),
    );
  }

  /** The columns `Engine.features` reads (shared, not copied). */
  refs(): CandidateRefs {
    return { ids: this.ids, scores: this.score, shards: this.shards, seqs: this.seqs, docs: this.docs };
  }

  /** The given rows, in that order. */
  pick(rows: ArrayLike<number>): CandidateSet {
    const n = rows.length;
    const take = (a: Float64Array) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = a[rows[i]];
      return out;
    };
    const shards = new Int32Array(n);
    for (let i = 0; i < n; i++) shards[i] = this.shards[rows[i]];
    const map = (m: ReadonlyMap<string, Float64Array>) =>
      new Map([...m].map(([k, v]) => [k, take(v)] as const));
    const out = new CandidateSet(
      this.ids.pick(rows),
      shards,
      take(this.seqs),
      take(this.docs),
      take(this.score),
      map(this.scores),
      map(this.features),
    );
    out.bm25Of = this.bm25Of;
    return out;
  }

  /** The first `n` (all when fewer). */
  head(n: number): CandidateSet {
    if (n >= this.length) return this;
    return this.pick(Array.from({ length: Math.max(0, n) }, (_, i) => i));
  }

  /**
   * A stage's result: `scores` (one per row) becomes the current score and is recorded under
   * `label`; rows are ordered by it (ties by id) and the first `keep` kept; `features` (row-major,
   * `names.length` per row) are added as columns for the kept rows.
   */
  rank(
    label: string,
    scores: Float64Array,
    keep: number,
    features?: { names: readonly string[]; values: Float64Array },
  ): CandidateSet {
    const rows = topRows(scores, this.ids, keep);
    const out = this.pick(rows);
    out.bm25Of = undefined;
    const mine = Float64Array.from(rows, (r) => scores[r]);
    out.score.set(mine);
    (out.scores as Map<string, Float64Array>).set(label, mine);
    if (features) {
      const F = features.names.length;
      features.names.forEach((name, j) => {
        (out.features as Map<string, Float64Array>).set(
          name,
          Float64Array.from(rows, (r) => features.values[r * F + j]),
        );
      });
    }
    return out;
  }

  /** Candidate `i` as an object. */
  at(i: number): Candidate {
    const scores: Record<string, number> = {};
    for (const [k, v] of this.scores) if (!Number.isNaN(v[i])) scores[k] = v[i];
    const features: Record<string, number> = {};
    for (const [k, v] of this.features) if (!Number.isNaN(v[i])) features[k] = v[i];
    return {
      id: this.ids.at(i),
      shard: this.shards[i],
      seq: this.seqs[i],
      doc: this.docs[i],
      score: this.score[i],
      scores,
      features,
    };
  }

  /** The first `n` candidates (default all) as objects. */
  toArray(n = this.length): Candidate[] {
    return Array.from({ length: Math.min(n, this.length) }, (_, i) => this.at(i));
  }
}

/** Rows of the `keep` best scores, best first; ties by id (ascending). */
function topRows(scores: Float64Array, ids: IdColumn, keep: number): number[] {
  const n = scores.length;
  let rows: number[];
  if (keep >= n) rows = Array.from({ length: n }, (_, i) => i);
  else {
    // The keep-th best score, selected in a copy; only rows at or above it are compared.
    const kth = selectDescending(Float64Array.from(scores), n, keep - 1);
    rows = [];
    for (let i = 0; i < n; i++) if (scores[i] >= kth || Number.isNaN(kth)) rows.push(i);
  }
  rows.sort((a, b) => scores[b] - scores[a] || compareCodeUnits(ids.at(a), ids.at(b)));
  return rows.length > keep ? rows.slice(0, keep) : rows;
}
