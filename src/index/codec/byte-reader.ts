/**
 * @module index/codec/byte-reader
 * Sequential reads over a byte array: varints, fixed-width numbers, strings. Bounds are checked, and a
 * read past the end throws a RangeError that the segment loader turns into a CorruptIndexError.
 */

export class ByteReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new RangeError(`read of ${n} bytes at offset ${this.pos} past end ${this.bytes.length}`);
    }
  }

  readVarint(): number {
    const bytes = this.bytes;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= bytes.length) this.need(1);
      const b = bytes[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new RangeError(`varint longer than 8 bytes at offset ${this.pos}`);
  }

  readU8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  readU32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readF64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readBytes(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  readString(): string {
    const n = this.readVarint();
    const b = this.readBytes(n);
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  }

  align(alignment: number): void {
    this.pos += (alignment - (this.pos % alignment)) % alignment;
  }
}
