/**
 * @module index/growable
 * Append-only typed-array buffers that double when full (never `number[]` of objects in hot paths).
 */

export class U32Buffer {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Makes room for `capacity` values at once (no doubling steps, each a copy into fresh memory). */
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.grow(capacity);
  }

  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Uint32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}
