/**
 * @module index/codec/byte-writer
 * A growable byte buffer (doubling, like tantivy's stacker) with varint and fixed-width writers.
 * Writers only append; `finish()` hands out a trimmed copy. Nothing here knows what the bytes mean.
 */

/** The largest Uint8Array Node 20 allocates (4 GB). */
const MAX_BYTES = 2 ** 32;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    if (need > MAX_BYTES) {
      throw new RangeError(`byte buffer would exceed ${MAX_BYTES} bytes (the largest typed array): ${need}`);
    }
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    cap = Math.min(cap, MAX_BYTES);
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned LEB128 varint of a non-negative integer below 2^53. */
  writeVarint(value: number): void {
    this.ensure(8);
    const buf = this.buf;
    let pos = this.length;
    while (value >= 0x80) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[pos++] = value;
    this.length = pos;
  }

  writeU8(value: number): void {
    this.ensure(1);
    this.buf[this.length++] = value;
  }

  writeU32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  writeF64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A varint length followed by the UTF-8 bytes. */
  writeString(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.writeVarint(bytes.length);
    this.writeBytes(bytes);
  }

  /** Pads with zero bytes up to a multiple of `alignment` (typed-array views need aligned offsets). */
  align(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.ensure(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  /** The written bytes, without copying; valid until the next write. */
  view8(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** A trimmed copy of the written bytes. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}
