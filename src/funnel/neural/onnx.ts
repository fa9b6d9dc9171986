/**
 * @module funnel/neural/onnx
 * Rerank models over a local ONNX model folder (the Hugging Face layout: `config.json`,
 * `tokenizer.json`, `onnx/model.onnx`), run in this process by transformers.js and onnxruntime
 * through the optional dependency `@huggingface/transformers`: no server and no network (remote
 * models are refused; nothing is downloaded).
 *
 * - `onnx-rerank`: a cross-encoder (e.g. an ms-marco MiniLM exported to ONNX) reads each
 *   (question, passage) pair; the score is its logit (one label) or the probability of its last
 *   label. Feature `onnx_relevance`.
 * - `onnx-embed`: an embedding model (e.g. bge-small, e5-small) embeds the question and each
 *   passage, pooled (`mean` over the tokens, or the `cls` token) and compared by cosine, optionally
 *   interpolated with the previous stage's min-max normalised score as `embed` does. Feature
 *   `onnx_cosine`.
 *
 * Options: `modelDir` (FUNNEL_ONNX_RERANK_MODEL / FUNNEL_ONNX_EMBED_MODEL), `dtype` ('fp32': the
 * file `onnx/model.onnx`; 'q8' reads `onnx/model_quantized.onnx`...), `batchSize` (16 / 32),
 * `maxChars` (2000 a passage), `maxLength` (512 tokens, longer inputs are truncated); for
 * `onnx-embed` also `pooling`, `interpolate`, `queryPrefix`, `documentPrefix`. A folder is loaded
 * once per process. Batches stop once the stage's deadline or the caller's signal is reached.
 */

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BadInputError, FunnelError, InvalidArgumentError } from '../../errors.js';
import { optionalPackage } from '../../optional-package.js';
import type { StageSpec } from '../profile.js';
import type { Candidate, ObjectRankStage, StageContext } from '../types.js';
import { count, interpolated, judgedPassages, optionSource, passageInput, ranked } from './common.js';
import { cosine } from './embed.js';
import { numberOption, type OptionSource, requiredString, stringOption } from './options.js';

/** The version this build is tested with (package.json pins it as an optional dependency). */
export const TRANSFORMERS_VERSION = '4.3.1';
export const ONNX_RERANK_FEATURE = 'onnx_relevance';
export const ONNX_EMBED_FEATURE = 'onnx_cosine';

// biome-ignore lint/suspicious/noExplicitAny: the optional package's types are not a dependency of the build
type Any = any;
interface Loaded {
  tokenizer: Any;
  model: Any;
}

const loadModule = optionalPackage(
  '@huggingface/transformers',
  TRANSFORMERS_VERSION,
  'local ONNX model',
  (mod) => {
    mod.env.allowRemoteModels = false;
    mod.env.allowLocalModels = true;
  },
);
const folders = new Map<string, Promise<Loaded>>();
/** Loads run one at a time: each sets the package's global model path. */
let loading: Promise<unknown> = Promise.resolve();

/** The tokenizer and model of folder `dir` (an absolute path), loaded once per process. */
function loadFolder(dir: string, kind: 'rerank' | 'embed', dtype: string): Promise<Loaded> {
  const key = `${kind}\u0000${dtype}\u0000${dir}`;
  let loaded = folders.get(key);
  if (loaded === undefined) {
    loaded = loading.then(async () => {
      if (!existsSync(path.join(dir, 'config.json')))
        throw new BadInputError(dir, 'not a model folder (no config.json)');
      const mod = await loadModule();
      // transformers.js finds local models under env.localModelPath by name.
      mod.env.localModelPath = `${path.dirname(dir)}${path.sep}`;
      const name = path.basename(dir);
      const options = { local_files_only: true, dtype };
      try {
        const tokenizer = await mod.AutoTokenizer.from_pretrained(name, options);
        const model =
          kind === 'rerank'
            ? await mod.AutoModelForSequenceClassification.from_pretrained(name, options)
            : await mod.AutoModel.from_pretrained(name, options);
        return { tokenizer, model };
      } catch (err) {
        throw new BadInputError(dir, `cannot load the ONNX model: ${(err as Error).message}`);
      }
    });
    loading = loaded.catch(() => undefined);
    loaded.catch(() => folders.delete(key));
    folders.set(key, loaded);
  }
  return loaded;
}

interface Common {
  dir: string;
  dtype: string;
  batchSize: number;
  maxChars: number;
  maxLength: number;
}

function commonOptions(src: OptionSource, envName: string, batchSize: number): Common {
  return {
    dir: path.resolve(requiredString(src, 'modelDir', envName)),
    dtype: stringOption(src, 'dtype') ?? 'fp32',
    batchSize: numberOption(src, 'batchSize', batchSize, { min: 1, max: 4096, integer: true }),
    maxChars: numberOption(src, 'maxChars', 2000, { min: 1, integer: true }),
    maxLength: numberOption(src, 'maxLength', 512, { min: 8, max: 65_536, integer: true }),
  };
}

/**
 * `fn` over `items` in batches of `size`, results in order; before each batch the caller's signal
 * and the stage's deadline are checked (a batch is not started past them).
 */
async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  ctx: StageContext,
  fn: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let from = 0; from < items.length; from += size) {
    ctx.signal?.throwIfAborted();
    if (performance.now() > ctx.deadline)
      throw new FunnelError('IO', `${ctx.trace.stage}: past the stage's time budget`);
    const batch = items.slice(from, from + size);
    count(ctx, 'inputs', batch.length);
    out.push(...(await fn(batch)));
  }
  return out;
}

/** The rows of a [rows, columns] tensor. */
function rows(t: Any): number[][] {
  const [n, m] = t.dims as number[];
  const data = t.data as Float32Array;
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * m, (i + 1) * m)));
}

/** A classifier's output row as one relevance score: the logit, or the last label's probability. */
export function relevance(logits: readonly number[]): number {
  if (logits.length === 1) return logits[0];
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  return exps[exps.length - 1] / exps.reduce((a, b) => a + b, 0);
}

export class OnnxRerankStage implements ObjectRankStage {
  constructor(
    readonly spec: StageSpec,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async run(input: Candidate[], ctx: StageContext): Promise<Candidate[]> {
    const src = optionSource(this.spec, ctx, this.env);
    const o = commonOptions(src, 'FUNNEL_ONNX_RERANK_MODEL', 16);
    const { tokenizer, model } = await loadFolder(o.dir, 'rerank', o.dtype);
    if (input.length === 0) return [];
    const judged = judgedPassages(input, ctx);
    count(ctx, 'missing', judged.missing);
    const question = ctx.question.trim();
    const docs = judged.passages.map((p) => passageInput(p, o.maxChars));
    const scores = await inBatches(docs, o.batchSize, ctx, async (batch) => {
      const encoded = tokenizer(
        batch.map(() => question),
        { text_pair: batch, padding: true, truncation: true, max_length: o.maxLength },
      );
      count(ctx, 'tokens', Number(encoded.attention_mask.data.reduce((a: bigint, b: bigint) => a + b, 0n)));
      const { logits } = await model(encoded);
      return rows(logits).map(relevance);
    });
    return ranked(judged.candidates, scores, scores, ONNX_RERANK_FEATURE, ctx, this.spec.keep);
  }
}

export class OnnxEmbedStage implements ObjectRankStage {
  constructor(
    readonly spec: StageSpec,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async run(input: Candidate[], ctx: StageContext): Promise<Candidate[]> {
    const src = optionSource(this.spec, ctx, this.env);
    const o = commonOptions(src, 'FUNNEL_ONNX_EMBED_MODEL', 32);
    const alpha = numberOption(src, 'interpolate', 0, { min: 0, max: 1 });
    const pooling = stringOption(src, 'pooling') ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls')
      throw new InvalidArgumentError(
        `${src.stage}: illegal option pooling=${JSON.stringify(pooling)}, expected mean or cls`,
      );
    const queryPrefix = stringOption(src, 'queryPrefix') ?? '';
    const documentPrefix = stringOption(src, 'documentPrefix') ?? '';
    const { tokenizer, model } = await loadFolder(o.dir, 'embed', o.dtype);
    if (input.length === 0) return [];
    const judged = judgedPassages(input, ctx);
    count(ctx, 'missing', judged.missing);
    const texts = [
      queryPrefix + ctx.question.trim(),
      ...judged.passages.map((p) => documentPrefix + passageInput(p, o.maxChars)),
    ];
    const vectors = await inBatches(texts, o.batchSize, ctx, async (batch) => {
      const encoded = tokenizer(batch, { padding: true, truncation: true, max_length: o.maxLength });
      const out = await model(encoded);
      return pool(out.sentence_embedding ?? out.last_hidden_state, encoded.attention_mask, pooling);
    });
    const [q, ...docs] = vectors;
    const raw = docs.map((v) => cosine(q, v));
    const scores = interpolated(judged.candidates, raw, alpha);
    return ranked(judged.candidates, scores, raw, ONNX_EMBED_FEATURE, ctx, this.spec.keep);
  }
}

/**
 * One vector per input: a [batch, dims] output as it is, a [batch, tokens, dims] one pooled over
 * the tokens the mask keeps (mean) or taken at the first token (cls).
 */
export function pool(hidden: Any, mask: Any, pooling: 'mean' | 'cls'): Float32Array[] {
  const dims = hidden.dims as number[];
  const data = hidden.data as Float32Array;
  if (dims.length === 2) return rows(hidden).map((r) => Float32Array.from(r));
  const [n, tokens, d] = dims;
  const keep = mask.data as BigInt64Array;
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = new Float32Array(d);
    let kept = 0;
    for (let t = 0; t < (pooling === 'cls' ? 1 : tokens); t++) {
      if (keep[i * tokens + t] === 0n) continue;
      kept++;
      const at = (i * tokens + t) * d;
      for (let k = 0; k < d; k++) v[k] += data[at + k];
    }
    if (kept > 0) for (let k = 0; k < d; k++) v[k] /= kept;
    out.push(v);
  }
  return out;
}
