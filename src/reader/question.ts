/**
 * @module reader/question
 * What kind of answer a question asks for, and whether a sentence holds that kind of thing: a number
 * for "how many", a date for "when", a name for "who"/"where"/"which". English and Chinese cue words;
 * plain regular expressions, no model. Open questions (what, why, 什么) get no kind: on CMRC 2018
 * (Chinese), rewarding any name or number in their answers lowered answer-in-top-sentence from 0.75
 * to 0.71, and so did rewarding 《》-quoted titles for 谁/哪里 questions.
 */

/** The expected answer type: drives the extractive reader's answer bonus. */
export type QuestionKind = 'quantity' | 'time' | 'entity' | 'none';

const QUANTITY =
  /\bhow\s+(?:many|much|long|far|old|big|large|tall|high|often)\b|多少|几(?!乎)|多[长大高远久重]/iu;
const TIME =
  /\bwhen\b|\bwhat\s+(?:year|date|day|month|time|century)\b|\bwhich\s+(?:year|date|day|month|century)\b|什么时候|何时|哪一?年|哪天|几月/iu;
/** English only: with no cue for Chinese names (see NAME), 谁/哪里 questions are left to term overlap. */
const ENTITY = /\b(?:who|whom|whose|where|which)\b/iu;

/** Words that only mark a question; they carry no topic and are left out of term matching. */
export const QUESTION_WORDS = 'what which who whom whose when where why how many much'.split(' ');

/** Classifies a question by the answer it expects. */
export function questionKind(question: string): QuestionKind {
  if (TIME.test(question)) return 'time'; // first: "几月" is a time, not a quantity
  if (QUANTITY.test(question)) return 'quantity';
  if (ENTITY.test(question)) return 'entity';
  return 'none';
}

const NUMBER =
  /\p{N}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b|[〇一二三四五六七八九十百千万亿两]/iu;
const DATE =
  /\p{N}{3,4}|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|yesterday|today)\b|[年月日]|世纪/iu;
/**
 * A capitalised word that does not start the sentence, or an acronym. Chinese has no capitals and no
 * cheap cue for names (quoting in 《》 marked titles, but measured on CMRC 2018 it hurt), so a
 * Chinese "who"/"where" question gets no bonus.
 */
const NAME = /[^\s.!?]\s+\p{Lu}\p{Ll}|\p{Lu}{2,}/u;

/** True when `sentence` holds the kind of thing the question asks for. */
export function hasAnswerType(sentence: string, kind: QuestionKind): boolean {
  switch (kind) {
    case 'quantity':
      return NUMBER.test(sentence);
    case 'time':
      return DATE.test(sentence);
    case 'entity':
      return NAME.test(sentence);
    default:
      return false;
  }
}
