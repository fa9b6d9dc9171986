/**
 * @module ingest/buffer-pool
 * Large read buffers, reused: a bulk load reads its corpus in 32 MB chunks that go to builder
 * threads, and fresh memory costs a page fault per 4 KB the first time it is touched (on this kind
 * of machine, more than reading the file into it). A builder hands a chunk's memory back once it
 * has decoded it, and the next read takes it from here.
 */

/** Buffers kept at most (each is a chunk of tens of MB). */
const MAX_POOLED = 4;
const pool: ArrayBuffer[] = [];

/** A buffer of `size` bytes (content undefined), over pooled memory when a big enough one is free. */
export function takeBuffer(size: number): Buffer {
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const len = pool[i].byteLength;
    if (len >= size && (best < 0 || len < pool[best].byteLength)) best = i;
  }
  if (best < 0) return Buffer.allocUnsafeSlow(size);
  const [ab] = pool.splice(best, 1);
  return Buffer.from(ab, 0, size);
}

/** Gives memory back for reuse; the caller must hold no view of it any more. */
export function giveBuffer(ab: ArrayBuffer): void {
  if (ab.byteLength < 1 << 20) return;
  if (pool.length >= MAX_POOLED) pool.shift();
  pool.push(ab);
}

/** Lets every pooled buffer go (a load has finished: its memory belongs to the index now). */
export function drainBuffers(): void {
  pool.length = 0;
}

/** Buffers pooled now (for tests). */
export function pooledBuffers(): number {
  return pool.length;
}
