/**
 * @module funnel/neural/embed
 * Rerank model `embed`: the question and each candidate's passage are embedded by an
 * OpenAI-compatible embeddings endpoint (`POST {baseUrl}/embeddings` with `{model, input}` →
 * `{data: [{index, embedding}]}`; OpenAI, Ollama's /v1, vLLM, llama.cpp server, TEI) in batches,
 * and candidates are scored by cosine similarity, optionally interpolated with the previous stage's
 * min-max normalised score: `interpolate * prev + (1 - interpolate) * cosine`.
 *
 * Options (env fallback): `baseUrl` (FUNNEL_EMBED_BASE_URL), `model` (FUNNEL_EMBED_MODEL), `apiKey`
 * (FUNNEL_EMBED_API_KEY), `batchSize` (64), `interpolate` (0), `queryPrefix` and `documentPrefix`
 * ('' ; e.g. 'query: ' and 'passage: ' for E5 models), `maxChars` (2000 per passage), `timeoutMs`
 * (30 000 per request), `maxRetries` (2), `retryBaseMs` (250), `maxRetryDelayMs` (10 000).
 */

import { InvalidArgumentError } from '../../errors.js';
import { estimateTokens } from '../../reader/budget.js';
import type { StageSpec } from '../profile.js';
import type { Candidate, ObjectRankStage, StageContext } from '../types.js';
import {
  callLimits,
  count,
  interpolated,
  judgedPassages,
  optionSource,
  passageInput,
  ranked,
} from './common.js';
import { endpointFromOptions, type JsonEndpoint } from './http.js';
import { numberOption, type OptionSource, requiredString } from './options.js';

/** Feature holding each candidate's cosine similarity to the question. */
export const EMBED_FEATURE = 'embed_cosine';

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** A base64 string of little-endian float32 values (`encoding_format: "base64"`) as numbers. */
function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** A prefix option: any string, '' by default. */
function prefixOption(src: OptionSource, name: string): string {
  const v = src.options[name] ?? '';
  if (typeof v !== 'string') {
    throw new InvalidArgumentError(
      `${src.stage}: illegal option ${name}=${JSON.stringify(v)}, must be a string`,
    );
  }
  return v;
}

export class EmbedStage implements ObjectRankStage {
  constructor(
    readonly spec: StageSpec,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async run(input: Candidate[], ctx: StageContext): Promise<Candidate[]> {
    const src = optionSource(this.spec, ctx, this.env);
    const baseUrl = requiredString(src, 'baseUrl', 'FUNNEL_EMBED_BASE_URL');
    const model = requiredString(src, 'model', 'FUNNEL_EMBED_MODEL');
    const batchSize = numberOption(src, 'batchSize', 64, { min: 1, max: 100_000, integer: true });
    const alpha = numberOption(src, 'interpolate', 0, { min: 0, max: 1 });
    const maxChars = numberOption(src, 'maxChars', 2000, { min: 1, integer: true });
    const queryPrefix = prefixOption(src, 'queryPrefix');
    const documentPrefix = prefixOption(src, 'documentPrefix');
    const endpoint = endpointFromOptions(src, 'embeddings', baseUrl, 'embeddings', 'FUNNEL_EMBED_API_KEY');
    if (input.length === 0) return [];

    const judged = judgedPassages(input, ctx);
    count(ctx, 'missing', judged.missing);
    const texts = [
      queryPrefix + ctx.question.trim(),
      ...judged.passages.map((p) => documentPrefix + passageInput(p, maxChars)),
    ];
    const vectors: ArrayLike<number>[] = [];
    const limits = callLimits(this.spec, ctx);
    for (let from = 0; from < texts.length; from += batchSize) {
      const batch = texts.slice(from, from + batchSize);
      count(ctx, 'inputs', batch.length);
      count(
        ctx,
        'tokensEstimated',
        batch.reduce((s, t) => s + estimateTokens(t), 0),
      );
      const answer = await endpoint.post({ model, input: batch }, limits);
      vectors.push(...this.parse(endpoint, answer, batch.length, ctx));
    }

    const [question, ...docs] = vectors;
    const dims = question.length;
    const raw = docs.map((v, i) => {
      if (v.length !== dims) {
        throw endpoint.fail(`embedding ${i + 1} has ${v.length} dimensions, the question's has ${dims}`, {
          attempts: 1,
        });
      }
      return cosine(question, v);
    });
    const scores = interpolated(judged.candidates, raw, alpha);
    return ranked(judged.candidates, scores, raw, EMBED_FEATURE, ctx, this.spec.keep);
  }

  /** The vectors of one answer in input order; throws naming the endpoint when it is malformed. */
  private parse(endpoint: JsonEndpoint, answer: unknown, n: number, ctx: StageContext): ArrayLike<number>[] {
    const bad = (why: string) => endpoint.fail(`malformed answer: ${why}`, { attempts: 1 });
    const body = answer as {
      data?: unknown;
      usage?: { prompt_tokens?: unknown; total_tokens?: unknown };
    } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.data)) {
      throw bad('expected {"data": [{"index", "embedding"}]}');
    }
    if (body.data.length !== n) throw bad(`${body.data.length} embeddings for ${n} inputs`);
    const out = new Array<ArrayLike<number> | undefined>(n);
    body.data.forEach((item: unknown, position: number) => {
      const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= n || out[index]) {
        throw bad(`illegal or repeated index ${JSON.stringify(index)}`);
      }
      let v: ArrayLike<number>;
      if (typeof embedding === 'string') v = fromBase64(embedding);
      else if (Array.isArray(embedding) && embedding.every((x) => typeof x === 'number')) v = embedding;
      else throw bad(`embedding ${index} is not a list of numbers`);
      if (v.length === 0) throw bad(`embedding ${index} is empty`);
      out[index] = v;
    });
    const used = body.usage?.total_tokens ?? body.usage?.prompt_tokens;
    if (typeof used === 'number') count(ctx, 'tokensReported', used);
    return out as ArrayLike<number>[];
  }
}
