/**
 * @module index/segment-file
 * Segment <-> file (layout in codec/FORMAT.md). Arrays are written raw (little-endian) at 8-byte
 * aligned file offsets, so loading a segment is one read, one checksum pass and typed-array views
 * over the file's bytes: no per-term decoding, no copies.
 */

import { CorruptIndexError } from '../errors.js';
import { ByteReader } from './codec/byte-reader.js';
import { ByteWriter } from './codec/byte-writer.js';
import { readContainer, writeContainer } from './container.js';
import { type FieldPostings, Segment } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { TermDictionary } from './term-dictionary.js';

export const SEGMENT_MAGIC = 'FNLSEG';
export const SEGMENT_VERSION = 1;
const HEADER_BYTES = 12;

type Typed = Uint8Array | Uint32Array | Float64Array;

/** Collects chunks and keeps every array 8-byte aligned in the file. */
class ChunkList {
  readonly chunks: Uint8Array[] = [];
  private pos = HEADER_BYTES;
  private small = new ByteWriter(256);

  u32(v: number): void {
    this.small.writeU32(v);
  }

  f64(v: number): void {
    this.small.writeF64(v);
  }

  string(s: string): void {
    this.small.writeString(s);
  }

  array(a: Typed): void {
    this.f64(a.byteLength);
    this.flushSmall();
    const pad = (8 - (this.pos % 8)) % 8;
    if (pad) this.push(new Uint8Array(pad));
    this.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  finish(): Uint8Array[] {
    this.flushSmall();
    return this.chunks;
  }

  private flushSmall(): void {
    if (this.small.length === 0) return;
    this.push(this.small.finish());
    this.small.reset();
  }

  private push(c: Uint8Array): void {
    this.chunks.push(c);
    this.pos += c.byteLength;
  }
}

/** Writes a segment file durably; returns its size in bytes. */
export function writeSegment(file: string, segment: Segment, fieldNames: readonly string[]): number {
  const out = new ChunkList();
  out.u32(segment.docCount);
  out.u32(segment.fields.length);
  segment.fields.forEach((f, i) => {
    out.string(fieldNames[i]);
    out.f64(f.sumLength);
    out.f64(f.maxDocFreq);
    out.array(f.terms.bytes);
    out.array(f.terms.offsets);
    out.array(f.docFreq);
    out.array(f.postingsOffsets);
    out.array(f.postings);
    out.array(f.positionsOffsets);
    out.array(f.positions);
    out.array(f.norms);
  });
  for (const c of [segment.ids, segment.titles, segment.texts, segment.metas]) {
    out.array(c.bytes);
    out.array(c.offsets);
  }
  return writeContainer(file, SEGMENT_MAGIC, SEGMENT_VERSION, out.finish());
}

/** Loads a segment file; throws CorruptIndexError naming the file on any inconsistency. */
export function readSegment(
  file: string,
  fieldNames: readonly string[],
): { segment: Segment; bytes: number } {
  const { body, fileBytes } = readContainer(file, SEGMENT_MAGIC, SEGMENT_VERSION);
  try {
    const r = new ByteReader(body);
    const buffer = body.buffer;
    const base = body.byteOffset;
    const arr = <T extends Typed>(
      make: (b: ArrayBufferLike, off: number, len: number) => T,
      width: number,
    ): T => {
      const len = r.readF64();
      r.pos += (8 - ((base + r.pos) % 8)) % 8;
      if (len % width !== 0 || r.pos + len > body.length)
        throw new RangeError(`array of ${len} bytes at ${r.pos}`);
      const a = make(buffer, base + r.pos, len / width);
      r.pos += len;
      return a;
    };
    const u8 = () => arr((b, o, n) => new Uint8Array(b, o, n), 1);
    const u32 = () => arr((b, o, n) => new Uint32Array(b, o, n), 4);
    const f64 = () => arr((b, o, n) => new Float64Array(b, o, n), 8);

    const docCount = r.readU32();
    const fieldCount = r.readU32();
    if (fieldCount !== fieldNames.length) {
      throw new RangeError(`field count: actual ${fieldCount} vs expected ${fieldNames.length}`);
    }
    const fields: FieldPostings[] = [];
    for (let i = 0; i < fieldCount; i++) {
      const name = r.readString();
      if (name !== fieldNames[i])
        throw new RangeError(`field ${i}: actual "${name}" vs expected "${fieldNames[i]}"`);
      const sumLength = r.readF64();
      const maxDocFreq = r.readF64();
      const terms = new TermDictionary(u8(), u32());
      const field: FieldPostings = {
        terms,
        docFreq: u32(),
        postingsOffsets: f64(),
        postings: u8(),
        positionsOffsets: f64(),
        positions: u8(),
        norms: u8(),
        sumLength,
        maxDocFreq,
      };
      if (field.norms.length !== docCount || field.docFreq.length !== terms.size) {
        throw new RangeError(
          `field ${name}: norms=${field.norms.length} docs=${docCount} terms=${terms.size}`,
        );
      }
      fields.push(field);
    }
    const column = () => new StoredColumn(u8(), f64());
    const ids = column();
    const titles = column();
    const texts = column();
    const metas = column();
    if (ids.size !== docCount) throw new RangeError(`ids: actual ${ids.size} vs expected ${docCount}`);
    return { segment: new Segment({ docCount, fields, ids, titles, texts, metas }), bytes: fileBytes };
  } catch (err) {
    if (err instanceof CorruptIndexError) throw err;
    throw new CorruptIndexError(file, `inconsistent segment: ${(err as Error).message}`);
  }
}
