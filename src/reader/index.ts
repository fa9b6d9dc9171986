/**
 * @module reader
 * Stage 3 of the funnel: here are passages and a question, give me an answer with verified
 * citations. Re-exports only.
 */

export { DEFAULT_PASSAGE_TOKENS, estimateTokens, packPassages } from './budget.js';
export type {
  ChatCallOptions,
  ChatClient,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ToolCall,
  ToolDefinition,
} from './chat-types.js';
export { ModelTimeoutError, UpstreamModelError } from './errors.js';
export { ExtractiveReader, type ExtractiveReaderOptions } from './extractive-reader.js';
export { LlmReader, type LlmReaderOptions } from './llm-reader.js';
export { OpenAIClient, type OpenAIClientOptions } from './openai-client.js';
export { type Sentence, splitSentences } from './sentences.js';
export type * from './types.js';
export { checkCitations, type TextSource, type Verdict, verifyCitation } from './verify.js';
