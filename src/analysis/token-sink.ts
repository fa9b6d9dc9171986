/**
 * @module analysis/token-sink
 * Owns the output of one `analyze()` call while it is being built: the four parallel arrays, the
 * running position counter and the field length. Every tokenizer path writes through it.
 */

import type { AnalyzedText } from './analyzer.js';
import type { WordFilter } from './word-filter.js';

/** Accumulates the tokens of one text. */
export class TokenSink {
  readonly terms: string[] = [];
  readonly positions: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Next free position. */
  pos = 0;
  private length = 0;
  private lastPos = -1;

  /**
   * With `emit`, tokens go to the callback instead of the arrays (indexing needs no offsets and
   * no per-text arrays: less garbage); with `emitId`, as term ids (see term-ids).
   */
  constructor(
    readonly filter: WordFilter,
    private readonly emit: ((term: string, position: number) => void) | null = null,
    private readonly emitId: ((id: number, position: number) => void) | null = null,
  ) {}

  /** Appends one token as is. Positions must be non-decreasing. */
  add(term: string, position: number, start: number, end: number): void {
    if (this.emitId) this.emitId(this.filter.termIds.id(term), position);
    else if (this.emit) this.emit(term, position);
    else {
      this.terms.push(term);
      this.positions.push(position);
      this.starts.push(start);
      this.ends.push(end);
    }
    if (position !== this.lastPos) {
      this.length++;
      this.lastPos = position;
    }
  }

  /** Appends the word memoized in `slot` of the filter's ASCII memo, at the next position. */
  addCached(slot: number, start: number, end: number): void {
    const cache = this.filter.asciiCache;
    const id = cache.id(slot);
    if (id >= 0) {
      const position = this.pos;
      if (this.emitId) this.emitId(id, position);
      else if (this.emit) this.emit(cache.values[slot], position);
      else this.add(cache.values[slot], position, start, end);
      if (position !== this.lastPos) {
        this.length++;
        this.lastPos = position;
      }
    }
    this.pos++;
  }

  /**
   * Appends a word's final term (from {@link WordFilter.resolve}) at the next position. A dropped
   * word ('') still consumes its position, so phrase positions stay aligned.
   */
  addResolved(term: string, start: number, end: number): void {
    if (term.length > 0) this.add(term, this.pos, start, end);
    this.pos++;
  }

  /** Filters a normalized word and appends it; an empty word is ignored without a position. */
  addWord(term: string, start: number, end: number, stemmable: boolean): void {
    if (term.length === 0) return;
    this.addResolved(this.filter.resolve(term, stemmable), start, end);
  }

  /** The finished analysis. */
  result(): AnalyzedText {
    return {
      terms: this.terms,
      positions: this.positions,
      starts: this.starts,
      ends: this.ends,
      length: this.length,
      positionCount: this.pos,
    };
  }
}
