/**
 * @module eval/needle/needle-bench
 * Runs needle configurations (kind × K × depth) on a built haystack. For each configuration the
 * needles are written into their host documents (each host is replaced by its text with the needle
 * sentence inserted), every question goes through every profile, and the hosts get their original
 * text back: one haystack index serves every configuration, and only one configuration's needles
 * are ever in it. Measures per configuration and profile: needle recall at each funnel width of
 * each ranking stage (the final 117 and the top 10 among them), questions with every needle found,
 * answer accuracy of the reader, time and work per stage, and the context-window baseline.
 */

import type { Engine } from '../../engine.js';
import { describeProfile, type Profile } from '../../funnel/profile.js';
import { runFunnel } from '../../funnel/runner.js';
import type { DocumentInput } from '../../types.js';
import { type Latency, latencyOf } from '../percentile.js';
import { isCorrect, makeNeedles, type NeedleKind } from './facts.js';
import type { HaystackLayout } from './haystack.js';
import {
  chooseHosts,
  DEPTHS,
  type Depth,
  insertSentence,
  needlePositions,
  WINDOWS,
  type WindowBaseline,
  windowBaseline,
} from './placement.js';
import { seeded } from './random.js';

/** Widths at which needle recall is measured in each ranking stage (those within its keep). */
export const NEEDLE_WIDTHS = [10, 117, 1000, 30_000] as const;

export interface NeedleConfig {
  kind: NeedleKind;
  k: number;
  depth: Depth;
}

export interface StageNeedles {
  stage: string;
  keep: number;
  /** Needle recall at each width ≤ keep: needed needles whose host is in the stage's top w. */
  recall: Record<number, number>;
  latencyMs: Latency;
  /** Mean work per question. */
  work: Record<string, number>;
}

export interface ConfigResult extends NeedleConfig {
  profile: string;
  funnel: string;
  questions: number;
  /** Needles the questions need, counted per question. */
  needed: number;
  /** Needle recall into the final ranking (at most 117 passages). */
  recallFinal: number;
  /** Needle recall into the final top 10. */
  recall10: number;
  /** Questions with every needle they need in the final ranking. */
  allFound: number;
  /** Questions answered right by the reader (every expected value, no distractor value). */
  accuracy: number;
  /** Questions whose answer holds every expected value, distractor values or not. */
  answerHasValue: number;
  /** The reader that answered ('extractive', an LLM model, or 'extractive (fallback)'). */
  reader: string;
  stages: StageNeedles[];
  totalMs: Latency;
  windows: WindowBaseline[];
  /** Each question's answer, for inspection. */
  answers: { question: string; expected: string[]; answer: string; correct: boolean }[];
}

export interface NeedleRunOptions {
  configs: readonly NeedleConfig[];
  profiles: readonly Profile[];
  seed: number;
  /** Haystack size in tokens (for depths and the window baseline). */
  tokens: number;
  /** Skip the reader (no answer accuracy). */
  noRead?: boolean;
  onConfig?: (done: number, total: number, result: ConfigResult) => void;
}

/** The profile with its reader asked for at least `sentences` sentences (one per needed value). */
function withSentences(profile: Profile, sentences: number): Profile {
  return {
    ...profile,
    stages: profile.stages.map((s) =>
      s.kind === 'read' && s.model === 'extractive'
        ? { ...s, options: { ...s.options, sentences: Math.max(3, sentences) } }
        : s,
    ),
  };
}

/** Runs every configuration on `engine` (a writable haystack index) and restores it. */
export async function runNeedles(
  engine: Engine,
  layout: HaystackLayout,
  options: NeedleRunOptions,
): Promise<ConfigResult[]> {
  const out: ConfigResult[] = [];
  let done = 0;
  const warmed = new Set<string>();
  const total = options.configs.length * options.profiles.length;
  for (const config of options.configs) {
    const set = makeNeedles(config.kind, config.k, options.seed);
    const random = seeded(options.seed * 104729 + config.k * 31 + DEPTHS.indexOf(config.depth));
    const positions = needlePositions(set.needles.length, config.depth, options.tokens, random);
    const hosts = chooseHosts(layout, positions, (doc) => (engine.get(layout.ids[doc])?.text ?? '') !== '');
    const originals: DocumentInput[] = [];
    hosts.forEach((doc, j) => {
      const id = layout.ids[doc];
      const original = engine.get(id);
      if (!original) throw new Error(`haystack document ${id} is not in the index`);
      originals.push({ id, title: original.title, text: original.text, meta: original.meta });
      const span = layout.starts[doc + 1] - layout.starts[doc];
      const at = span > 0 ? (positions[j] - layout.starts[doc]) / span : 0;
      engine.add({ ...originals[j], text: insertSentence(original.text, set.needles[j].text, at) });
    });
    const hostOf = (n: number) => layout.ids[hosts[n]];
    const targetPositions = set.needles.filter((n) => n.role === 'target').map((n) => positions[n.n]);
    const windows = WINDOWS.map((w) => windowBaseline(targetPositions, options.tokens, w));
    try {
      for (const profile of options.profiles) {
        if (!warmed.has(profile.name)) {
          // One unmeasured question per profile first: the first query after opening a large index
          // pays for cold caches and compilation, and could run past a stage's time budget.
          warmed.add(profile.name);
          await runFunnel(engine, profile, set.questions[0]?.text ?? 'warm up', { noRead: true });
        }
        const result = await runConfig(engine, profile, set, hostOf, options.noRead ?? false);
        const r: ConfigResult = { ...config, ...result, windows };
        out.push(r);
        options.onConfig?.(++done, total, r);
      }
    } finally {
      for (const doc of originals) engine.add(doc);
    }
  }
  return out;
}

type RunResult = Omit<ConfigResult, keyof NeedleConfig | 'windows'>;

async function runConfig(
  engine: Engine,
  profile: Profile,
  set: ReturnType<typeof makeNeedles>,
  hostOf: (n: number) => string,
  noRead: boolean,
): Promise<RunResult> {
  const rankSpecs = profile.stages.filter((s) => s.kind !== 'read');
  const found = rankSpecs.map(() => new Map<number, number>(NEEDLE_WIDTHS.map((w) => [w, 0])));
  const times: number[][] = profile.stages.map(() => []);
  const work: Record<string, number>[] = profile.stages.map(() => ({}));
  const labels = profile.stages.map((s, i) => `${i + 1}:${s.model}`);
  const totals: number[] = [];
  const answers: RunResult['answers'] = [];
  let needed = 0;
  let allFound = 0;
  let finalFound = 0;
  let top10 = 0;
  let reader = noRead ? 'none' : (profile.stages.find((s) => s.kind === 'read')?.model ?? 'none');
  for (const q of set.questions) {
    const hosts = q.needs.map(hostOf);
    const ranks: number[][] = [];
    const r = await runFunnel(engine, withSentences(profile, q.needs.length), q.text, {
      noRead,
      onStage: (_t, candidates) => ranks.push(ranksOf(candidates, hosts)),
    });
    needed += hosts.length;
    ranks.forEach((rk, s) => {
      for (const w of NEEDLE_WIDTHS) found[s].set(w, (found[s].get(w) ?? 0) + rk.filter((x) => x < w).length);
    });
    const last = ranks[ranks.length - 1] ?? [];
    const inFinal = last.filter((x) => x < Number.POSITIVE_INFINITY).length;
    finalFound += inFinal;
    top10 += last.filter((x) => x < 10).length;
    if (inFinal === hosts.length) allFound++;
    r.trace.forEach((t, i) => {
      labels[i] = t.stage;
      times[i].push(t.ms);
      for (const [k, v] of Object.entries(t.work)) work[i][k] = (work[i][k] ?? 0) + v;
      if (t.kind === 'read' && t.notes?.fallback) reader = `${t.notes.fallback} (fallback from ${t.model})`;
    });
    totals.push(r.ms);
    const answer = r.answer?.answer ?? '';
    answers.push({
      question: q.text,
      expected: q.expected,
      answer,
      correct: !noRead && isCorrect(q, answer),
    });
  }
  const questions = set.questions.length;
  const stages: StageNeedles[] = profile.stages
    .map((spec, i) => ({ spec, i }))
    .filter(({ spec }) => !(noRead && spec.kind === 'read'))
    .map(({ spec, i }) => {
      const recall: Record<number, number> = {};
      if (spec.kind !== 'read') {
        for (const w of NEEDLE_WIDTHS) if (w <= spec.keep) recall[w] = (found[i].get(w) ?? 0) / needed;
      }
      const meanWork: Record<string, number> = {};
      for (const [k, v] of Object.entries(work[i])) meanWork[k] = v / questions;
      return { stage: labels[i], keep: spec.keep, recall, latencyMs: latencyOf(times[i]), work: meanWork };
    });
  return {
    profile: profile.name,
    funnel: describeProfile(profile),
    questions,
    needed,
    recallFinal: finalFound / needed,
    recall10: top10 / needed,
    allFound: allFound / questions,
    accuracy: noRead ? 0 : answers.filter((a) => a.correct).length / questions,
    answerHasValue: noRead
      ? 0
      : answers.filter((a) => a.expected.every((e) => a.answer.includes(e))).length / questions,
    reader,
    stages,
    totalMs: latencyOf(totals),
    answers,
  };
}

/** The 0-based rank of each host id in `candidates`, Infinity when absent. */
function ranksOf(ids: readonly string[], hosts: readonly string[]): number[] {
  const want = new Map<string, number[]>();
  hosts.forEach((h, i) => {
    want.set(h, [...(want.get(h) ?? []), i]);
  });
  const out = hosts.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < ids.length; r++) {
    const at = want.get(ids[r]);
    if (at) for (const i of at) out[i] = r;
  }
  return out;
}
