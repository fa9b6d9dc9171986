/**
 * @module funnel/runner
 * Runs a question through a profile's stages. Each stage gets the previous stage's candidates and
 * a budget; a stage that fails or runs over passes its input order on (cut to its width) and the
 * trace says so, so a query always answers. The result carries every stage's scores and features
 * on each hit, the reader's answer, and the trace (candidates in/out, time, work per stage).
 */

import type { Engine } from '../engine.js';
import type { ReadResult } from '../reader/types.js';
import { CandidateSet } from './candidate-set.js';
import { isNeuralModel, neuralStage } from './neural/index.js';
import { describeProfile, type Profile, type StageSpec } from './profile.js';
import { ReaderStage } from './stages/read.js';
import { RerankStage } from './stages/rerank.js';
import { RetrieveStage } from './stages/retrieve.js';
import {
  type Candidate,
  newTrace,
  OverBudget,
  type RankStage,
  type StageContext,
  type StageTrace,
} from './types.js';

export interface FunnelOptions {
  /** Stop after the last ranking stage: no reader. */
  noRead?: boolean;
  /** Run only this many stages (e.g. 1 = retrieval only). */
  stages?: number;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
  /** Called after each ranking stage with the ids it passes on, best first (read, do not change). */
  onStage?: (trace: StageTrace, ids: readonly string[]) => void;
}

export interface FunnelResult {
  profile: string;
  /** `bm25+expand ─30000→ ltr ─117→ extractive` */
  funnel: string;
  hits: Candidate[];
  answer?: ReadResult;
  trace: StageTrace[];
  ms: number;
}

function rankStage(spec: StageSpec): RankStage {
  if (isNeuralModel(spec)) return neuralStage(spec);
  return spec.kind === 'retrieve' ? new RetrieveStage(spec) : new RerankStage(spec);
}

/** Runs `question` through `profile` on `engine`. */
export async function runFunnel(
  engine: Engine,
  profile: Profile,
  question: string,
  options: FunnelOptions = {},
): Promise<FunnelResult> {
  const started = performance.now();
  const original = engine.parse(question);
  const trace: StageTrace[] = [];
  let candidates = CandidateSet.empty();
  let answer: ReadResult | undefined;
  const ctx: Omit<StageContext, 'deadline' | 'trace'> = {
    engine,
    question,
    original,
    query: original,
    signal: options.signal,
    onText: options.onText,
  };
  const specs = profile.stages.slice(0, options.stages ?? profile.stages.length);
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (spec.kind === 'read' && options.noRead) break;
    const label = `${i + 1}:${spec.model}`;
    const t = newTrace(label, spec, candidates.length);
    trace.push(t);
    const t0 = performance.now();
    const stageCtx: StageContext = { ...ctx, deadline: t0 + spec.budgetMs, trace: t };
    try {
      if (spec.kind === 'read') {
        const passages = candidates.toArray(spec.keep);
        answer = await withBudget(new ReaderStage(spec).read(passages, stageCtx), label, spec.budgetMs);
        t.out = answer.citations.length;
      } else {
        const out = await withBudget(rankStage(spec).run(candidates, stageCtx), label, spec.budgetMs);
        if (performance.now() > stageCtx.deadline) throw new OverBudget(label, spec.budgetMs);
        candidates = out;
        ctx.query = stageCtx.query;
        t.out = candidates.length;
      }
    } catch (err) {
      t.status = err instanceof OverBudget ? 'over budget' : 'failed';
      t.error = (err as Error).message;
      if (spec.kind !== 'read') {
        candidates = candidates.head(spec.keep);
        t.out = candidates.length;
      } else if (spec.model !== 'extractive' && spec.model !== 'none') {
        // The query still answers: the extractive reader needs no model.
        const fallback = { ...spec, model: 'extractive', options: {} };
        answer = await new ReaderStage(fallback).read(candidates.toArray(spec.keep), {
          ...ctx,
          deadline: Number.POSITIVE_INFINITY,
          trace: t,
        });
        t.out = answer.citations.length;
        t.notes = { ...t.notes, fallback: 'extractive' };
      }
    }
    t.ms = performance.now() - t0;
    if (spec.kind !== 'read' && options.onStage) options.onStage(t, candidates.ids.toArray());
  }
  return {
    profile: profile.name,
    funnel: describeProfile(profile),
    hits: candidates.toArray(),
    answer,
    trace,
    ms: performance.now() - started,
  };
}

/** Rejects with OverBudget when `promise` has not settled within `ms` (it is not cancelled). */
function withBudget<T>(promise: Promise<T>, stage: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OverBudget(stage, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
