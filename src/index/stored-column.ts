/**
 * @module index/stored-column
 * "Here is a DocId, give me its string." One stored string per document as UTF-8 bytes plus a
 * Float64Array of offsets (so a column may exceed 4 GB). Values are decoded only when asked for,
 * which is what keeps hits cheap until the final top-k.
 */

const decoder = new TextDecoder();

export class StoredColumn {
  readonly bytes: Uint8Array;
  /** `offsets[i]..offsets[i+1]` is the value of doc i; length = docCount + 1. */
  readonly offsets: Float64Array;

  constructor(bytes: Uint8Array, offsets: Float64Array) {
    this.bytes = bytes;
    this.offsets = offsets;
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  get(doc: number): string {
    const start = this.offsets[doc];
    const end = this.offsets[doc + 1];
    if (end === start) return '';
    return decoder.decode(this.bytes.subarray(start, end));
  }

  /** Byte length of doc's value, without decoding it. */
  byteLength(doc: number): number {
    return this.offsets[doc + 1] - this.offsets[doc];
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

  /** Concatenates the kept docs of several columns (merging segments). */
  static concat(parts: readonly { column: StoredColumn; keep: (doc: number) => boolean }[]): StoredColumn {
    let total = 0;
    let count = 0;
    for (const { column, keep } of parts) {
      for (let d = 0; d < column.size; d++) {
        if (!keep(d)) continue;
        total += column.byteLength(d);
        count++;
      }
    }
    const bytes = new Uint8Array(total);
    const offsets = new Float64Array(count + 1);
    let pos = 0;
    let i = 0;
    for (const { column, keep } of parts) {
      for (let d = 0; d < column.size; d++) {
        if (!keep(d)) continue;
        offsets[i++] = pos;
        const start = column.offsets[d];
        const end = column.offsets[d + 1];
        bytes.set(column.bytes.subarray(start, end), pos);
        pos += end - start;
      }
    }
    offsets[count] = pos;
    return new StoredColumn(bytes, offsets);
  }
}
