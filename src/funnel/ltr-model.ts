/**
 * @module funnel/ltr-model
 * The learned ranker of stage 2: a linear model over standardized features,
 * score = Σ w_j (x_j - mean_j) / std_j. Stored as JSON (models/ltr.json) with the features it
 * reads, the collections it was trained on and the command that trained it.
 */

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../errors.js';
import { FEATURES } from '../search/features.js';
import { SEMANTIC_FEATURES } from './semantic.js';

const KNOWN: readonly string[] = [...FEATURES, ...SEMANTIC_FEATURES];

export interface LinearModel {
  format: 1;
  features: string[];
  mean: number[];
  std: number[];
  weights: number[];
  trainedOn: string[];
  command: string;
  /** Training numbers worth keeping with the weights (e.g. held-out nDCG per collection). */
  notes?: Record<string, unknown>;
}

/** The model shipped in the repository. */
export const DEFAULT_MODEL_FILE = fileURLToPath(new URL('../../models/ltr.json', import.meta.url));

const loaded = new Map<string, { mtimeMs: number; model: LinearModel }>();

/**
 * The model in `file`, read once per process and again only when the file changes (a funnel
 * builds its stages per query; the model must not be read and parsed per query).
 */
export function readModel(file: string = DEFAULT_MODEL_FILE): LinearModel {
  let mtimeMs: number;
  let raw: unknown;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
    const hit = loaded.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.model;
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${file}: cannot read the ranker model: ${(err as Error).message}`);
  }
  const model = validateModel(raw, file);
  loaded.set(file, { mtimeMs, model });
  return model;
}

export function validateModel(raw: unknown, source: string): LinearModel {
  const m = raw as LinearModel;
  const n = Array.isArray(m?.features) ? m.features.length : -1;
  const ok =
    m?.format === 1 &&
    n > 0 &&
    m.features.every((f) => KNOWN.includes(f)) &&
    [m.mean, m.std, m.weights].every(
      (a) =>
        Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x)),
    );
  if (!ok)
    throw new InvalidArgumentError(
      `${source}: not a ranker model (format 1, known features, finite numbers)`,
    );
  return m;
}

/** Scores rows of a feature matrix whose columns are `names`. */
export function scoreRows(
  model: Pick<LinearModel, 'features' | 'mean' | 'std' | 'weights'>,
  names: readonly string[],
  values: Float64Array,
  out: Float64Array,
): void {
  const F = names.length;
  const cols = model.features.map((f) => names.indexOf(f));
  const rows = values.length / F;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j];
      if (c < 0) continue;
      s += (model.weights[j] * (values[i * F + c] - model.mean[j])) / (model.std[j] || 1);
    }
    out[i] = s;
  }
}
