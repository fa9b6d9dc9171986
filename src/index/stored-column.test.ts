import { describe, expect, it } from 'vitest';
import { giveBuffer, pooledBuffers, takeBuffer } from '../ingest/buffer-pool.js';
import { StoredColumn, StoredColumnWriter } from './stored-column.js';

describe('StoredColumnWriter', () => {
  const values = ['', 'plain', 'naïve café', '中文字符', '😀 astral', 'x'.repeat(70_000)];

  it('builds the same column as fromStrings, and starts empty again after take', () => {
    const w = new StoredColumnWriter();
    for (const v of values) w.add(v);
    const col = w.take();
    const ref = StoredColumn.fromStrings(values);
    expect(Array.from(col.offsets)).toEqual(Array.from(ref.offsets));
    expect(values.map((_, i) => col.get(i))).toEqual(values);
    expect(w.size).toBe(0);
    w.add('second');
    expect(w.take().get(0)).toBe('second');
    // a copied column is not disturbed by later adds
    expect(col.get(2)).toBe('naïve café');
  });

  it('lends its buffer with borrow, which the next add overwrites', () => {
    const w = new StoredColumnWriter();
    w.add('first value');
    const lent = w.take(true);
    expect(lent.get(0)).toBe('first value');
    w.add('other value');
    expect(lent.get(0)).toBe('other value');
    lent.dropBytes();
    expect(lent.bytes.length).toBe(0);
  });
});

describe('buffer pool', () => {
  it('hands back given memory for a read that fits, and fresh memory otherwise', () => {
    const ab = new ArrayBuffer(2 << 20);
    giveBuffer(ab);
    expect(pooledBuffers()).toBeGreaterThan(0);
    const b = takeBuffer(1 << 20);
    expect(b.buffer).toBe(ab);
    expect(b.length).toBe(1 << 20);
    const fresh = takeBuffer(4 << 20);
    expect(fresh.buffer).not.toBe(ab);
    giveBuffer(new ArrayBuffer(16)); // too small to keep
    expect(takeBuffer(8).buffer.byteLength).toBeGreaterThanOrEqual(8);
  });
});
