/**
 * @module index/meta-index
 * "Here is key:value (or a range), give me the DocIds." Per segment, built from the stored metadata:
 * exact values are case-folded strings mapped to sorted doc lists; numbers and ISO dates also go to a
 * numeric column (epoch milliseconds for dates) for range filters. A multi-valued key matches a
 * range if any of its values does.
 */

import type { MetaValue } from '../types.js';

const ISO_DATE = /^\d{4}-\d{2}(-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?$/;

/** Turns a metadata value into a number for range filters, if it is a number or an ISO date. */
export function metaNumber(value: MetaValue | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const s = value.trim();
    if (ISO_DATE.test(s)) {
      const t = Date.parse(s.length === 7 ? `${s}-01` : s);
      return Number.isNaN(t) ? undefined : t;
    }
    if (s !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  }
  return undefined;
}

/** The exact-match form of a value: case-folded text. */
export function metaKey(value: MetaValue): string {
  return String(value).normalize('NFKC').toLowerCase();
}

export interface KeyIndex {
  exact: Map<string, Uint32Array>;
  /** Per doc: the numeric values, as [doc, value] pairs sorted by doc. */
  numericDocs: Uint32Array;
  numericValues: Float64Array;
}

export class MetaIndex {
  readonly keys: Map<string, KeyIndex>;

  constructor(keys: Map<string, KeyIndex>) {
    this.keys = keys;
  }

  static empty(): MetaIndex {
    return new MetaIndex(new Map());
  }

  /** Builds the index from each doc's metadata (undefined = none). */
  static build(metas: readonly (Record<string, MetaValue | MetaValue[]> | undefined)[]): MetaIndex {
    const exact = new Map<string, Map<string, number[]>>();
    const numeric = new Map<string, { docs: number[]; values: number[] }>();
    for (let doc = 0; doc < metas.length; doc++) {
      const meta = metas[doc];
      if (!meta) continue;
      for (const key of Object.keys(meta)) {
        const raw = meta[key];
        const values = Array.isArray(raw) ? raw : [raw];
        for (const value of values) {
          if (value === null || value === undefined) continue;
          let byValue = exact.get(key);
          if (!byValue) {
            byValue = new Map();
            exact.set(key, byValue);
          }
          const k = metaKey(value);
          const list = byValue.get(k);
          if (!list) byValue.set(k, [doc]);
          else if (list[list.length - 1] !== doc) list.push(doc);
          const num = metaNumber(value);
          if (num !== undefined) {
            let col = numeric.get(key);
            if (!col) {
              col = { docs: [], values: [] };
              numeric.set(key, col);
            }
            col.docs.push(doc);
            col.values.push(num);
          }
        }
      }
    }
    const keys = new Map<string, KeyIndex>();
    for (const [key, byValue] of exact) {
      const ex = new Map<string, Uint32Array>();
      for (const [v, docs] of byValue) ex.set(v, Uint32Array.from(docs));
      const col = numeric.get(key);
      keys.set(key, {
        exact: ex,
        numericDocs: col ? Uint32Array.from(col.docs) : new Uint32Array(0),
        numericValues: col ? Float64Array.from(col.values) : new Float64Array(0),
      });
    }
    return new MetaIndex(keys);
  }

  /** Sets bits in `out` (one byte per doc) for docs whose `key` equals `value` (case-folded). */
  markExact(key: string, value: string, out: Uint8Array, mark: number): void {
    const docs = this.keys.get(key)?.exact.get(metaKey(value));
    if (!docs) return;
    for (let i = 0; i < docs.length; i++) out[docs[i]] |= mark;
  }

  /** Sets bits for docs with a numeric `key` value in [min, max] (bounds inclusive as flagged). */
  markRange(
    key: string,
    min: number,
    max: number,
    minInclusive: boolean,
    maxInclusive: boolean,
    out: Uint8Array,
    mark: number,
  ): void {
    const k = this.keys.get(key);
    if (!k) return;
    const { numericDocs, numericValues } = k;
    for (let i = 0; i < numericDocs.length; i++) {
      const v = numericValues[i];
      if ((minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max))
        out[numericDocs[i]] |= mark;
    }
  }
}
