/**
 * @module reader/score-sentences
 * Ranks the sentences of some passages against a question: the IDF-weighted share of the question's
 * terms a sentence contains, plus small bonuses for a higher-ranked passage and for holding the kind
 * of thing the question asks for. Pure and synchronous.
 */

import type { Analyzer } from '../analysis/index.js';
import { hasAnswerType, QUESTION_WORDS, questionKind } from './question.js';
import { type Sentence, splitSentences } from './sentences.js';
import type { Passage } from './types.js';

/** A sentence of a passage with its score. */
export interface ScoredSentence {
  passage: Passage;
  /** Index of the passage in reading order, 0 = best. */
  rank: number;
  /** Offsets relative to the passage text. */
  sentence: Sentence;
  score: number;
}

/** Bonus for the best passage, falling as 1 / (1 + rank): the reranker's order breaks near-ties. */
const RANK_BONUS = 0.1;
/** Bonus for a number in a "how many" answer, a name in a "who" answer...: below one rare term's weight. */
const ANSWER_TYPE_BONUS = 0.15;
/** Factor for a sentence that adds no term beyond the question's: a heading or a restatement. */
const NOTHING_NEW = 0.5;
/** CJK characters that only build questions (什么, 哪里, 多少...): terms made of them alone are ignored. */
const CJK_QUESTION_CHARS = /^[什么哪里儿谁多少几怎样如何为吗呢是的了个]+$/u;

/** BM25's idf: positive for every df <= n. */
function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function questionTerms(question: string, analyzer: Analyzer): string[] {
  const skip = new Set(QUESTION_WORDS.flatMap((w) => analyzer.terms(w, 'query')));
  const terms = analyzer.terms(question, 'query').filter((t) => !skip.has(t) && !CJK_QUESTION_CHARS.test(t));
  return [...new Set(terms)];
}

/** Analyzes a passage once and hands each sentence the set of its terms. */
function sentenceTerms(passage: Passage, sentences: Sentence[], analyzer: Analyzer): Set<string>[] {
  const sets = sentences.map(() => new Set<string>());
  const { terms, starts } = analyzer.analyze(passage.text, 'index');
  for (let i = 0; i < terms.length; i++) {
    let lo = 0;
    let hi = sentences.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sentences[mid].end <= starts[i]) lo = mid + 1;
      else if (sentences[mid].start > starts[i]) hi = mid - 1;
      else {
        sets[mid].add(terms[i]);
        break;
      }
    }
  }
  return sets;
}

/**
 * Scores every sentence of `read` (passages in reading order) against `question`, with document
 * frequencies counted over `all` passages. Returns the sentences that share at least one question
 * term, best first; ties keep reading order.
 */
export function scoreSentences(
  question: string,
  read: readonly Passage[],
  all: readonly Passage[],
  analyzer: Analyzer,
  maxSentenceChars?: number,
): ScoredSentence[] {
  const qTerms = questionTerms(question, analyzer);
  if (qTerms.length === 0) return [];
  const df = new Map<string, number>(qTerms.map((t) => [t, 0]));
  for (const p of all) {
    for (const t of new Set(analyzer.terms(p.text, 'index'))) {
      const count = df.get(t);
      if (count !== undefined) df.set(t, count + 1);
    }
  }
  const n = Math.max(all.length, 1);
  const weights = qTerms.map((t) => idf(df.get(t) ?? 0, n));
  const total = weights.reduce((a, b) => a + b, 0);
  const qSet = new Set(qTerms);
  const kind = questionKind(question);
  const out: ScoredSentence[] = [];
  read.forEach((passage, rank) => {
    const sentences = splitSentences(passage.text, { maxChars: maxSentenceChars });
    const termSets = sentenceTerms(passage, sentences, analyzer);
    sentences.forEach((sentence, i) => {
      const terms = termSets[i];
      let matched = 0;
      for (let q = 0; q < qTerms.length; q++) if (terms.has(qTerms[q])) matched += weights[q];
      if (matched === 0) return;
      let score = matched / total + RANK_BONUS / (1 + rank);
      if (hasAnswerType(sentence.text, kind)) score += ANSWER_TYPE_BONUS;
      if ([...terms].every((t) => qSet.has(t))) score *= NOTHING_NEW;
      out.push({ passage, rank, sentence, score });
    });
  });
  // Array.prototype.sort is stable: equal scores keep reading order.
  return out.sort((a, b) => b.score - a.score);
}
