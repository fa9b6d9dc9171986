/**
 * @module search/id-column
 * The external ids of a ranked list, named on demand. Stage 1 hands 30,000 candidates on and
 * stage 2 keeps 117 of them: naming all 30,000 up front (a lookup per row in its segment's id list,
 * into an array too large for the young generation) cost more than ordering them.
 */

export class IdColumn {
  private all: string[] | undefined;

  /** `name(row)` names row `row` (0 <= row < length); it is called again for each `at`. */
  constructor(
    readonly length: number,
    private readonly name: (row: number) => string,
  ) {}

  /** A column of ids already named. */
  static of(ids: string[]): IdColumn {
    const column = new IdColumn(ids.length, (row) => ids[row]);
    column.all = ids;
    return column;
  }

  /** The id of row `row`. */
  at(row: number): string {
    return this.all === undefined ? this.name(row) : this.all[row];
  }

  /** Every id, in row order (named once, then kept). */
  toArray(): string[] {
    if (this.all === undefined) {
      const all: string[] = [];
      for (let row = 0; row < this.length; row++) all.push(this.name(row));
      this.all = all;
    }
    return this.all;
  }

  /** The ids of the given rows, in that order, still named on demand. */
  pick(rows: ArrayLike<number>): IdColumn {
    if (rows.length <= 256) return IdColumn.of(Array.from(rows, (r) => this.at(r)));
    const kept = Int32Array.from(rows);
    return new IdColumn(kept.length, (row) => this.at(kept[row]));
  }
}
