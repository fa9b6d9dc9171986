/**
 * @module index/segment-file
 * Segment <-> file (layout in codec/FORMAT.md). Arrays are written raw (little-endian) at 8-byte
 * aligned file offsets, so loading is one read, one checksum pass and typed-array views over the
 * bytes: no per-term decoding, no copies. Document text comes last and is not loaded: the whole
 * file is checksummed on open (the text streamed through a small reused buffer), then the text is
 * read back per document on demand.
 */

import * as fs from 'node:fs';
import { CorruptIndexError } from '../errors.js';
import { ByteReader } from './codec/byte-reader.js';
import { ByteWriter } from './codec/byte-writer.js';
import { crc32 } from './codec/crc32.js';
import { checkFooter, checkHeader, FOOTER_BYTES, HEADER_BYTES, readAt, writeContainer } from './container.js';
import { type FieldPostings, Segment, type SharedHead } from './segment.js';
import { StoredColumn } from './stored-column.js';
import { TermDictionary } from './term-dictionary.js';

export const SEGMENT_MAGIC = 'FNLSEG';
export const SEGMENT_VERSION = 1;
/** TextsStart(f64) then the container footer: Crc32(u32) "FEND" */
const TAIL_BYTES = 8 + FOOTER_BYTES;

type Typed = Uint8Array | Uint32Array | Float64Array;

/** Collects chunks and keeps every array 8-byte aligned in the file. */
class ChunkList {
  readonly chunks: Uint8Array[] = [];
  pos = HEADER_BYTES;
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

  /** Writes an array; returns the file offset of its first byte. */
  array(a: Typed): number {
    this.f64(a.byteLength);
    this.flushSmall();
    const pad = (8 - (this.pos % 8)) % 8;
    if (pad) this.push(new Uint8Array(pad));
    const at = this.pos;
    this.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return at;
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

/**
 * Writes a segment file durably. Returns its size and the file offset of the document text, so
 * the caller can switch the text column to read from the file (`StoredColumn.moveToFile`).
 */
export function writeSegment(
  file: string,
  segment: Segment,
  fieldNames: readonly string[],
): { bytes: number; textsOffset: number } {
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
  for (const c of [segment.ids, segment.titles, segment.metas]) {
    out.array(materialize(c));
    out.array(c.offsets);
  }
  out.array(segment.texts.offsets);
  const textsOffset = out.array(materialize(segment.texts));
  out.f64(textsOffset);
  const bytes = writeContainer(file, SEGMENT_MAGIC, SEGMENT_VERSION, out.finish());
  return { bytes, textsOffset };
}

/** A column's bytes in memory (a file-backed column is read back: only when merging wrote it). */
function materialize(c: StoredColumn): Uint8Array {
  if (!c.onDisk) return c.bytes;
  const buf = new Uint8Array(c.byteLength);
  c.readInto(0, c.byteLength, buf, 0);
  return buf;
}

/**
 * Loads a segment file; its document text stays in the file (kept open). Throws
 * CorruptIndexError naming the file on any inconsistency, before anything is returned.
 */
export function readSegment(
  file: string,
  fieldNames: readonly string[],
): { segment: Segment; bytes: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const segment = load(fd, file, fieldNames);
    return { segment, bytes: fs.fstatSync(fd).size };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

function load(fd: number, file: string, fieldNames: readonly string[]): Segment {
  const size = fs.fstatSync(fd).size;
  if (size < HEADER_BYTES + TAIL_BYTES) {
    throw new CorruptIndexError(
      file,
      `truncated: ${size} bytes, expected at least ${HEADER_BYTES + TAIL_BYTES}`,
    );
  }
  const tail = Buffer.alloc(TAIL_BYTES);
  readAt(fd, tail, size - TAIL_BYTES, file);
  checkFooter(tail.subarray(8), file, null);
  const textsStart = tail.readDoubleLE(0);
  if (!Number.isInteger(textsStart) || textsStart < HEADER_BYTES || textsStart > size - TAIL_BYTES) {
    throw new CorruptIndexError(file, `bad text offset ${textsStart} in a file of ${size} bytes`);
  }
  // The in-memory part: everything before the text; its own buffer, so views are 8-byte aligned,
  // and shared, so search threads can score the segment over the same memory.
  const head = Buffer.from(new SharedArrayBuffer(textsStart));
  readAt(fd, head, 0, file);
  checkHeader(head, file, SEGMENT_MAGIC, SEGMENT_VERSION);
  // Checksum: the head, then the rest streamed through one reused buffer.
  let crc = crc32(head);
  const scratch = Buffer.allocUnsafe(4 << 20);
  const crcEnd = size - FOOTER_BYTES;
  for (let off = textsStart; off < crcEnd; ) {
    const n = Math.min(scratch.length, crcEnd - off);
    readAt(fd, scratch.subarray(0, n), off, file);
    crc = crc32(scratch.subarray(0, n), crc);
    off += n;
  }
  checkFooter(tail.subarray(8), file, crc);
  try {
    return parse(new Uint8Array(head.buffer, head.byteOffset, head.length), fd, textsStart, fieldNames);
  } catch (err) {
    throw new CorruptIndexError(file, `inconsistent segment: ${(err as Error).message}`);
  }
}

/**
 * A segment over the shared index bytes of one loaded in another thread (`Segment.shared`): for
 * scoring only; its document text is not readable here.
 */
export function parseSegmentHead(shared: SharedHead, fieldNames: readonly string[]): Segment {
  return parse(shared.head, -1, shared.textsStart, fieldNames);
}

function parse(head: Uint8Array, fd: number, textsStart: number, fieldNames: readonly string[]): Segment {
  const r = new ByteReader(head, HEADER_BYTES);
  const buffer = head.buffer;
  const arr = <T extends Typed>(
    make: (b: ArrayBufferLike, off: number, len: number) => T,
    width: number,
  ): T => {
    const len = r.readF64();
    r.pos += (8 - (r.pos % 8)) % 8;
    if (len % width !== 0 || r.pos + len > head.length)
      throw new RangeError(`array of ${len} bytes at ${r.pos}`);
    const a = make(buffer, head.byteOffset + r.pos, len / width);
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
      throw new RangeError(`field ${name}: norms=${field.norms.length} docs=${docCount} terms=${terms.size}`);
    }
    fields.push(field);
  }
  const column = () => new StoredColumn(u8(), f64());
  const ids = column();
  const titles = column();
  const metas = column();
  const textOffsets = f64();
  const textLength = r.readF64();
  if (textOffsets.length !== docCount + 1 || textOffsets[docCount] !== textLength) {
    throw new RangeError(`text offsets: ${textOffsets.length} for ${docCount} docs, ${textLength} bytes`);
  }
  r.pos += (8 - (r.pos % 8)) % 8;
  if (r.pos !== textsStart) throw new RangeError(`text starts at ${r.pos}, trailer says ${textsStart}`);
  const texts = new StoredColumn(new Uint8Array(0), textOffsets, { fd, offset: textsStart });
  if (ids.size !== docCount) throw new RangeError(`ids: actual ${ids.size} vs expected ${docCount}`);
  const shared = head.buffer instanceof SharedArrayBuffer ? { head, textsStart } : undefined;
  return new Segment({ shared, docCount, fields, ids, titles, texts, metas });
}
