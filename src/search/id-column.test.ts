import { describe, expect, it } from 'vitest';
import { IdColumn } from './id-column.js';

describe('IdColumn', () => {
  it('names rows only when asked, and once for toArray', () => {
    const asked: number[] = [];
    const ids = new IdColumn(1000, (row) => {
      asked.push(row);
      return `doc-${row}`;
    });
    expect(ids.length).toBe(1000);
    expect(asked).toEqual([]);
    expect(ids.at(7)).toBe('doc-7');
    expect(asked).toEqual([7]);
    const all = ids.toArray();
    expect(all).toHaveLength(1000);
    expect(all[999]).toBe('doc-999');
    expect(ids.toArray()).toBe(all);
    asked.length = 0;
    expect(ids.at(3)).toBe('doc-3');
    expect(asked).toEqual([]); // named already
  });

  it('picks rows in the given order, small picks named at once and large ones on demand', () => {
    let calls = 0;
    const ids = new IdColumn(10_000, (row) => {
      calls++;
      return `d${row}`;
    });
    const small = ids.pick([5, 2, 9]);
    expect(small.toArray()).toEqual(['d5', 'd2', 'd9']);
    const rows = Array.from({ length: 5000 }, (_, i) => 9999 - 2 * i);
    calls = 0;
    const large = ids.pick(rows);
    expect(calls).toBe(0);
    expect(large.length).toBe(5000);
    expect(large.at(0)).toBe('d9999');
    expect(large.at(4999)).toBe('d1');
    // The rows are copied: changing the caller's array later changes nothing.
    rows[1] = 0;
    expect(large.at(1)).toBe('d9997');
    expect(IdColumn.of(['a', 'b']).toArray()).toEqual(['a', 'b']);
  });
});
