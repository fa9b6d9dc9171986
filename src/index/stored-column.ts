/**
 * @module index/stored-column
 * "Here is a DocId, give me its string." One stored string per document as UTF-8 bytes plus a
 * Float64Array of offsets (so a column may exceed 4 GB). Values are decoded only when asked for,
 * which keeps hits cheap until the final top-k.
 *
 * The bytes live in memory, or, once the segment is on disk, in its file (`moveToFile`): document
 * text is read back only for the few hits that need it (snippets, the reader), so it costs no RAM.
 * The offsets always stay in memory. The content never changes, only where it is kept.
 */

import * as fs from 'node:fs';
import { type StringSpan, unescapeJson } from '../ingest/json-span.js';

const decoder = new TextDecoder();

/** Where a file-backed column's bytes are: an open file and the offset of byte 0. */
export interface FileBytes {
  fd: number;
  offset: number;
}

export class StoredColumn {
  /** The bytes, when in memory (empty when file-backed). */
  bytes: Uint8Array;
  /** `offsets[i]..offsets[i+1]` is the value of doc i; length = docCount + 1. */
  readonly offsets: Float64Array;
  private file: FileBytes | null = null;

  constructor(bytes: Uint8Array, offsets: Float64Array, file: FileBytes | null = null) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.file = file;
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** Total bytes of all values. */
  get byteLength(): number {
    return this.offsets[this.offsets.length - 1];
  }

  /** True when the bytes are read from a file on demand. */
  get onDisk(): boolean {
    return this.file !== null;
  }

  get(doc: number): string {
    const start = this.offsets[doc];
    const end = this.offsets[doc + 1];
    if (end === start) return '';
    if (this.file) {
      const buf = Buffer.allocUnsafe(end - start);
      this.readInto(start, end, buf, 0);
      return buf.toString('utf8');
    }
    return decoder.decode(this.bytes.subarray(start, end));
  }

  /** Byte length of doc's value, without decoding it. */
  valueLength(doc: number): number {
    return this.offsets[doc + 1] - this.offsets[doc];
  }

  /** Copies bytes [start, end) of the column into `out` at `at`. */
  readInto(start: number, end: number, out: Uint8Array, at: number): void {
    if (!this.file) {
      out.set(this.bytes.subarray(start, end), at);
      return;
    }
    let done = 0;
    const len = end - start;
    while (done < len) {
      const n = fs.readSync(
        this.file.fd,
        out,
        at + done,
        Math.min(len - done, 1 << 30),
        this.file.offset + start + done,
      );
      if (n === 0) throw new RangeError(`stored column: short read at ${this.file.offset + start + done}`);
      done += n;
    }
  }

  /** Closes the backing file, if any (the column cannot be read afterwards). */
  close(): void {
    if (this.file) {
      try {
        fs.closeSync(this.file.fd);
      } catch {
        // Already closed.
      }
    }
  }

  /** From now on, read the bytes from `file` (where they were just written) and free the memory. */
  moveToFile(file: FileBytes): void {
    this.file = file;
    this.bytes = new Uint8Array(0);
  }

  /** Forgets the in-memory bytes once they are written to a file that `moveToFile` will name. */
  dropBytes(): void {
    this.bytes = new Uint8Array(0);
  }

  static fromStrings(values: readonly string[]): StoredColumn {
    const offsets = new Float64Array(values.length + 1);
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      offsets[i] = total;
      total += Buffer.byteLength(values[i], 'utf8');
    }
    offsets[values.length] = total;
    const bytes = Buffer.allocUnsafeSlow(total);
    for (let i = 0; i < values.length; i++) bytes.write(values[i], offsets[i], 'utf8');
    return new StoredColumn(new Uint8Array(bytes.buffer, bytes.byteOffset, total), offsets);
  }

  /** Concatenates the kept docs of several columns (merging segments); runs of kept docs are copied at once. */
  static concat(parts: readonly { column: StoredColumn; keep: (doc: number) => boolean }[]): StoredColumn {
    let total = 0;
    let count = 0;
    for (const { column, keep } of parts) {
      for (let d = 0; d < column.size; d++) {
        if (!keep(d)) continue;
        total += column.valueLength(d);
        count++;
      }
    }
    const buf = Buffer.allocUnsafeSlow(total);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, total);
    const offsets = new Float64Array(count + 1);
    let pos = 0;
    let i = 0;
    for (const { column, keep } of parts) {
      let d = 0;
      while (d < column.size) {
        if (!keep(d)) {
          d++;
          continue;
        }
        const runStart = d;
        while (d < column.size && keep(d)) {
          offsets[i++] = pos + column.offsets[d] - column.offsets[runStart];
          d++;
        }
        const start = column.offsets[runStart];
        const end = column.offsets[d];
        column.readInto(start, end, bytes, pos);
        pos += end - start;
      }
    }
    offsets[count] = pos;
    return new StoredColumn(bytes, offsets);
  }
}

/**
 * Builds a column one value at a time, encoding each string to UTF-8 as it arrives into one buffer
 * that is reused from column to column: the strings can die young (a builder that kept them until
 * the end would promote megabytes of text to the old generation), and no fresh memory is touched
 * per column unless a copy is asked for.
 */
export class StoredColumnWriter {
  private buf: Buffer = Buffer.allocUnsafeSlow(1 << 16);
  private length = 0;
  private offsets = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(value: string): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    const at = this.next(value.length * 3);
    if (value.length > 0) this.length += this.buf.write(value, at, 'utf8');
  }

  /** Adds a line's text span (see ingest/json-span), unescaped. */
  addJson(bytes: Uint8Array, span: StringSpan): void {
    const at = this.next(span.to - span.from);
    this.length += unescapeJson(bytes, span, this.buf, at);
  }

  /**
   * Makes room for `bytes` more bytes at once, instead of doubling up to them. It still at least
   * doubles: a bulk load reserves for each chunk a few bytes more than for the last, and a buffer
   * grown to fit exactly was new memory for each such chunk, each 4 KB of it a page fault when
   * touched. Pages never touched cost nothing.
   */
  reserve(bytes: number): void {
    const need = this.length + bytes;
    if (need > this.buf.length) this.resize(Math.max(need, this.buf.length * 2));
  }

  /** Moves the bytes so far into a new buffer of `size` bytes. */
  private resize(size: number): void {
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** Opens the next value with room for `room` bytes; returns where it starts. */
  private next(room: number): number {
    if (this.count + 1 >= this.offsets.length) {
      const next = new Float64Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    const need = this.length + room;
    if (need > this.buf.length) this.resize(Math.max(need, this.buf.length * 2));
    this.offsets[this.count++] = this.length;
    return this.length;
  }

  /**
   * The values added so far as a column, and the writer empty again. With `borrow`, the column's
   * bytes are a view of the writer's buffer, valid only until the next `add` (for a caller that
   * writes them to a file at once); otherwise they are a copy.
   */
  take(borrow = false): StoredColumn {
    const offsets = this.offsets.slice(0, this.count + 1);
    offsets[this.count] = this.length;
    const view = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
    const bytes = borrow ? view : view.slice();
    this.length = 0;
    this.count = 0;
    return new StoredColumn(bytes, offsets);
  }
}
