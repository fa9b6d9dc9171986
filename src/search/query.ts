/**
 * @module search/query
 * A parsed query: plain data, so it can cross to a shard in another thread or process. Terms are
 * already analyzed. A clause is one term or a phrase; it may target one field or all of them.
 */

export type Occur = 'should' | 'must' | 'mustNot';

export interface Clause {
  /** Analyzed terms; more than one = a phrase (terms at consecutive positions, given by `offsets`). */
  terms: string[];
  /** Position of each term relative to the first (phrases keep stop-word gaps). */
  offsets: number[];
  /** Field name, or null for every searchable field (weighted). */
  field: string | null;
  occur: Occur;
  /** Query-time boost; expansion terms get less than 1. */
  weight: number;
  /** The word as typed, for a plain one-term clause (query expansion starts from it). */
  surface?: string;
}

export type Filter =
  | { key: string; kind: 'exact'; value: string; negate: boolean }
  | {
      key: string;
      kind: 'range';
      min: number;
      max: number;
      minInclusive: boolean;
      maxInclusive: boolean;
      negate: boolean;
    };

export interface Query {
  clauses: Clause[];
  filters: Filter[];
}
