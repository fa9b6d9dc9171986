import { describe, expect, test } from 'vitest';
import { hasAnswerType, questionKind } from './question.js';

describe('questionKind', () => {
  test('English and Chinese cue words', () => {
    expect(questionKind('How many moons does Mars have?')).toBe('quantity');
    expect(questionKind('长城有多长？')).toBe('quantity');
    expect(questionKind('When was the tower completed?')).toBe('time');
    expect(questionKind('What year did it open?')).toBe('time');
    expect(questionKind('他是哪一年出生的？')).toBe('time');
    expect(questionKind('几月开学？')).toBe('time');
    expect(questionKind('Who designed the tower?')).toBe('entity');
    expect(questionKind('What is a tower?')).toBe('none');
    expect(questionKind('这几乎是什么？')).toBe('none');
  });

  test('answer types', () => {
    expect(hasAnswerType('Mars has two moons.', 'quantity')).toBe(true);
    expect(hasAnswerType('共有二十张地图。', 'quantity')).toBe(true);
    expect(hasAnswerType('Mars has moons.', 'quantity')).toBe(false);
    expect(hasAnswerType('It opened in March 1889.', 'time')).toBe(true);
    expect(hasAnswerType('It was designed by Gustave Eiffel.', 'entity')).toBe(true);
    expect(hasAnswerType('It was designed by an engineer.', 'entity')).toBe(false);
    expect(hasAnswerType('Anything at all 42.', 'none')).toBe(false);
  });
});
