/**
 * @module expand/morphology
 * English inflection without a dictionary: WordNet's "morphy" detachment rules (with y → i and
 * doubled consonants added, which WordNet leaves to its exception lists), a regular plural, and the
 * irregular forms of `irregular-forms.ts`. Rule output is a guess: callers keep the candidates a
 * lexicon knows.
 */

import { IRREGULAR_FORMS } from './irregular-forms.js';

/** A part of speech that inflects. */
export type InflectingPos = 'noun' | 'verb' | 'adjective';

/** A guessed base form and the part of speech whose rule produced it. */
export interface RuleBase {
  base: string;
  pos: InflectingPos;
}

const RULES: Record<InflectingPos, readonly (readonly [string, string])[]> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
    ['oes', 'o'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ied', 'y'],
    ['ing', 'e'],
    ['ing', ''],
    ['ying', 'ie'],
  ],
  adjective: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
    ['ier', 'y'],
    ['iest', 'y'],
  ],
};

const DOUBLED = /([bdfgklmnprstvz])\1$/;

/** Candidate base forms of `word` by suffix rules, in rule order, without duplicates per part of speech. */
export function ruleBases(word: string): RuleBase[] {
  const out: RuleBase[] = [];
  const push = (base: string, pos: InflectingPos) => {
    if (base.length < 2 || base === word) return;
    if (!out.some((o) => o.base === base && o.pos === pos)) out.push({ base, pos });
  };
  for (const pos of Object.keys(RULES) as InflectingPos[]) {
    for (const [suffix, replacement] of RULES[pos]) {
      if (!word.endsWith(suffix) || word.length <= suffix.length) continue;
      const base = word.slice(0, word.length - suffix.length) + replacement;
      push(base, pos);
      // running → runn → run, stopped → stop, quizzes → quizz → quiz, bigger → big
      if (replacement === '' && DOUBLED.test(base)) push(base.slice(0, -1), pos);
    }
  }
  return out;
}

/** The regular plural of a noun: city → cities, box → boxes, car → cars. */
export function regularPlural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

let tables: { basesOf: Map<string, string[]>; formsOf: Map<string, string[]> } | undefined;

function irregularTables() {
  if (tables) return tables;
  const basesOf = new Map<string, string[]>();
  const formsOf = new Map<string, string[]>();
  for (const line of IRREGULAR_FORMS.split('\n')) {
    const [base, ...forms] = line.trim().split(' ');
    if (!base || forms.length === 0) continue;
    formsOf.set(base, [...(formsOf.get(base) ?? []), ...forms]);
    for (const form of forms) {
      const bases = basesOf.get(form) ?? [];
      if (!bases.includes(base)) bases.push(base);
      basesOf.set(form, bases);
    }
  }
  tables = { basesOf, formsOf };
  return tables;
}

/** Bases of an irregular form: mice → [mouse], ran → [run], lay → [lie]. */
export function irregularBases(word: string): readonly string[] {
  return irregularTables().basesOf.get(word) ?? [];
}

/** Irregular forms of a base: mouse → [mice], run → [ran]. */
export function irregularForms(base: string): readonly string[] {
  return irregularTables().formsOf.get(base) ?? [];
}
