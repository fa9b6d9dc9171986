/**
 * @module analysis
 * Text analysis: pure string → terms with positions and offsets, no I/O, no index knowledge. The same
 * Analyzer runs at index time and at query time. Re-exports only.
 */

export type {
  AnalyzedText,
  AnalyzeMode,
  Analyzer,
  AnalyzerOptions,
  ResolvedAnalyzerOptions,
} from './analyzer.js';
export { createAnalyzer, SUPPORTED_LANGUAGES } from './analyzer.js';
