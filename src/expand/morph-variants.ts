/**
 * @module expand/morph-variants
 * Here is a word, give me its other inflections: base forms (mice → mouse, cars → car, ran → run)
 * and forms of those bases (mouse → mice, car → cars), checked against whichever lexicon is loaded.
 */

import type { Embeddings } from './embeddings.js';
import { irregularBases, irregularForms, regularPlural, ruleBases } from './morphology.js';
import type { WordNet } from './wordnet.js';

/**
 * Without WordNet, a rule's guess is kept only when the two words are this close in the embedding
 * space: the vocabulary alone would accept bus → bu or species → specie. Measured on the real
 * vectors: cities/city 0.78, mice/mouse 0.67, arms/arm 0.61 pass; news/new 0.56, ties/tie 0.51,
 * physics/physic 0.21 do not.
 */
export const MORPH_MIN_SIMILARITY = 0.6;

/** The lexicons to check guesses against; with neither, only irregular forms are given. */
export interface Lexicons {
  wordnet?: WordNet;
  embeddings?: Embeddings;
}

/** Inflectional variants of `word` (lower-cased), never the word itself, in a stable order. */
export function morphVariants(word: string, { wordnet, embeddings }: Lexicons): string[] {
  const out: string[] = [];
  const add = (w: string) => {
    if (w !== word && !out.includes(w)) out.push(w);
  };
  const related = (a: string, b: string) =>
    embeddings !== undefined && embeddings.similarity(a, b) >= MORPH_MIN_SIMILARITY;

  let bases: string[];
  if (wordnet) {
    bases = wordnet.baseForms(word);
    if (bases.length === 0) bases = ruleBases(word).flatMap((r) => (related(word, r.base) ? [r.base] : []));
  } else {
    bases = [
      ...irregularBases(word),
      ...ruleBases(word).flatMap((r) => (related(word, r.base) ? [r.base] : [])),
    ];
  }
  for (const base of bases) add(base);

  for (const base of [word, ...bases]) {
    const irregular = irregularForms(base);
    for (const form of irregular) add(form);
    if (irregular.length > 0) continue;
    const plural = regularPlural(base);
    if (plural === word || out.includes(plural)) continue;
    const isNoun = wordnet?.partsOfSpeech(base).includes('noun') ?? false;
    if (isNoun || related(base, plural)) add(plural);
  }
  return out;
}
