/**
 * @module lib
 * Funnel's public API: re-exports only.
 */

export type { Analyzer, AnalyzerOptions } from './analysis/index.js';
export { createAnalyzer, SUPPORTED_LANGUAGES } from './analysis/index.js';
export type { CommitReport, IndexStats, OpenOptions, OpenReport } from './engine.js';
export { Engine } from './engine.js';
export * from './errors.js';
export type { Bm25Params } from './search/bm25.js';
export { DEFAULT_BM25 } from './search/bm25.js';
export type { Clause, Filter, Query } from './search/query.js';
export type { SearchOptions, SearchResult, SearchWork } from './search/searcher.js';
export type * from './types.js';
