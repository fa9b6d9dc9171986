/**
 * @module analysis/stop-words
 * Owns the stop word lists. English (and 'porter') use Lucene's classic 33-word English stop set: a
 * small list that drops only words with no ranking value. stopwords-iso's 1300-word English list is
 * far too aggressive for BM25 ranking and is deliberately not used. Other languages use stopwords-iso's
 * list for the language's ISO 639-1 code (Tamil has none). Lists are normalized like terms.
 */

import { createRequire } from 'node:module';
import { normalizeWord } from './normalize.js';

/** Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`. */
export const ENGLISH_STOP_WORDS: readonly string[] = Object.freeze([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
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
