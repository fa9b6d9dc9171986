/**
 * @module eval/text-lines
 * Line splitting for the small text formats of the eval harness (qrels, TREC runs, queries): one
 * place that reads a whole file, numbers lines from 1, accepts `\n` and `\r\n`, and skips a leading
 * byte-order mark.
 */
import { readFile } from 'node:fs/promises';
import { BadInputError } from '../errors.js';

/** Calls `fn(line, lineNo)` for every line of `text`; `lineNo` counts from 1 and includes blank lines. */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    fn(text.slice(start, stop), lineNo);
    start = end + 1;
  }
}

export { lineSource } from '../ingest/jsonl.js';

/** Reads a whole text file, turning an I/O failure into a BadInputError naming the path. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new BadInputError(path, `cannot read: ${(err as Error).message}`);
  }
}
