/**
 * @module expand
 * Query expansion resources for stage 1: WordNet synonyms and base forms, word-embedding
 * neighbours, and `expandQuery`, which turns a query's words into weighted terms. Resources are
 * converted once from their npm packages into compact binary files in a cache folder. Re-exports
 * only.
 */

export { cacheDir } from './cache-dir.js';
export type { LoadReport } from './cached-resource.js';
export type { EmbeddingsLoadReport, EmbeddingsOptions, Neighbour } from './embeddings.js';
export { DEFAULT_NEIGHBOUR_CANDIDATES, Embeddings, loadEmbeddings } from './embeddings.js';
export type { ExpandedTerm, ExpandOptions, ExpansionSource, SourceWeights } from './expand.js';
export { DEFAULT_WEIGHTS, expandQuery } from './expand.js';
export type { PartOfSpeech, WordNetLoadReport, WordNetOptions } from './wordnet.js';
export { loadWordNet, normalizeWord, WordNet } from './wordnet.js';
