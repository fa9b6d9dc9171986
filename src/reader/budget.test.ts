import { describe, expect, test } from 'vitest';
import { estimateTokens, packPassages, resolveBudget } from './budget.js';
import type { Passage } from './types.js';

const passage = (n: number, text: string): Passage => ({ n, docId: `d${n}`, title: '', text, offset: 0 });

describe('token budget', () => {
  test('estimates a token per 4 Latin chars and per CJK char', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefgh')).toBe(2);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('北京是首都')).toBe(5);
    expect(estimateTokens('北京 city')).toBe(4);
    expect(estimateTokens('𠀀𠀀')).toBe(2);
  });

  test('packs in order, skipping what does not fit', () => {
    const ps = [passage(1, 'a'.repeat(40)), passage(2, 'b'.repeat(80)), passage(3, 'c'.repeat(20))];
    const packed = packPassages(ps, 16);
    expect(packed.passages.map((p) => p.n)).toEqual([1, 3]);
    expect(packed.tokens).toBe(15);
  });

  test('cuts the first passage when nothing fits', () => {
    const packed = packPassages([passage(1, `${'北'.repeat(10)}${'x'.repeat(100)}`)], 12);
    expect(packed.passages[0].text).toBe(`${'北'.repeat(10)}${'x'.repeat(8)}`);
    expect(packed.tokens).toBe(12);
  });

  test('rejects an illegal budget', () => {
    expect(resolveBudget(undefined)).toBe(6000);
    expect(() => resolveBudget(0)).toThrow('reader: illegal maxTokens=0, must be a number > 0');
    expect(() => resolveBudget(Number.NaN)).toThrow('illegal maxTokens=NaN');
  });
});
