/**
 * @module funnel/types
 * What flows through the funnel: candidates (a document's place in the index, its current score,
 * every stage's score, the features a stage computed) and the trace of each stage.
 */

import type { Engine } from '../engine.js';
import type { ReadResult } from '../reader/types.js';
import type { Query } from '../search/query.js';
import type { CandidateSet } from './candidate-set.js';
import type { StageSpec } from './profile.js';

export interface Candidate {
  id: string;
  shard: number;
  seq: number;
  doc: number;
  /** The score of the last stage that ranked it. */
  score: number;
  /** Every stage's score, by stage label (`1:bm25+expand`, `2:ltr`); earlier ones are kept. */
  scores: Record<string, number>;
  /** Features computed by any stage, by name. */
  features: Record<string, number>;
}

/** One stage's record in a query's trace. */
export interface StageTrace {
  stage: string;
  kind: StageSpec['kind'];
  model: string;
  in: number;
  out: number;
  ms: number;
  status: 'ok' | 'failed' | 'over budget';
  /** Why the stage failed or ran over, when it did (its input order was passed on). */
  error?: string;
  /** Work done: postings scored, features computed, tokens read, ... */
  work: Record<string, number>;
  /** Stage-specific notes (the expanded query, the feedback terms, ...). */
  notes?: Record<string, unknown>;
}

/** A fresh trace entry for stage `label` running `spec` on `input` candidates. */
export function newTrace(label: string, spec: Pick<StageSpec, 'kind' | 'model'>, input = 0): StageTrace {
  return {
    stage: label,
    kind: spec.kind,
    model: spec.model,
    in: input,
    out: 0,
    ms: 0,
    status: 'ok',
    work: {},
  };
}

/** What a stage sees besides its input. */
export interface StageContext {
  engine: Engine;
  question: string;
  /** The parsed question, as typed. */
  original: Query;
  /** The query searched; a retrieve stage may replace it with an expanded one. */
  query: Query;
  /** Past this time (performance.now()) the stage should stop; the runner checks it too. */
  deadline: number;
  signal?: AbortSignal;
  /** Fills in the trace's work counters and notes. */
  trace: StageTrace;
  /** Streaming text of a reader. */
  onText?: (delta: string) => void;
}

export interface RankStage {
  readonly spec: StageSpec;
  run(input: CandidateSet, ctx: StageContext): Promise<CandidateSet>;
}

/** A stage that works on candidate objects (a model call over a few hundred at most). */
export interface ObjectRankStage {
  readonly spec: StageSpec;
  run(input: Candidate[], ctx: StageContext): Promise<Candidate[]>;
}

export interface ReadStage {
  readonly spec: StageSpec;
  read(input: Candidate[], ctx: StageContext): Promise<ReadResult>;
}

/** A stage past its budget throws this (cooperatively, between units of work). */
export class OverBudget extends Error {
  constructor(stage: string, ms: number) {
    super(`${stage}: over its budget of ${ms} ms`);
    this.name = 'OverBudget';
  }
}
