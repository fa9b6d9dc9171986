/**
 * @module expand/expand
 * Here are a query's words, give me weighted terms to search for: each word, then its inflections,
 * WordNet synonyms and embedding neighbours, weighted by source, deduplicated and capped. Works with
 * WordNet, embeddings, both or neither loaded; the same input and resources give the same output.
 */

import { type Analyzer, createAnalyzer } from '../analysis/index.js';
import type { Embeddings } from './embeddings.js';
import { morphVariants } from './morph-variants.js';
import { normalizeWord, type WordNet } from './wordnet.js';

/** Where a term came from. */
export type ExpansionSource = 'original' | 'morph' | 'wordnet' | 'embedding';

/** One term of an expanded query. */
export interface ExpandedTerm {
  /** The word, lower case; multiword WordNet lemmas have spaces (`motor vehicle`). */
  word: string;
  source: ExpansionSource;
  /** 1 for the query's words; below 1 for additions (see {@link ExpandOptions.weights}). */
  weight: number;
  /** The query word this term was derived from (itself, for an original). */
  of: string;
}

/** The weight of each kind of addition. */
export interface SourceWeights {
  /** Inflections (mice ↔ mouse, car ↔ cars). Default 0.9. */
  morph: number;
  /** WordNet synonyms; the first gets this, the last allowed half of it. Default 0.7. */
  wordnet: number;
  /** Embedding neighbours get this times their cosine similarity. Default 0.7. */
  embedding: number;
}

export interface ExpandOptions {
  /** WordNet, for base forms and synonyms. */
  wordnet?: WordNet;
  /** Word vectors, for neighbours (and to check inflections when WordNet is not given). */
  embeddings?: Embeddings;
  /** At most this many terms in all, originals included, highest weights kept. Default 50. */
  maxTerms?: number;
  /** Per-source weights of additions; each should be below 1. */
  weights?: Partial<SourceWeights>;
  /** At most this many WordNet synonyms per query word. Default 10. */
  maxSynonyms?: number;
  /** At most this many embedding neighbours per query word. Default 10. */
  maxNeighbours?: number;
  /** Neighbours below this cosine similarity are dropped. Default 0.6. */
  minSimilarity?: number;
  /**
   * The analyzer the index was built with (default: English). Additions it reduces to no terms
   * (stop words, punctuation) are dropped, and terms that analyze alike (restaurant, restaurants
   * when stemming) count as one: they would match the same postings.
   */
  analyzer?: Analyzer;
}

export const DEFAULT_WEIGHTS: Readonly<SourceWeights> = Object.freeze({
  morph: 0.9,
  wordnet: 0.7,
  embedding: 0.7,
});

let english: Analyzer | undefined;

interface Candidate extends ExpandedTerm {
  /** When the term was first found: the tie-break that makes the order stable. */
  order: number;
}

/**
 * Expands the query words `words` (surface words, as typed: `mice`, not a stem). Each original
 * word comes first with weight 1 (a repeated word once, a stop word not at all); then, per word,
 * its inflections, WordNet synonyms and embedding neighbours above `minSimilarity`. A term reached
 * twice keeps its highest weight; an original is never repeated as an addition. The result is
 * sorted by weight, then by the order terms were found, and cut to `maxTerms`.
 */
export function expandQuery(words: readonly string[], options: ExpandOptions = {}): ExpandedTerm[] {
  english ??= createAnalyzer({ language: 'english' });
  const analyzer = options.analyzer ?? english;
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const maxTerms = options.maxTerms ?? 50;
  const maxSynonyms = options.maxSynonyms ?? 10;
  const maxNeighbours = options.maxNeighbours ?? 10;
  const minSimilarity = options.minSimilarity ?? 0.6;
  const { wordnet, embeddings } = options;

  const best = new Map<string, Candidate>();
  let order = 0;
  const offer = (word: string, source: ExpansionSource, weight: number, of: string) => {
    const key = analyzer.terms(word).join(' ');
    if (key === '') return; // a stop word or punctuation: it would match nothing
    const seen = best.get(key);
    if (seen && (seen.source === 'original' || seen.weight >= weight)) return;
    best.set(key, { word, source, weight, of, order: seen ? seen.order : order++ });
  };

  const originals: string[] = [];
  for (const raw of words) {
    const word = normalizeWord(raw);
    if (word === '' || originals.includes(word)) continue;
    originals.push(word);
    offer(word, 'original', 1, word);
  }
  for (const word of originals) {
    if (analyzer.terms(word).length === 0) continue; // a stop word: nothing worth adding either
    for (const variant of morphVariants(word, { wordnet, embeddings })) {
      offer(variant, 'morph', weights.morph, word);
    }
    if (wordnet) {
      const synonyms = wordnet.synonyms(word).slice(0, maxSynonyms);
      synonyms.forEach((synonym, rank) => {
        offer(synonym, 'wordnet', weights.wordnet * (1 - (0.5 * rank) / Math.max(1, maxSynonyms - 1)), word);
      });
    }
    if (embeddings) {
      for (const { word: neighbour, score } of embeddings.neighbours(word, maxNeighbours)) {
        if (score >= minSimilarity) offer(neighbour, 'embedding', weights.embedding * score, word);
      }
    }
  }

  return [...best.values()]
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, Math.max(0, maxTerms))
    .map(({ word, source, weight, of }) => ({ word, source, weight, of }));
}
