import { describe, expect, it } from 'vitest';
import { whereFrom } from './provenance.js';

describe('whereFrom', () => {
  it('shows file:line for text, the page for PDF, subject, sender and date for mail', () => {
    expect(whereFrom('a.md#x', { path: 'a.md', line: 12, 'line-end': 30 })).toBe('a.md:12-30');
    expect(whereFrom('a.md#x', { path: 'a.md', line: 7, 'line-end': 7 })).toBe('a.md:7');
    // A citation inside the passage: lines counted from the passage's first line.
    const span = { text: 'one\ntwo\nthree\nfour', start: 4, end: 13 };
    expect(whereFrom('a.md#x', { path: 'a.md', line: 10, 'line-end': 13 }, 'A', span)).toBe('a.md:11-12');
    expect(whereFrom('p.pdf#x', { path: 'p.pdf', type: 'pdf', page: 4 })).toBe('p.pdf, page 4');
    expect(
      whereFrom(
        'm/1#x',
        {
          path: 'm/1',
          type: 'mail',
          from: ['ann@x.org'],
          'from-name': 'Ann Lee',
          date: '2023-08-01T10:00:00.000Z',
        },
        'Picnic',
      ),
    ).toBe('"Picnic" from Ann Lee <ann@x.org>, 2023-08-01 (m/1)');
    expect(whereFrom('d1', {})).toBe('d1');
    expect(
      whereFrom('p.html#x', { path: 'p.html', start: 100 }, 'P', { text: 'abc', start: 1, end: 3 }),
    ).toBe('p.html, chars 101-103');
  });
});
