import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../analysis/index.js';
import { isCorrect, MAX_NEEDLES, makeNeedles, NEEDLE_KINDS } from './facts.js';
import { ADJECTIVES, LANDMARKS, NAMES, NOUNS } from './word-lists.js';

const analyzer = createAnalyzer();
const terms = (text: string) => new Set(analyzer.terms(text, 'index'));

describe('makeNeedles', () => {
  it('has enough distinct words for K = 64', () => {
    for (const list of [ADJECTIVES, NOUNS, NAMES, LANDMARKS.map((p) => p[1])]) {
      expect(new Set(list).size).toBe(list.length);
      expect(list.length).toBeGreaterThanOrEqual(MAX_NEEDLES);
    }
    // Distractors take spare words past K.
    expect(Math.min(ADJECTIVES.length, NOUNS.length)).toBeGreaterThan(MAX_NEEDLES);
  });

  it('is deterministic for a seed, and different for another', () => {
    for (const kind of NEEDLE_KINDS) {
      expect(makeNeedles(kind, 16, 1)).toEqual(makeNeedles(kind, 16, 1));
      expect(makeNeedles(kind, 16, 1).needles).not.toEqual(makeNeedles(kind, 16, 2).needles);
    }
  });

  it('makes distinct facts with distinct values, and questions that name what they need', () => {
    for (const kind of NEEDLE_KINDS) {
      for (const k of [1, 4, 16, 64]) {
        const set = makeNeedles(kind, k, 3);
        const targets = set.needles.filter((n) => n.role === 'target');
        expect(targets).toHaveLength(k);
        expect(new Set(set.needles.map((n) => n.text)).size).toBe(set.needles.length);
        if (kind !== 'aggregate')
          expect(new Set(set.needles.map((n) => n.value)).size).toBe(set.needles.length);
        const needed = set.questions.flatMap((q) => q.needs);
        expect(new Set(needed).size).toBe(k);
        expect(set.questions).toHaveLength(kind === 'multi-key' || kind === 'aggregate' ? 1 : k);
      }
    }
  });

  it('no-overlap needles share no analyzed term with their question', () => {
    for (const seed of [1, 2, 3]) {
      const set = makeNeedles('no-overlap', 64, seed);
      for (const q of set.questions) {
        const needle = set.needles[q.needs[0]].text;
        const shared = [...terms(q.text)].filter((t) => terms(needle).has(t));
        expect(shared, `${q.text} / ${needle}`).toEqual([]);
      }
    }
    // Every landmark-city pair, not only the drawn ones.
    for (const [landmark, city] of LANDMARKS) {
      const shared = [...terms(`Which character has been to ${city}?`)].filter((t) =>
        terms(`Actually, someone lives next to the ${landmark}.`).has(t),
      );
      expect(shared, `${landmark} / ${city}`).toEqual([]);
    }
  });

  it('overlapping kinds share the key words with the question', () => {
    const set = makeNeedles('single', 4, 9);
    for (const q of set.questions) {
      const shared = [...terms(q.text)].filter((t) => terms(set.needles[q.needs[0]].text).has(t));
      expect(shared.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('distractors differ from their target in one key word and carry other values', () => {
    const set = makeNeedles('distractor', 64, 5);
    expect(set.needles).toHaveLength(192);
    for (const q of set.questions) {
      const target = set.needles[q.needs[0]];
      const ds = set.needles.filter((n) => q.forbidden.includes(n.value));
      expect(ds).toHaveLength(2);
      for (const d of ds) {
        const a = target.text.split(' ');
        const b = d.text.split(' ');
        expect(a.filter((w, i) => w !== b[i])).toHaveLength(2); // one key word and the value
      }
    }
  });

  it('aggregate asks for the sum; an answer is right only with every expected and no forbidden value', () => {
    const set = makeNeedles('aggregate', 4, 1);
    const sum = set.needles.reduce((s, n) => s + Number(n.value), 0);
    expect(set.questions[0].expected).toEqual([String(sum)]);
    const q = { text: '', needs: [0], expected: ['123'], forbidden: ['456'] };
    expect(isCorrect(q, 'it is 123')).toBe(true);
    expect(isCorrect(q, 'it is 123 or 456')).toBe(false);
    expect(isCorrect(q, 'it is 12')).toBe(false);
  });

  it('refuses an unknown kind or K out of range', () => {
    expect(() => makeNeedles('single', 65, 1)).toThrow(/illegal K=65/);
    expect(() => makeNeedles('single', 0, 1)).toThrow(/illegal K=0/);
    expect(() => makeNeedles('nope' as never, 1, 1)).toThrow(/unknown kind "nope"/);
  });
});
