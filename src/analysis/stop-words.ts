/**
 * @module analysis/stop-words
 * Owns the stop word lists. English (and 'porter') use the Snowball English stop list (~150 function
 * words), measured to rank best here. stopwords-iso's 1300-word English list is
 * far too aggressive for BM25 ranking and is deliberately not used. Other languages use stopwords-iso's
 * list for the language's ISO 639-1 code (Tamil has none). Lists are normalized like terms.
 */

import { createRequire } from 'node:module';
import { normalizeWord } from './normalize.js';

/**
 * The Snowball project's English stop list (snowballstem.org, english/stop.txt), without its
 * contractions, which this tokenizer splits at the apostrophe anyway. Chosen over Lucene's 33
 * words by measurement on ../shared/data: +0.006 mean nDCG@10 over nine collections, and more on
 * the sets with long natural-language queries (cisi +0.018, cystic-fibrosis +0.010); see
 * docs/RANKING.md.
 */
export const ENGLISH_STOP_WORDS: readonly string[] = Object.freeze([
  'i',
  'me',
  'my',
  'myself',
  'we',
  'our',
  'ours',
  'ourselves',
  'you',
  'your',
  'yours',
  'yourself',
  'yourselves',
  'he',
  'him',
  'his',
  'himself',
  'she',
  'her',
  'hers',
  'herself',
  'it',
  'its',
  'itself',
  'they',
  'them',
  'their',
  'theirs',
  'themselves',
  'what',
  'which',
  'who',
  'whom',
  'this',
  'that',
  'these',
  'those',
  'am',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'have',
  'has',
  'had',
  'having',
  'do',
  'does',
  'did',
  'doing',
  'would',
  'should',
  'could',
  'ought',
  'a',
  'an',
  'the',
  'and',
  'but',
  'if',
  'or',
  'because',
  'as',
  'until',
  'while',
  'of',
  'at',
  'by',
  'for',
  'with',
  'about',
  'against',
  'between',
  'into',
  'through',
  'during',
  'before',
  'after',
  'above',
  'below',
  'to',
  'from',
  'up',
  'down',
  'in',
  'out',
  'on',
  'off',
  'over',
  'under',
  'again',
  'further',
  'then',
  'once',
  'here',
  'there',
  'when',
  'where',
  'why',
  'how',
  'all',
  'any',
  'both',
  'each',
  'few',
  'more',
  'most',
  'other',
  'some',
  'such',
  'no',
  'nor',
  'not',
  'only',
  'own',
  'same',
  'so',
  'than',
  'too',
  'very',
  'cannot',
]);

/** Snowball algorithm name → ISO 639-1 code of its stopwords-iso list. */
const ISO_CODES: Readonly<Record<string, string>> = {
  arabic: 'ar',
  armenian: 'hy',
  basque: 'eu',
  catalan: 'ca',
  czech: 'cs',
  danish: 'da',
  dutch: 'nl',
  finnish: 'fi',
  french: 'fr',
  german: 'de',
  hungarian: 'hu',
  italian: 'it',
  irish: 'ga',
  norwegian: 'no',
  portuguese: 'pt',
  romanian: 'ro',
  russian: 'ru',
  spanish: 'es',
  slovene: 'sl',
  swedish: 'sv',
  turkish: 'tr',
};

let isoLists: Record<string, string[]> | undefined;

/** The default stop word list of a language (empty when it has none, e.g. 'none' or 'tamil'). */
export function defaultStopWords(language: string): readonly string[] {
  if (language === 'english' || language === 'porter') return ENGLISH_STOP_WORDS;
  const code = ISO_CODES[language];
  if (code === undefined) return [];
  // Loaded lazily (about 100 kB of JSON) and only when a non-English list is asked for.
  isoLists ??= createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;
  return isoLists[code] ?? [];
}

/** A stop set holding each word in its normalized (lower-cased, folded) term form. */
export function buildStopSet(words: readonly string[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const w of words) {
    const t = normalizeWord(w);
    if (t.length > 0) set.add(t);
  }
  return set;
}
