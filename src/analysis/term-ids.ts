/**
 * @module analysis/term-ids
 * Interns final terms as dense integers, one table per analyzer, so the indexer's hot path writes
 * an integer per token instead of looking a string up in a per-buffer map: the raw-word memo
 * ({@link AsciiTermCache}) keeps each word's id beside its term. Writers that hold ids `acquire` the
 * table while they buffer tokens and `release` it when they freeze; once nobody holds it and it has
 * grown past {@link TERM_IDS_MAX}, the next `acquire` starts a new table (and clears the memo).
 */

/** Interned terms kept before the table is renewed (when no writer holds ids). */
export const TERM_IDS_MAX = 1 << 21;

export class TermIds {
  private map = new Map<string, number>();
  private list: string[] = [];
  private holders = 0;

  constructor(
    private readonly onReset: () => void = () => {},
    private readonly max = TERM_IDS_MAX,
  ) {}

  /** The id of `term`, interning it if new. */
  id(term: string): number {
    let id = this.map.get(term);
    if (id === undefined) {
      id = this.list.length;
      this.map.set(term, id);
      this.list.push(term);
    }
    return id;
  }

  /** The terms by id (valid while held). */
  get terms(): readonly string[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** A writer starts holding ids; may renew the table first if nobody holds it. */
  acquire(): void {
    if (this.holders === 0 && this.list.length > this.max) {
      this.map = new Map();
      this.list = [];
      this.onReset();
    }
    this.holders++;
  }

  /** A writer no longer holds ids. */
  release(): void {
    if (this.holders > 0) this.holders--;
  }
}
