import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { crc32, crc32Js } from './crc32.js';
import { decodeFieldNorm, encodeFieldNorm, FIELD_NORM_EXACT_BELOW } from './field-norm.js';
import { decodeChunk, PositionsReader, PostingsCursor, skipVarints, writeDocFreq } from './postings.js';

describe('varint', () => {
  it('round-trips any non-negative safe integer', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat()), (values) => {
        const w = new ByteWriter(4);
        for (const v of values) w.writeVarint(v);
        const r = new ByteReader(w.finish());
        for (const v of values) expect(r.readVarint()).toBe(v);
        expect(r.remaining).toBe(0);
      }),
    );
  });

  it('throws on a truncated varint', () => {
    expect(() => new ByteReader(Uint8Array.of(0x80)).readVarint()).toThrow(RangeError);
  });
});

describe('crc32', () => {
  it('equals zlib crc32 on random bytes, also when continued', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
        const both = Buffer.concat([a, b]);
        const expected = zlibCrc(both);
        expect(crc32(both)).toBe(expected);
        expect(crc32(b, crc32(a))).toBe(expected);
        expect(crc32Js(both)).toBe(expected);
        expect(crc32Js(b, crc32Js(a))).toBe(expected);
      }),
    );
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    // An empty chunk (even over an empty ArrayBuffer) leaves a running checksum unchanged.
    expect(crc32(new Uint8Array(new ArrayBuffer(0)), 0x12345678)).toBe(0x12345678);
  });
});

function zlibCrc(bytes: Uint8Array): number {
  // Node 20 has no zlib.crc32; the gzip trailer holds the CRC-32 of the input.
  const gz = zlib.gzipSync(bytes);
  return gz.readUInt32LE(gz.length - 8);
}

describe('field norms', () => {
  it('are exact below the threshold and monotone everywhere', () => {
    for (let n = 0; n < FIELD_NORM_EXACT_BELOW; n++) expect(decodeFieldNorm(encodeFieldNorm(n))).toBe(n);
    let prev = -1;
    for (let n = 0; n < 5_000_000; n += 1 + Math.floor(n / 7)) {
      const b = encodeFieldNorm(n);
      expect(b).toBeGreaterThanOrEqual(prev);
      expect(b).toBeLessThan(256);
      const decoded = decodeFieldNorm(b);
      expect(decoded).toBeLessThanOrEqual(n);
      expect(decoded).toBeGreaterThanOrEqual(n * 0.85);
      prev = b;
    }
  });
});

describe('postings', () => {
  const postingsArb = fc.uniqueArray(fc.nat(1_000_000), { minLength: 1, maxLength: 200 }).chain((docs) =>
    fc.tuple(
      fc.constant([...docs].sort((a, b) => a - b)),
      fc.array(fc.uniqueArray(fc.nat(100_000), { minLength: 1, maxLength: 8 }), {
        minLength: docs.length,
        maxLength: docs.length,
      }),
    ),
  );

  it('round-trip docs, freqs and positions', () => {
    fc.assert(
      fc.property(postingsArb, ([docs, posLists]) => {
        const out = new ByteWriter();
        const pos = new ByteWriter();
        let prev = -1;
        docs.forEach((d, i) => {
          const ps = [...posLists[i]].sort((a, b) => a - b);
          let last = 0;
          for (const p of ps) {
            pos.writeVarint(p - last);
            last = p;
          }
          writeDocFreq(out, d - prev, ps.length);
          prev = d;
        });
        const bytes = out.finish();
        const dd = new Int32Array(docs.length);
        const ff = new Int32Array(docs.length);
        // In chunks of 7: a decode resumes exactly where the previous chunk stopped.
        const state = { pos: 0, end: bytes.length, doc: -1 };
        const got: number[] = [];
        const gotFreqs: number[] = [];
        for (let n = decodeChunk(bytes, state, dd, ff, 7); n > 0; n = decodeChunk(bytes, state, dd, ff, 7)) {
          got.push(...dd.subarray(0, n));
          gotFreqs.push(...ff.subarray(0, n));
        }
        expect(got).toEqual(docs);
        expect(gotFreqs).toEqual(posLists.map((p) => p.length));
        const cursor = new PostingsCursor(bytes, 0, bytes.length, pos.finish(), 0);
        const scratch = new Int32Array(16);
        docs.forEach((d, i) => {
          expect(cursor.next()).toBe(true);
          expect(cursor.doc).toBe(d);
          // Read positions of every other doc only: skipping must keep the cursor aligned.
          if (i % 2 === 0) {
            const n = cursor.positions(scratch);
            expect(Array.from(scratch.subarray(0, n))).toEqual([...posLists[i]].sort((a, b) => a - b));
          }
        });
        expect(cursor.next()).toBe(false);
      }),
    );
  });
});

describe('skipVarints', () => {
  it('ends where passing the varints one byte at a time ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 50 }),
        (values, steps) => {
          const out = new ByteWriter();
          for (const v of values) out.writeVarint(v % 3 === 0 ? v : v % 300); // one to five bytes
          const bytes = out.finish();
          let p = 0;
          let left = values.length;
          for (const step of steps) {
            const n = Math.min(step, left);
            let q = p;
            for (let i = 0; i < n; i++) while (bytes[q++] >= 0x80);
            p = skipVarints(bytes, p, n);
            expect(p).toBe(q);
            left -= n;
          }
        },
      ),
    );
  });
});

describe('PositionsReader', () => {
  it('reads the positions of chosen documents after skipping the others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (docsPositions, wanted) => {
          const lists = docsPositions.map((p) => [...p].sort((a, b) => a - b));
          const out = new ByteWriter();
          for (const list of lists) {
            let prev = 0;
            for (const p of list) {
              out.writeVarint(p - prev);
              prev = p;
            }
          }
          const reader = new PositionsReader(out.finish(), 0);
          const buf = new Int32Array(8);
          let skip = 0;
          lists.forEach((list, i) => {
            if (!wanted[i]) {
              skip += list.length;
              return;
            }
            reader.skip(skip);
            skip = 0;
            const kept = reader.read(list.length, buf);
            expect([...buf.subarray(0, kept)]).toEqual(list.slice(0, 8));
          });
        },
      ),
    );
  });
});
