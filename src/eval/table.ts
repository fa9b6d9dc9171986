/**
 * @module eval/table
 * A result table as plain data (header and rows of cells), built once and shown twice: as aligned
 * text by the CLI and as HTML in the report.
 */

export type Cell = string | number | null;

export interface Table {
  caption?: string;
  head: string[];
  rows: Cell[][];
  /** Decimals per column (default 3). */
  digits?: number[];
}

/** A number with `digits` decimals; null (not applicable) shows as "-". */
export function cellText(cell: Cell, digits = 3): string {
  if (cell === null) return '-';
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell) && Math.abs(cell) >= 1000) return String(cell);
  return cell.toFixed(digits);
}

/** The table as aligned text columns: text left-aligned, numbers right-aligned. */
export function formatTable(t: Table): string {
  const text = t.rows.map((r) => r.map((c, i) => cellText(c, t.digits?.[i])));
  const widths = t.head.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = t.head.map((_, i) => t.rows.length > 0 && t.rows.every((r) => typeof r[i] !== 'string'));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(t.head), ...text.map(line)];
  if (t.caption) out.unshift(t.caption);
  return out.join('\n');
}
