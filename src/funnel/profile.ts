/**
 * @module funnel/profile
 * The funnel declared as data: a profile lists its stages in order, each with a model and how many
 * candidates it keeps. Profiles are validated on load (an error names the profile and the stage) and
 * described in one line, e.g. `bm25+expand ─30000→ ltr ─117→ extractive`.
 */

import * as fs from 'node:fs';
import { InvalidArgumentError } from '../errors.js';

export type StageKind = 'retrieve' | 'rerank' | 'read';

export interface StageSpec {
  kind: StageKind;
  /** Which implementation, e.g. 'bm25', 'bm25+expand', 'ltr', 'extractive', 'llm', 'gguf'. */
  model: string;
  /** Candidates passed on (retrieve, rerank); a reader reads at most this many passages. */
  keep: number;
  /** Time budget; past it the stage's input order is passed on and the trace says so. */
  budgetMs: number;
  /** Model-specific settings (weights file, endpoint, ...). */
  options: Record<string, unknown>;
}

export interface Profile {
  name: string;
  description: string;
  stages: StageSpec[];
}

/** The rerank models of funnel/neural (model servers, and local ONNX folders). */
export const NEURAL_RERANK_MODELS = [
  'embed',
  'rerank-api',
  'llm-rerank',
  'onnx-rerank',
  'onnx-embed',
] as const;

/** Models each kind of stage knows; a profile naming another is rejected on load. */
export const STAGE_MODELS: Record<StageKind, readonly string[]> = {
  retrieve: ['bm25', 'bm25+expand', 'bm25+prf', 'bm25+expand+prf', 'bm25+hop', 'bm25+prf+hop'],
  rerank: ['ltr', ...NEURAL_RERANK_MODELS],
  read: ['extractive', 'llm', 'gguf', 'none'],
};

const DEFAULT_BUDGET_MS: Record<StageKind, number> = { retrieve: 5_000, rerank: 5_000, read: 120_000 };

/** Raw stage entries: `keep`, `budgetMs` and `options` may be left out. */
type RawStage = Partial<StageSpec> & { kind: StageKind; model: string };

const BUILTIN: { name: string; description: string; stages: RawStage[] }[] = [
  {
    name: 'default',
    description:
      'BM25 with pseudo-relevance feedback over everything, a learned ranker, an extractive reader; no model needed',
    stages: [
      { kind: 'retrieve', model: 'bm25+prf', keep: 30_000 },
      { kind: 'rerank', model: 'ltr', keep: 117 },
      { kind: 'read', model: 'extractive', keep: 117 },
    ],
  },
  {
    name: 'bm25',
    description: 'plain BM25 and the extractive reader (the baseline)',
    stages: [
      { kind: 'retrieve', model: 'bm25', keep: 117 },
      { kind: 'read', model: 'extractive', keep: 117 },
    ],
  },
  {
    name: 'expand',
    description:
      'the default funnel with WordNet and word-vector expansion in stage 1 (better recall, slower)',
    stages: [
      { kind: 'retrieve', model: 'bm25+expand+prf', keep: 30_000 },
      { kind: 'rerank', model: 'ltr', keep: 117 },
      { kind: 'read', model: 'extractive', keep: 117 },
    ],
  },
  {
    name: 'llm',
    description: 'the default funnel read by an OpenAI-compatible chat model (FUNNEL_LLM_* variables)',
    stages: [
      { kind: 'retrieve', model: 'bm25+prf', keep: 30_000 },
      { kind: 'rerank', model: 'ltr', keep: 117 },
      { kind: 'read', model: 'llm', keep: 117 },
    ],
  },
  {
    name: 'local',
    description:
      'the default funnel read by a local GGUF model in this process (FUNNEL_GGUF_MODEL; needs node-llama-cpp)',
    stages: [
      { kind: 'retrieve', model: 'bm25+prf', keep: 30_000 },
      { kind: 'rerank', model: 'ltr', keep: 117 },
      // A model on the CPU reads ~6,000 tokens of passages in minutes, not seconds.
      { kind: 'read', model: 'gguf', keep: 117, budgetMs: 600_000 },
    ],
  },
];

/** Checks a profile (from code or a config file) and fills in defaults; throws naming the stage. */
export function validateProfile(raw: unknown, name: string): Profile {
  const where = `profile ${JSON.stringify(name)}`;
  if (!isObject(raw)) throw new InvalidArgumentError(`${where}: expected an object with "stages"`);
  const description = raw.description ?? '';
  if (typeof description !== 'string')
    throw new InvalidArgumentError(`${where}: description must be a string`);
  const stagesRaw = raw.stages;
  if (!Array.isArray(stagesRaw) || stagesRaw.length === 0) {
    throw new InvalidArgumentError(`${where}: "stages" must be a non-empty array`);
  }
  const stages: StageSpec[] = stagesRaw.map((s, i) => validateStage(s, `${where}, stage ${i + 1}`));
  if (stages[0].kind !== 'retrieve') {
    throw new InvalidArgumentError(
      `${where}, stage 1: the first stage must be a retrieve stage, got ${stages[0].kind}`,
    );
  }
  stages.forEach((s, i) => {
    const at = `${where}, stage ${i + 1} (${s.kind} ${s.model})`;
    if (i > 0 && s.kind === 'retrieve')
      throw new InvalidArgumentError(`${at}: only the first stage retrieves`);
    if (s.kind === 'read' && i !== stages.length - 1)
      throw new InvalidArgumentError(`${at}: read must be the last stage`);
    const prev = stages[i - 1];
    if (prev && s.kind !== 'read' && s.keep > prev.keep) {
      throw new InvalidArgumentError(
        `${at}: keep=${s.keep} is wider than the previous stage's keep=${prev.keep}`,
      );
    }
  });
  return { name, description, stages };
}

function validateStage(raw: unknown, at: string): StageSpec {
  if (!isObject(raw)) throw new InvalidArgumentError(`${at}: expected an object with kind and model`);
  const kind = raw.kind;
  if (kind !== 'retrieve' && kind !== 'rerank' && kind !== 'read') {
    throw new InvalidArgumentError(
      `${at}: unknown kind ${JSON.stringify(kind)}, expected retrieve, rerank or read`,
    );
  }
  const model = raw.model;
  if (typeof model !== 'string' || !STAGE_MODELS[kind].includes(model)) {
    throw new InvalidArgumentError(
      `${at}: unknown ${kind} model ${JSON.stringify(model)}, expected one of ${STAGE_MODELS[kind].join(', ')}`,
    );
  }
  const keep = raw.keep ?? (kind === 'read' ? 117 : undefined);
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 1 || keep > 1_000_000) {
    throw new InvalidArgumentError(
      `${at} (${kind} ${model}): illegal keep=${JSON.stringify(keep)}, must be an integer in [1, 1000000]`,
    );
  }
  const budgetMs = raw.budgetMs ?? DEFAULT_BUDGET_MS[kind];
  if (typeof budgetMs !== 'number' || !(budgetMs > 0)) {
    throw new InvalidArgumentError(
      `${at} (${kind} ${model}): illegal budgetMs=${JSON.stringify(budgetMs)}, must be > 0`,
    );
  }
  const options = raw.options ?? {};
  if (!isObject(options))
    throw new InvalidArgumentError(`${at} (${kind} ${model}): options must be an object`);
  return { kind, model, keep, budgetMs, options };
}

/** `bm25+expand ─30000→ ltr ─117→ extractive` */
export function describeProfile(p: Profile): string {
  return p.stages.map((s) => (s.kind === 'read' ? s.model : `${s.model} ─${s.keep}→`)).join(' ');
}

/**
 * The built-in profiles plus those of a config file (`{"profiles": {"name": {"stages": [...]}}}`);
 * a config profile of the same name replaces the built-in one.
 */
export function loadProfiles(configFile?: string): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const p of BUILTIN) out.set(p.name, validateProfile(p, p.name));
  if (!configFile) return out;
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${configFile}: cannot read the config: ${(err as Error).message}`);
  }
  if (!isObject(config) || (config.profiles !== undefined && !isObject(config.profiles))) {
    throw new InvalidArgumentError(`${configFile}: expected {"profiles": {"name": {"stages": [...]}}}`);
  }
  for (const [name, raw] of Object.entries((config.profiles ?? {}) as Record<string, unknown>)) {
    try {
      out.set(name, validateProfile(raw, name));
    } catch (err) {
      throw new InvalidArgumentError(`${configFile}: ${(err as Error).message}`);
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
