/**
 * @module funnel/neural
 * Neural rerank models behind the RankStage interface: over HTTP, `embed` (an OpenAI-compatible
 * embeddings endpoint, cosine), `rerank-api` (a cross-encoder `/rerank` endpoint), `llm-rerank`
 * (listwise, a chat model); in this process, `onnx-rerank` and `onnx-embed` (a local ONNX model
 * folder through transformers.js). See README.md in this folder.
 */

import { InvalidArgumentError } from '../../errors.js';
import { CandidateSet } from '../candidate-set.js';
import { NEURAL_RERANK_MODELS, type StageSpec } from '../profile.js';
import type { ObjectRankStage, RankStage } from '../types.js';
import { EmbedStage } from './embed.js';
import { LlmRerankStage } from './llm-rerank.js';
import { OnnxEmbedStage, OnnxRerankStage } from './onnx.js';
import { RerankApiStage } from './rerank-api.js';

export { cosine, EmbedStage } from './embed.js';
export { ModelEndpointError } from './http.js';
export { LlmRerankStage, parsePermutation } from './llm-rerank.js';
export { OnnxEmbedStage, OnnxRerankStage } from './onnx.js';
export { RerankApiStage } from './rerank-api.js';

/** The rerank models of this folder, as profiles name them (listed with every model in profile). */
export { NEURAL_RERANK_MODELS };

/** Whether `spec` names a rerank model of this folder. */
export function isNeuralModel(spec: StageSpec): boolean {
  return spec.kind === 'rerank' && (NEURAL_RERANK_MODELS as readonly string[]).includes(spec.model);
}

/** The stage for `spec`, which must name a neural rerank model (see {@link isNeuralModel}). */
export function neuralStage(spec: StageSpec): RankStage {
  switch (spec.model) {
    case 'embed':
      return onObjects(new EmbedStage(spec));
    case 'rerank-api':
      return onObjects(new RerankApiStage(spec));
    case 'llm-rerank':
      return onObjects(new LlmRerankStage(spec));
    case 'onnx-rerank':
      return onObjects(new OnnxRerankStage(spec));
    case 'onnx-embed':
      return onObjects(new OnnxEmbedStage(spec));
    default:
      throw new InvalidArgumentError(`no neural rerank model ${JSON.stringify(spec.model)}`);
  }
}

/** A stage over candidate objects, run on columns. */
function onObjects(stage: ObjectRankStage): RankStage {
  return {
    spec: stage.spec,
    run: async (input, ctx) => CandidateSet.from(await stage.run(input.toArray(), ctx)),
  };
}
