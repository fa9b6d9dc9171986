/**
 * @module expand/dot-kernel
 * Dot products of one word vector with each of the first n vectors of the table, as exact int32
 * sums of int8 products: the neighbour search's inner loop. Run by a small WebAssembly module with
 * SIMD (`dot.wat`, 16 bytes a step: ~10x the JS loop), whose memory holds a copy of the searched
 * vectors, made on the first search; by a JS loop where WebAssembly SIMD is missing. Both give the
 * same integers.
 */

import { DOT_WASM_BASE64 } from './dot-wasm.js';

const PAGE = 65_536;

interface DotsExport {
  dots(q: number, v: number, n: number, dims: number, out: number): void;
}

/** The part of the WebAssembly API used here (the global is not in this build's type libraries). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const Wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null where this engine cannot run it (no WebAssembly SIMD). */
function dotModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = Wasm ? new Wasm.Module(Buffer.from(DOT_WASM_BASE64, 'base64')) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The dot products of one row of `vectors` with its first `n` rows. */
export class DotKernel {
  private wasm: { exports: DotsExport; bytes: Int8Array; out: Int32Array; query: number } | null = null;
  private readonly js: Int32Array;

  /**
   * @param vectors the table, `dims` int8 components a row
   * @param rows how many leading rows a search may cover
   * @param useWasm false to use the JS loop (tests compare the two)
   */
  constructor(
    private readonly vectors: Int8Array,
    private readonly dims: number,
    readonly rows: number,
    private readonly useWasm = true,
  ) {
    this.js = new Int32Array(useWasm && dotModule() ? 0 : rows);
  }

  /** Whether the WebAssembly module runs the products. */
  get simd(): boolean {
    return this.useWasm && dotModule() !== null;
  }

  /** Row `q` dotted with rows 0..n-1 (n <= rows); valid until the next call. */
  dots(q: number, n: number): Int32Array {
    if (n > this.rows || q < 0 || (q + 1) * this.dims > this.vectors.length)
      throw new RangeError(`dots: row ${q}, ${n} rows of ${this.rows}`);
    const wasm = this.useWasm ? this.instance() : null;
    if (wasm === null) return this.dotsJs(q, n);
    wasm.bytes.set(this.vectors.subarray(q * this.dims, (q + 1) * this.dims), wasm.query);
    wasm.exports.dots(wasm.query, 0, n, this.dims, wasm.out.byteOffset);
    return wasm.out.subarray(0, n);
  }

  /** The module with the rows copied into its memory: rows, then the query, then the results. */
  private instance() {
    if (this.wasm === null) {
      const module = dotModule();
      if (module === null) return null;
      const table = this.rows * this.dims;
      const query = table;
      const outAt = Math.ceil((query + this.dims) / 4) * 4;
      const api = Wasm as WasmApi;
      const memory = new api.Memory({ initial: Math.ceil((outAt + this.rows * 4) / PAGE) + 1 });
      const exports = new api.Instance(module, { env: { memory } }).exports as DotsExport;
      const bytes = new Int8Array(memory.buffer);
      bytes.set(this.vectors.subarray(0, table));
      this.wasm = { exports, bytes, out: new Int32Array(memory.buffer, outAt, this.rows), query };
    }
    return this.wasm;
  }

  private dotsJs(q: number, n: number): Int32Array {
    const dims = this.dims;
    const v = this.vectors;
    const out = this.js;
    const qa = q * dims;
    const end4 = dims & ~3;
    for (let r = 0, base = 0; r < n; r++, base += dims) {
      // Four independent sums: about 1.5x faster than one in V8 (small integers, no overflow).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let d = 0;
      for (; d < end4; d += 4) {
        s0 += v[qa + d] * v[base + d];
        s1 += v[qa + d + 1] * v[base + d + 1];
        s2 += v[qa + d + 2] * v[base + d + 2];
        s3 += v[qa + d + 3] * v[base + d + 3];
      }
      for (; d < dims; d++) s0 += v[qa + d] * v[base + d];
      out[r] = s0 + s1 + s2 + s3;
    }
    return out.subarray(0, n);
  }
}
