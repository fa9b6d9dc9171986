/**
 * @module eval/needle/facts
 * The needles: distinct synthetic facts and the questions that need them, in five kinds.
 *
 * - `single`: K facts ("The access code for the amber falcon vault is 4817293."), one question each.
 * - `multi-key`: K facts with K keys; one question names every key and needs all K (RULER's
 *   multi-key retrieval).
 * - `distractor`: K facts, each with two near-identical distractors (one key word changed, another
 *   value); a question per fact. An answer that also gives a distractor's value is wrong.
 * - `no-overlap`: K facts that share no content word with their question ("Actually, Yuki lives
 *   next to the Semperoper." / "Which character has been to Dresden?"), as in NoLiMa.
 * - `aggregate`: K facts of one kind ("The amber falcon survey team counted 37 nests."); one
 *   question over all K values ("How many nests did the survey teams count in total?").
 *
 * Everything is drawn from a seeded generator: the same (kind, K, seed) gives the same needles.
 */

import { InvalidArgumentError } from '../../errors.js';
import { type Random, seeded, shuffled } from './random.js';
import { ADJECTIVES, LANDMARKS, NAMES, NOUNS } from './word-lists.js';

export const NEEDLE_KINDS = ['single', 'multi-key', 'distractor', 'no-overlap', 'aggregate'] as const;
export type NeedleKind = (typeof NEEDLE_KINDS)[number];

/** Largest K: the word lists have this many distinct keys. */
export const MAX_NEEDLES = 64;

export interface Needle {
  /** Index in the set's `needles`. */
  n: number;
  /** The sentence hidden in the haystack. */
  text: string;
  /** Targets answer a question; distractors only look like they do. */
  role: 'target' | 'distractor';
  value: string;
}

export interface NeedleQuestion {
  text: string;
  /** The target needles the question needs (indexes into `needles`). */
  needs: number[];
  /** Strings that a correct answer contains, all of them. */
  expected: string[];
  /** Strings that a correct answer does not contain (distractors' values). */
  forbidden: string[];
}

export interface NeedleSet {
  kind: NeedleKind;
  k: number;
  seed: number;
  needles: Needle[];
  questions: NeedleQuestion[];
}

interface Template {
  fact: (key: string, value: string) => string;
  question: (key: string) => string;
}

const TEMPLATES: Template[] = [
  {
    fact: (k, v) => `The membership number of the ${k} society is ${v}.`,
    question: (k) => `What is the membership number of the ${k} society?`,
  },
  {
    fact: (k, v) => `The access code for the ${k} vault is ${v}.`,
    question: (k) => `What is the access code for the ${k} vault?`,
  },
  {
    fact: (k, v) => `The registration number of the ${k} ship is ${v}.`,
    question: (k) => `What is the registration number of the ${k} ship?`,
  },
  {
    fact: (k, v) => `The serial number of the ${k} telescope is ${v}.`,
    question: (k) => `What is the serial number of the ${k} telescope?`,
  },
];

/** Distinct 7-digit numbers. */
function valueMaker(random: Random): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const v = String(1_000_000 + Math.floor(random() * 9_000_000));
      if (!used.has(v)) {
        used.add(v);
        return v;
      }
    }
  };
}

/** Needles and questions of one kind; throws on an unknown kind or K outside [1, 64]. */
export function makeNeedles(kind: NeedleKind, k: number, seed: number): NeedleSet {
  if (!NEEDLE_KINDS.includes(kind))
    throw new InvalidArgumentError(
      `needle: unknown kind "${kind}", expected one of ${NEEDLE_KINDS.join(', ')}`,
    );
  if (!Number.isInteger(k) || k < 1 || k > MAX_NEEDLES)
    throw new InvalidArgumentError(`needle: illegal K=${k}, must be an integer in [1, ${MAX_NEEDLES}]`);
  // One stream per (kind, K, seed), so sets of different kinds never share keys by accident of order.
  const random = seeded(seed * 7919 + NEEDLE_KINDS.indexOf(kind) * 131 + k);
  const adjectives = shuffled(ADJECTIVES, random);
  const nouns = shuffled(NOUNS, random);
  const value = valueMaker(random);
  const needles: Needle[] = [];
  const questions: NeedleQuestion[] = [];
  const add = (text: string, role: Needle['role'], v: string) => {
    needles.push({ n: needles.length, text, role, value: v });
    return needles.length - 1;
  };
  const key = (i: number) => `${adjectives[i]} ${nouns[i]}`;
  const template0 = Math.floor(random() * TEMPLATES.length);

  switch (kind) {
    case 'single':
      for (let i = 0; i < k; i++) {
        const t = TEMPLATES[(template0 + i) % TEMPLATES.length];
        const v = value();
        const n = add(t.fact(key(i), v), 'target', v);
        questions.push({ text: t.question(key(i)), needs: [n], expected: [v], forbidden: [] });
      }
      break;
    case 'multi-key': {
      const t = TEMPLATES[0];
      const needs: number[] = [];
      const values: string[] = [];
      for (let i = 0; i < k; i++) {
        const v = value();
        needs.push(add(t.fact(key(i), v), 'target', v));
        values.push(v);
      }
      const keys = Array.from({ length: k }, (_, i) => key(i));
      const text =
        k === 1
          ? t.question(keys[0])
          : `What are the membership numbers of the ${keys.slice(0, -1).join(', ')} and ${keys[k - 1]} societies?`;
      questions.push({ text, needs, expected: values, forbidden: [] });
      break;
    }
    case 'distractor':
      // Keys 0..k-1 are targets; the distractors of target i change its adjective or its noun to
      // one no target uses (the spares past K, in turn): near-identical keys, other values.
      for (let i = 0; i < k; i++) {
        const spareAdjective = adjectives[k + (i % (adjectives.length - k))];
        const spareNoun = nouns[k + (i % (nouns.length - k))];
        const t = TEMPLATES[(template0 + i) % TEMPLATES.length];
        const v = value();
        const n = add(t.fact(key(i), v), 'target', v);
        const d1 = value();
        const d2 = value();
        add(t.fact(`${spareAdjective} ${nouns[i]}`, d1), 'distractor', d1);
        add(t.fact(`${adjectives[i]} ${spareNoun}`, d2), 'distractor', d2);
        questions.push({ text: t.question(key(i)), needs: [n], expected: [v], forbidden: [d1, d2] });
      }
      break;
    case 'no-overlap': {
      const pairs = shuffled(LANDMARKS, random);
      const names = shuffled(NAMES, random);
      for (let i = 0; i < k; i++) {
        const [landmark, city] = pairs[i];
        const n = add(`Actually, ${names[i]} lives next to the ${landmark}.`, 'target', names[i]);
        questions.push({
          text: `Which character has been to ${city}?`,
          needs: [n],
          expected: [names[i]],
          forbidden: [],
        });
      }
      break;
    }
    case 'aggregate': {
      const needs: number[] = [];
      let total = 0;
      for (let i = 0; i < k; i++) {
        const count = 10 + Math.floor(random() * 90);
        total += count;
        needs.push(add(`The ${key(i)} survey team counted ${count} nests.`, 'target', String(count)));
      }
      questions.push({
        text: 'How many nests did the survey teams count in total?',
        needs,
        expected: [String(total)],
        forbidden: [],
      });
      break;
    }
  }
  return { kind, k, seed, needles, questions };
}

/** Whether `answer` is right: it holds every expected string and no forbidden one. */
export function isCorrect(q: NeedleQuestion, answer: string): boolean {
  return q.expected.every((e) => answer.includes(e)) && !q.forbidden.some((f) => answer.includes(f));
}
